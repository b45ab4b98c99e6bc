#!/usr/bin/env node
// CommonJS (see bin/package.json): Node's ES-module loader costs start-up time.
require("../dist/main.cjs").runMain(process.argv.slice(2));
