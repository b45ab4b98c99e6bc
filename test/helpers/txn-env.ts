// Environments for the transaction tests: a venv made by the built CLI, its
// EnvTarget (as the package commands build it), snapshots that tell whether
// an env is byte-for-byte as it was, and wheels with every kind of content.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { join } from "node:path";
import { probeInterpreter } from "../../src/interpreters/interpreter.js";
import { launcherPython, venvLayout } from "../../src/venv/layout.js";
import { venvEnvTarget } from "../../src/venv/install-target.js";
import type { EnvTarget } from "../../src/wheel/transaction.js";
import { makeContext } from "./context.js";
import type { Sandbox } from "./hermetic.js";
import { runCli } from "./run-cli.js";
import { buildWheel } from "./wheel-builder.js";

export interface Venv {
  dir: string;
  python: string;
  site: string;
  target: EnvTarget;
}

/** A venv made by `venvctl create -p VERSION DIR` (any old one there is removed first). */
export async function freshVenv(sb: Sandbox, dir: string, version = "3.12"): Promise<Venv> {
  rmSync(dir, { recursive: true, force: true });
  const r = runCli(["create", "-p", version, dir], { cwd: sb.work, env: sb.env });
  assert.equal(r.code, 0, r.stderr);
  const ctx = makeContext(sb);
  const interp = await probeInterpreter(ctx, join(dir, "bin", "python"));
  const base = await probeInterpreter(ctx, interp.info.base_executable);
  const layout = venvLayout(base, dir);
  // pip run as the env's own pip runs (its launcher's python), so the scripts it writes name the same python as ours.
  return { dir, python: launcherPython(layout), site: layout.sitePackages, target: venvEnvTarget(base, layout) };
}

/** What a file is, to the byte: kind, mode, inode, mtime, content hash (directories: kind and mode). */
export function fullSnapshot(root: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(rel ? join(root, rel) : root).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (skip(r)) continue;
      const st = lstatSync(join(root, r));
      if (st.isSymbolicLink()) out.set(r, `link ${readlinkSync(join(root, r))}`);
      else if (st.isDirectory()) {
        out.set(r, `dir ${(st.mode & 0o7777).toString(8)}`);
        walk(r);
      } else {
        const hash = createHash("sha256").update(readFileSync(join(root, r))).digest("hex");
        out.set(r, `file ${(st.mode & 0o7777).toString(8)} ino=${st.ino} mtime=${st.mtimeMs} ${hash}`);
      }
    }
  };
  walk("");
  return out;
}

/** Files (path → content hash), as the differential tests compare envs: no modes, no inodes, no bytecode. */
export function contentSnapshot(root: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  for (const [rel, v] of fullSnapshot(root, (r) => r.split("/").includes("__pycache__") || skip(r))) {
    out.set(rel, v.startsWith("file ") ? v.slice(v.lastIndexOf(" ") + 1) : v.startsWith("dir ") ? "dir" : v);
  }
  return out;
}

/** Asserts two snapshots are equal, listing what differs. */
export function assertSameTree(actual: Map<string, string>, expected: Map<string, string>, what: string): void {
  const diffs: string[] = [];
  for (const [k, v] of expected) if (actual.get(k) !== v) diffs.push(`${k}: ${actual.get(k) ?? "(missing)"} ≠ ${v}`);
  for (const [k, v] of actual) if (!expected.has(k)) diffs.push(`${k}: ${v} (unexpected)`);
  assert.deepEqual(diffs, [], `${what}:\n${diffs.slice(0, 30).join("\n")}`);
}

/**
 * Wheels with every kind of content pip handles: .data scripts (a `#!python`
 * one), headers and data; console and GUI entry points; a namespace package
 * split over two wheels; a .pth file; a platlib wheel tagged for CPython 3.12.
 */
export function contentWheels(dir: string, version = "1.0", extra: Record<string, string> = {}): string[] {
  const rich = buildWheel(dir, {
    name: "Rich.Pkg",
    version,
    files: {
      "rich_pkg/__init__.py": `VERSION = ${JSON.stringify(version)}\ndef main():\n    print('rich', VERSION)\n`,
      "rich_pkg/util.py": "X = 1\n",
      "rich_pkg/broken.py": "def (:\n",
      [`Rich.Pkg-${version}.data/scripts/rich-tool`]: "#!python\nimport rich_pkg\nrich_pkg.main()\n",
      [`Rich.Pkg-${version}.data/scripts/plain.sh`]: "#!/bin/sh\necho plain\n",
      [`Rich.Pkg-${version}.data/headers/rich.h`]: "#define RICH 1\n",
      [`Rich.Pkg-${version}.data/data/share/rich/notes.txt`]: "notes\n",
      [`Rich.Pkg-${version}.data/purelib/rich_extra.py`]: "E = 2\n",
      ...extra,
    },
    entryPoints: { console_scripts: { rich: "rich_pkg:main" }, gui_scripts: { "rich-gui": "rich_pkg:main" } },
    distInfoFiles: { "top_level.txt": "rich_pkg\n" },
  });
  const nsA = buildWheel(dir, { name: "ns-a", version: "1.0", files: { "nsp/a/__init__.py": "A = 1\n" } });
  const nsB = buildWheel(dir, { name: "ns-b", version: "1.0", files: { "nsp/b/__init__.py": "B = 1\n" } });
  const pth = buildWheel(dir, { name: "pth-pkg", version: "1.0", files: { "pth_pkg.pth": "import sys; sys.pth_pkg_loaded = True\n", "pth_pkg_mod.py": "" } });
  const plat = buildWheel(dir, {
    name: "plat-pkg", version: "1.0", tag: "cp312-cp312-linux_x86_64", rootIsPurelib: false,
    files: { "plat_pkg/__init__.py": "P = 1\n", "plat_pkg/_native.so": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]) },
  });
  return [rich, nsA, nsB, pth, plat];
}
