// Where pip's answer is an error, venvctl's is the same, byte for byte
// (stdout, stderr, exit code), checked against the env's own pip on pyenv
// 3.12.1 (pip 23.2.1) and 3.13.0 (pip 24.2):
// - a distribution whose metadata is not UTF-8 (a Summary, only its
//   description, or binary): pip stops with a traceback in every command;
//   venvctl skips it with one warning naming the file, answers the rest as
//   pip does without it, and `show` of it is an error (so pip, without it,
//   is the oracle); one without METADATA is skipped with pip's own warning;
//   a RECORD that is not UTF-8 leaves `show -f` without files, with a warning;
// - `freeze -r FILE` whose FILE has a line pip refuses (a path that does not
//   exist, a `\` continuation at the end of the file): pip prints the lines
//   before it and its warnings, then its error.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { runCli } from "../helpers/run-cli.js";
import { unprivileged } from "../helpers/unprivileged.js";
import { makeVenv, runPip, sitePackages, type Output } from "../helpers/package-env.js";

const PYTHONS = [["3.12", "pip 23.2.1"], ["3.13", "pip 24.2"]] as const;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

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

    test("metadata that is not UTF-8 (a Summary, only the description, binary): skipped with one warning naming it; the rest is pip's answer without it; show of it is an error", (t) => {
      if (!requireOrSkip(t, python !== undefined, `pyenv ${minor} is needed`)) return;
      const site = sitePackages(venv);
      const commands = [["freeze"], ["list"], ["list", "--not-required"], ["show", "pip"]];
      // pip's answers without the broken distribution: with it, pip stops with a traceback.
      const without = new Map(commands.map((args) => [args.join(" "), runPip(vpy(), args, sb!)]));
      for (const [name, metadata] of [
        ["latin", Buffer.from("Metadata-Version: 2.1\nName: latin\nVersion: 1.0\nSummary: caf\xe9 au lait\nRequires-Dist: pip\n\nbody\n", "latin1")],
        ["latinbody", Buffer.from("Metadata-Version: 2.1\nName: latinbody\nVersion: 1.0\nSummary: plain\n\ncaf\xe9 in the description only\n", "latin1")],
        ["binary", Buffer.from([0x00, 0xff])],
      ] as const) {
        writeDist(site, name, metadata);
        const info = join(site, `${name}-1.0.dist-info`);
        // The case is one pip cannot answer; its traceback says where the bytes go wrong, in Python's words.
        const crash = runPip(vpy(), ["list"], sb!);
        assert.notEqual(crash.code, 0, `pip list stops on ${name}'s metadata`);
        const where = /can't decode (byte 0x[0-9a-f]{2} in position \d+)/.exec(crash.stderr)?.[1];
        assert.ok(where, crash.stderr);
        const warning = `warning: skipping ${info}: METADATA is not UTF-8 (${where})`;
        for (const args of commands) {
          const ours = runCli([...args, "-p", venv], { cwd: sb!.work, env: sb!.env, timeoutMs: 180_000 });
          const pip = without.get(args.join(" "))!;
          assert.equal(ours.code, 0, `${args.join(" ")} with ${name}: ${ours.stderr}`);
          assert.equal(ours.stdout, pip.stdout, `${args.join(" ")} with ${name}: everything else, as pip lists it`);
          assert.deepEqual(ours.stderr.split("\n").filter((l) => l), [warning, ...pip.stderr.split("\n").filter((l) => l)], `${args.join(" ")}: one warning`);
        }
        // --json: the document on stdout holds the others (pip's shape for list), the warning goes with it on stderr.
        for (const args of [["list", "--json"], ["freeze", "--json", "--all"], ["show", "--json", "pip"]]) {
          const ours = runCli([...args, "-p", venv], { cwd: sb!.work, env: sb!.env, timeoutMs: 180_000 });
          assert.equal(ours.code, 0, ours.stderr);
          const doc = JSON.parse(ours.stdout) as Array<{ name: string }>;
          assert.ok(doc.length > 0 && doc.every((d) => d.name !== name), `${args.join(" ")}: ${ours.stdout}`);
          assert.equal(ours.stderr, `${warning}\n`, args.join(" "));
        }
        const shown = runCli(["show", name, "-p", venv], { cwd: sb!.work, env: sb!.env, timeoutMs: 180_000 });
        assert.equal(shown.code, 1);
        assert.equal(shown.stdout, "");
        assert.match(shown.stderr, new RegExp(`^error: cannot show ${name}: ${escapeRe(join(info, "METADATA"))} is not UTF-8 \\(${escapeRe(where)}\\)$`, "m"));
        assert.match(shown.stderr, /^hint: remove .*, then install .* again$/m);
        assert.doesNotMatch(shown.stderr, /Traceback/);
        rmSync(info, { recursive: true });
      }
    });

    test("a distribution without METADATA: skipped with pip's own warning, as pip does", (t) => {
      if (!requireOrSkip(t, python !== undefined, `pyenv ${minor} is needed`)) return;
      const info = join(sitePackages(venv), "gone-1.0.dist-info");
      mkdirSync(info, { recursive: true });
      writeFileSync(join(info, "RECORD"), "gone-1.0.dist-info/RECORD,,\n");
      for (const args of [["freeze"], ["list"], ["show", "gone"]]) same(...both(args), `${args.join(" ")} with no METADATA`);
      rmSync(info, { recursive: true });
    });

    test("show -f of a distribution whose RECORD is not UTF-8: its files are not listed, with a warning; pip stops", (t) => {
      if (!requireOrSkip(t, python !== undefined, `pyenv ${minor} is needed`)) return;
      const site = sitePackages(venv);
      writeDist(site, "badrecord", Buffer.from("Metadata-Version: 2.1\nName: badrecord\nVersion: 1.0\n"));
      const record = join(site, "badrecord-1.0.dist-info", "RECORD");
      writeFileSync(record, Buffer.from("badrecord/caf\xe9.py,,\n", "latin1"));
      assert.notEqual(runPip(vpy(), ["show", "-f", "badrecord"], sb!).code, 0, "pip stops on the RECORD");
      const ours = runCli(["show", "-f", "badrecord", "-p", venv], { cwd: sb!.work, env: sb!.env, timeoutMs: 180_000 });
      rmSync(record);
      const pip = runPip(vpy(), ["show", "-f", "badrecord"], sb!);
      assert.equal(ours.code, 0, ours.stderr);
      assert.equal(ours.stdout, pip.stdout, "as pip shows it without a RECORD");
      assert.match(ours.stderr, new RegExp(`^warning: ${escapeRe(record)} is not UTF-8; its files are not listed$`, "m"));
      rmSync(join(site, "badrecord-1.0.dist-info"), { recursive: true });
    });
  });
}

test("an unreadable METADATA (EACCES): skipped with a warning naming the file and the error; the rest is pip's answer (pip skips it as nameless)", (t) => {
  const sb = makeSandbox(t, "venvctl-metadata-eacces");
  const python = "/usr/bin/python3.11"; // readable by an unprivileged user, as pyenv's under /root are not
  if (!requireOrSkip(t, existsSync(python), "Debian's /usr/bin/python3.11 is needed")) return;
  const venv = join(sb.work, "venv");
  makeVenv(python, venv, sb);
  const site = sitePackages(venv);
  writeDist(site, "locked", Buffer.from("Metadata-Version: 2.1\nName: locked\nVersion: 1.0\n"));
  const metadata = join(site, "locked-1.0.dist-info", "METADATA");
  chmodSync(metadata, 0o000);
  // root reads anything: as root, both run as nobody.
  const as = unprivileged(t, sb);
  if (!as) return;
  const cli = as.cli;
  const run = (file: string, args: string[]) => as.run(file, args);
  for (const args of [["freeze", "--all"], ["list"]]) {
    const pip = run(join(venv, "bin", "python"), ["-m", "pip", ...args]);
    assert.equal(pip.code, 0, pip.stderr);
    assert.match(pip.stderr, /invalid metadata entry 'name'/, "pip cannot read it either, and skips it");
    const ours = run(process.execPath, [cli, ...args, "-p", venv]);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout, pip.stdout, args.join(" "));
    assert.equal(ours.stderr, `warning: skipping ${join(site, "locked-1.0.dist-info")}: METADATA cannot be read (EACCES)\n`);
  }
  const shown = run(process.execPath, [cli, "show", "locked", "-p", venv]);
  assert.equal(shown.code, 1);
  assert.match(shown.stderr, new RegExp(`^error: cannot show locked: ${escapeRe(metadata)} cannot be read \\(EACCES\\)$`, "m"));
});
