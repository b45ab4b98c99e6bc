// Where pip's answer is an error, venvctl's is the same, byte for byte
// (stdout, stderr, exit code), checked against the env's own pip on pyenv
// 3.12.1 (pip 23.2.1) and 3.13.0 (pip 24.2):
// - a distribution whose metadata is not UTF-8 (a Summary, or only its
//   description): pip stops in every command, so every command of venvctl
//   reads it the same way and answers as pip does;
// - `freeze -r FILE` whose FILE has a line pip refuses (a path that does not
//   exist, a `\` continuation at the end of the file): pip prints the lines
//   before it and its warnings, then its error.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { runCli } from "../helpers/run-cli.js";
import { makeVenv, runPip, sitePackages, type Output } from "../helpers/package-env.js";

const PYTHONS = [["3.12", "pip 23.2.1"], ["3.13", "pip 24.2"]] as const;

function same(ours: Output, pip: Output, what: string): void {
  assert.equal(ours.stdout, pip.stdout, `${what}: stdout`);
  assert.equal(ours.stderr, pip.stderr, `${what}: stderr`);
  assert.equal(ours.code, pip.code, `${what}: exit code`);
}

/** A hand-made distribution whose METADATA holds `bytes` (latin-1 where it is not UTF-8). */
function writeDist(site: string, name: string, metadata: Buffer): void {
  const info = join(site, `${name}-1.0.dist-info`);
  mkdirSync(info, { recursive: true });
  writeFileSync(join(info, "METADATA"), metadata);
  writeFileSync(join(info, "RECORD"), `${name}-1.0.dist-info/METADATA,,\n`);
}

for (const [minor, pipLabel] of PYTHONS) {
  describe(`Python ${minor} (${pipLabel}): error paths are pip's`, () => {
    const python = pyenvPython(minor);
    let sb: (Sandbox & { cleanup(): void }) | undefined;
    let venv = "";
    before(() => {
      sb = makeSandbox(undefined, `venvctl-pip-edges-${minor}`);
      if (!python) return;
      venv = join(sb.work, "venv");
      makeVenv(python, venv, sb);
    });
    after(() => sb?.cleanup());
    const vpy = () => join(venv, "bin", "python");
    const both = (args: string[], cwd = sb!.work): [Output, Output] => [
      runCli([...args, "-p", venv], { cwd, env: sb!.env, timeoutMs: 180_000 }),
      runPip(vpy(), args, sb!, cwd),
    ];

    test("freeze -r FILE with a path that does not exist: the lines before, the warnings, then pip's error", (t) => {
      if (!requireOrSkip(t, python !== undefined, `pyenv ${minor} is needed`)) return;
      writeFileSync(join(sb!.work, "r1.txt"), "# top\n-i https://x.invalid/simple\npip==1.0\nnotinstalled\n./nonexistent\nafter\n");
      same(...both(["freeze", "-r", "r1.txt"]), "freeze -r r1.txt");
    });

    test("freeze -r FILE ending in a continuation: the lines before, then pip's error", (t) => {
      if (!requireOrSkip(t, python !== undefined, `pyenv ${minor} is needed`)) return;
      writeFileSync(join(sb!.work, "r2.txt"), "pip\nfoo \\\n");
      writeFileSync(join(sb!.work, "r3.txt"), "# c\npip\nfoo \\");
      same(...both(["freeze", "-r", "r2.txt"]), "freeze -r r2.txt");
      same(...both(["freeze", "-r", "r3.txt"]), "freeze -r r3.txt (no final newline)");
    });

    test("metadata that is not UTF-8 (a Summary; only the description): every command answers as pip does", (t) => {
      if (!requireOrSkip(t, python !== undefined, `pyenv ${minor} is needed`)) return;
      const site = sitePackages(venv);
      for (const [name, body] of [
        ["latin", "Summary: caf\xe9 au lait\nRequires-Dist: pip\n\nbody\n"],
        ["latinbody", "Summary: plain\n\ncaf\xe9 in the description only\n"],
      ] as const) {
        writeDist(site, name, Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n${body}`, "latin1"));
        for (const args of [["freeze"], ["list"], ["list", "--not-required"], ["show", name], ["show", "pip"]]) {
          const [ours, pip] = both(args);
          assert.notEqual(pip.code, 0, `pip ${args.join(" ")} stops on ${name}'s metadata`);
          same(ours, pip, `${args.join(" ")} with ${name}`);
        }
        writeDist(site, name, Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n`));
      }
    });
  });
}
