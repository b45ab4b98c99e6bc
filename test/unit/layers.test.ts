// The shape of src/: layers import downward only, with no cycle between
// folders or between files; nothing below cli/ knows commander; only context.ts (and the entry,
// main.ts) touches `process`; no source file over 350 lines without a header
// comment saying why. The rules live here, one line each, with the reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { PROJECT_ROOT } from "../helpers/run-cli.js";

const SRC = join(PROJECT_ROOT, "src");

/** Each layer and the layers it may import (besides itself and `base`). */
const MAY_IMPORT: Record<string, string[]> = {
  // The entry and the program: everything below.
  entry: ["cli", "commands", "installer", "resolve", "index", "plans", "pip", "venv", "shims", "environments", "wheel", "interpreters", "standards"],
  // Flags and printing; the use cases, and the formatters of what they return.
  cli: ["commands", "installer", "resolve", "index", "plans", "pip", "venv", "shims", "environments", "wheel", "interpreters", "standards"],
  // One use case per verb: whatever it needs to decide and act.
  commands: ["installer", "resolve", "index", "plans", "pip", "venv", "shims", "environments", "wheel", "interpreters", "standards"],
  // The native install pipeline the package verbs share: resolve (venvctl's or pip's), fetch into the store, install in one transaction.
  installer: ["resolve", "index", "plans", "pip", "venv", "shims", "environments", "wheel", "interpreters", "standards"],
  // The resolver over the index: requirements as pip reads them, what is installed, the index client.
  resolve: ["index", "plans", "pip", "wheel", "environments", "interpreters", "standards"],
  // The package-index client: index settings come from pip's (pip.conf, requirement-file options); wheels are read with wheel/zip.
  index: ["pip", "wheel", "environments", "interpreters", "standards"],
  // Deciding (satisfaction, no-op, sync plans) reads requirements (pip) and what is installed.
  plans: ["pip", "environments", "interpreters", "standards"],
  // pip's formats and runner work on a target environment and its installed distributions.
  pip: ["environments", "interpreters", "standards"],
  // Making a venv: seeding installs wheels; the interpreter comes from interpreters.
  venv: ["wheel", "interpreters", "standards"],
  // Shims and init: the selection chain and inventory, written as sh.
  shims: ["interpreters", "standards"],
  // A target environment: its interpreter (selection, probe), its distributions (standards).
  environments: ["interpreters", "standards"],
  // The wheel installer and its caches: file formats only.
  wheel: ["standards"],
  // Discovery, probing, selection: versions and specifiers from standards.
  interpreters: ["standards"],
  // The packaging standards: pure, importing nothing else of the project.
  standards: [],
  // fs, exec, log, dirs, PATH search; with the Context and errors every layer uses,
  // and platform/: what differs on Windows, one module per concern, answered from the Context.
  base: [],
};

/** The layer of a file under src/. */
function layerOf(rel: string): string {
  const [top] = rel.split("/");
  if (rel === "main.ts" || rel === "run.ts") return "entry";
  if (rel === "context.ts" || rel === "errors.ts" || top === "util" || top === "platform") return "base";
  return top!;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith(".ts")) out.push(p);
  }
  return out;
}

const FILES = sourceFiles(SRC).map((p) => ({ path: p, rel: relative(SRC, p), text: readFileSync(p, "utf8") }));

/** The project files a source imports, statically or lazily. */
function importsOf(file: { path: string; text: string }): string[] {
  const out: string[] = [];
  for (const m of file.text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = normalize(join(dirname(file.path), m[1]!)).replace(/\.c?js$/, ".ts");
    out.push(relative(SRC, target));
  }
  return out;
}

/** Every cycle of a directed graph (depth first, over the nodes `include` keeps), as "a → b → a". */
function cyclesOf(edges: ReadonlyMap<string, Iterable<string>>, include: (node: string) => boolean = () => true): string[] {
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (node: string, path: string[]) => {
    if (state.get(node) === "done") return;
    if (state.get(node) === "open") {
      cycles.push([...path.slice(path.indexOf(node)), node].join(" → "));
      return;
    }
    state.set(node, "open");
    for (const next of edges.get(node) ?? []) if (include(next)) visit(next, [...path, node]);
    state.set(node, "done");
  };
  for (const node of edges.keys()) if (include(node)) visit(node, []);
  return cycles;
}

test("every layer is known, and the standards and base layers stand alone", () => {
  for (const f of FILES) assert.ok(layerOf(f.rel) in MAY_IMPORT, `${f.rel}: a folder the layer rules do not name`);
});

test("layers import downward only", () => {
  const wrong: string[] = [];
  for (const f of FILES) {
    const from = layerOf(f.rel);
    for (const target of importsOf(f)) {
      const to = layerOf(target);
      if (to === from || to === "base" || MAY_IMPORT[from]!.includes(to)) continue;
      wrong.push(`${f.rel} (${from}) imports ${target} (${to})`);
    }
  }
  assert.deepEqual(wrong, [], `imports that run upward or across:\n${wrong.join("\n")}`);
});

test("no import cycle between folders", () => {
  const folderOf = (rel: string) => (rel.includes("/") ? rel.split("/")[0]! : rel);
  const edges = new Map<string, Set<string>>();
  for (const f of FILES) {
    for (const t of importsOf(f)) {
      const a = folderOf(f.rel);
      const b = folderOf(t);
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)!.add(b);
    }
  }
  // Root modules such as errors.ts are not folders.
  assert.deepEqual(cyclesOf(edges, (node) => !node.endsWith(".ts")), []);
});

test("no import cycle between files, type-only imports included (a shared type lives below both)", () => {
  assert.deepEqual(cyclesOf(new Map(FILES.map((f) => [f.rel, importsOf(f)]))), []);
});

test("nothing below cli/ imports commander; only context.ts and main.ts touch process", () => {
  for (const f of FILES) {
    if (!f.rel.startsWith("cli/")) assert.doesNotMatch(f.text, /from "commander"/, `${f.rel} imports commander`);
    if (f.rel !== "context.ts" && f.rel !== "main.ts") {
      assert.doesNotMatch(f.text.replace(/\/\/.*$/gm, ""), /\bprocess\.(?!exitCode\b)\w+/, `${f.rel} reads process.*`);
    }
  }
});

test("a source file over 350 lines says in its header why it is one file", () => {
  const long = FILES.filter((f) => f.text.split("\n").length > 350);
  for (const f of long) {
    const header = f.text.split("\n").filter((l) => l.startsWith("//")).slice(0, 15).join("\n");
    assert.match(header, /one file|long|lines/i, `${f.rel} has ${f.text.split("\n").length} lines and no reason in its header`);
  }
});
