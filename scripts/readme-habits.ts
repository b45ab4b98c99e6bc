// Rewrites README.md's "Coming from pyenv / uv / pip" table from the habits
// (src/cli/habits.ts) as the program has them now — after a command was
// added that a habit named (`python install`), or a habit was added.
// Run: node --import tsx scripts/readme-habits.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildProgram } from "../src/cli/index.js";
import { habitsMarkdown } from "../src/cli/habits.js";
import type { Context } from "../src/context.js";

const ctx: Context = {
  cwd: process.cwd(), env: {}, stdinIsTTY: false, platform: process.platform,
  stdout: { write: () => true }, stderr: { write: () => true },
  dirs: { home: "/nonexistent", root: "/nonexistent", cache: "/nonexistent" },
};
const file = join(import.meta.dirname, "..", "README.md");
const text = readFileSync(file, "utf8");
const table = habitsMarkdown(buildProgram({ ctx, argv: [], exitCode: 0 }));
const next = text.replace(/(<!-- habits:begin[^>]*-->\n)[\s\S]*?(<!-- habits:end -->)/, (_m, a: string, b: string) => a + table + b);
if (next === text) console.log("README.md's habits table is up to date");
else {
  writeFileSync(file, next);
  console.log("README.md's habits table rewritten");
}
