// Loaded with NODE_OPTIONS=--require by the budget tests: at exit, writes to
// $VENVCTL_BUDGET_OUT which of venvctl's files were loaded (with their sizes)
// and how many Node built-in modules (process.moduleLoadList's NativeModule
// entries, internal ones included). This file itself is not counted.
"use strict";
const fs = require("node:fs");
process.on("exit", () => {
  const files = Object.keys(require.cache).filter((f) => f !== __filename).map((f) => [f, fs.statSync(f).size]);
  const builtins = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).length;
  fs.writeFileSync(process.env.VENVCTL_BUDGET_OUT, JSON.stringify({ files, builtins }));
});
