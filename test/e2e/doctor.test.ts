// `venvctl doctor` against a prepared broken set-up — a venv whose base
// interpreter vanished (a copied interpreter renamed away), one whose base
// was upgraded, a pyvenv.cfg that does not parse, shims missing from PATH
// and never written, no init line in ~/.bashrc, a pin nothing installed
// matches, a damaged cache entry — each reported with its fix, exit 1; and a
// healthy one, exit 0; pyenv's shims ahead of venvctl's, exit 1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, SYSTEM_PATH } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { describeResult, runCli } from "../helpers/run-cli.js";

const PY312 = pyenvPython("3.12");

interface Check { id: string; status: string; message: string; fix: string | null }

function problems(checks: Check[], id: string): Check[] {
  return checks.filter((c) => c.id === id && c.status === "problem");
}

/** The first file under `dir` (depth first). */
function firstFile(dir: string): string {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) {
      const f = firstFile(p);
      if (f) return f;
    } else {
      return p;
    }
  }
  return "";
}

test("doctor: a broken set-up, every problem with the command that fixes it, exit 1", (t) => {
  if (!requireOrSkip(t, PY312 !== undefined, "pyenv's 3.12 is needed")) return;
  const sb = makeSandbox(t);
  const env = { ...sb.env, SHELL: "/bin/bash", PATH: SYSTEM_PATH };
  const run = (args: string[]) => runCli(args, { cwd: sb.work, env });

  // A copy of pyenv's 3.12 (it runs from anywhere) as the base of `gone`, then renamed away.
  const copy = join(sb.dir, "base-3.12");
  cpSync(join(PY312!, "..", ".."), copy, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (p) => !/\/(test|__pycache__|site-packages\/(?!pip)[^/]+)$/.test(p),
  });
  let r = run(["create", "-p", join(copy, "bin", "python3.12"), "gone"]);
  assert.equal(r.code, 0, describeResult(r));
  renameSync(copy, `${copy}-moved`);

  // `old`: made by 3.12.x, its pyvenv.cfg says an older patch release (the interpreter was upgraded in place).
  r = run(["create", "-p", "3.12", "old"]);
  assert.equal(r.code, 0, describeResult(r));
  const cfgPath = join(sb.work, "old", "pyvenv.cfg");
  const cfg = readFileSync(cfgPath, "utf8");
  const was = /^version = (3\.12\.\d+)$/m.exec(cfg)![1]!;
  writeFileSync(cfgPath, cfg.replace(/^version = .*$/m, "version = 3.12.0"));

  // `broken`: a pyvenv.cfg without home or version.
  mkdirSync(join(sb.work, "broken", "bin"), { recursive: true });
  writeFileSync(join(sb.work, "broken", "pyvenv.cfg"), "this is not a config\n");

  // A damaged entry in the unpack cache (create filled it): a file grown in place.
  const wheels = join(sb.cache, "wheels");
  const entry = readdirSync(wheels).find((n) => /^[0-9a-f]{64}$/.test(n))!;
  const victim = firstFile(join(wheels, entry, "files"));
  chmodSync(victim, 0o644);
  appendFileSync(victim, "\n# changed\n");

  // A pin nothing installed matches.
  mkdirSync(join(sb.work, "sub"));
  writeFileSync(join(sb.work, ".python-version"), "3.4\n");

  r = run(["doctor"]);
  assert.equal(r.code, 1, describeResult(r));
  assert.match(r.stderr, /^\d+ problems found\n$/);
  const text = r.stdout;
  assert.match(text, /^problem {2}the shims directory .*\/root\/shims is not on PATH/m);
  assert.match(text, /^ {9}fix: add `eval "\$\(venvctl init bash\)"` to ~\/\.bashrc and start a new shell$/m);
  assert.match(text, /^problem {2}no `venvctl init` in ~\/\.bashrc, /m);
  assert.match(text, /^ {9}fix: echo 'eval "\$\(venvctl init bash\)"' >> ~\/\.bashrc$/m);

  const j = JSON.parse(run(["doctor", "--json"]).stdout) as { ok: boolean; checks: Check[] };
  assert.equal(j.ok, false);
  const venvs = problems(j.checks, "venv");
  const gone = venvs.find((c) => c.message.startsWith("gone:"));
  assert.ok(gone, JSON.stringify(venvs, null, 1));
  assert.match(gone.message, /its base interpreter is gone \(pyvenv\.cfg: home = .*base-3\.12\/bin, version 3\.12\.\d+\)/);
  assert.match(gone.fix!, /^venvctl create --upgrade -p 3\.12 gone /);
  const old = venvs.find((c) => c.message.startsWith("old:"));
  assert.ok(old, JSON.stringify(venvs, null, 1));
  assert.match(old.message, new RegExp(`upgraded from 3\\.12\\.0 to ${was.replace(/\./g, "\\.")}`));
  assert.match(old.fix!, /^venvctl create --upgrade -p \S+python\S* old$/);
  const broken = venvs.find((c) => c.message.startsWith("broken:"));
  assert.ok(broken, JSON.stringify(venvs, null, 1));
  assert.match(broken.message, /pyvenv\.cfg does not parse: it has no `home =` line/);
  assert.equal(broken.fix, "venvctl create --clear broken");

  const cache = problems(j.checks, "cache");
  assert.equal(cache.length, 1, JSON.stringify(j.checks, null, 1));
  assert.match(cache[0]!.message, /fails verification: .*changed \(its hash is not RECORD's\)/);
  assert.equal(cache[0]!.fix, "venvctl cache verify --repair");

  const pin = problems(j.checks, "interpreter");
  assert.equal(pin.length, 1);
  assert.match(pin[0]!.message, /3\.4/);
  assert.match(pin[0]!.fix!, /venvctl use|install/);

  const unshimmed = problems(j.checks, "shims-missing");
  assert.equal(unshimmed.length, 1);
  assert.match(unshimmed[0]!.message, /3\.12\.\d+ \(pyenv\)/);
  assert.equal(unshimmed[0]!.fix, "venvctl rehash");
  // Every problem names a fix; doctor changed nothing.
  for (const c of j.checks) if (c.status === "problem") assert.ok(c.fix, `${c.id}: ${c.message}`);
  assert.equal(readFileSync(join(sb.work, "broken", "pyvenv.cfg"), "utf8"), "this is not a config\n");

  // The fixes work: rehash, then the shims-missing problem is gone.
  assert.equal(run(["rehash"]).code, 0);
  const after = JSON.parse(run(["doctor", "--json"]).stdout) as { checks: Check[] };
  assert.equal(problems(after.checks, "shims-missing").length, 0);
  const fixed = run(["create", "--upgrade", "-p", "3.12", "gone"]);
  assert.equal(fixed.code, 0, describeResult(fixed));
  const again = JSON.parse(run(["doctor", "--json"]).stdout) as { checks: Check[] };
  assert.ok(!problems(again.checks, "venv").some((c) => c.message.startsWith("gone:")), JSON.stringify(again.checks, null, 1));
});

test("doctor: a healthy set-up is exit 0; pyenv's shims ahead of venvctl's are a problem", (t) => {
  if (!requireOrSkip(t, PY312 !== undefined, "pyenv's 3.12 is needed")) return;
  const sb = makeSandbox(t);
  const shims = join(sb.root, "shims");
  const env = { ...sb.env, SHELL: "/usr/bin/zsh", PATH: `${shims}:${SYSTEM_PATH}` };
  const run = (args: string[], e = env) => runCli(args, { cwd: sb.work, env: e });
  assert.equal(run(["rehash"]).code, 0);
  writeFileSync(join(sb.home, ".zshrc"), `# mine\neval "$(venvctl init zsh)"\n`);
  assert.equal(run(["create", "-p", "3.12", ".venv"]).code, 0);

  const r = run(["doctor"]);
  assert.equal(r.code, 0, describeResult(r));
  assert.equal(r.stderr, "No problems found\n");
  assert.doesNotMatch(r.stdout, /^problem/m);
  assert.match(r.stdout, /^ok {7}~\/\.zshrc runs `venvctl init`$/m);
  assert.match(r.stdout, /^ok {7}\.venv: a virtual environment of 3\.12\.\d+/m);
  assert.match(r.stdout, /^ok {7}the cache .* passes verification \(\d+ entr(y|ies)\)$/m);
  const j = JSON.parse(run(["doctor", "--json"]).stdout) as { ok: boolean; checks: Check[] };
  assert.equal(j.ok, true);
  assert.ok(j.checks.every((c) => c.status !== "problem"));
  // From a subdirectory, the project's .venv is still checked.
  mkdirSync(join(sb.work, "src", "pkg"), { recursive: true });
  const deep = runCli(["doctor"], { cwd: join(sb.work, "src", "pkg"), env });
  assert.equal(deep.code, 0, describeResult(deep));
  assert.ok(deep.stdout.includes(`ok       ${join(sb.work, ".venv")}: a virtual environment of 3.12.`), deep.stdout);

  const pyenvShims = join(sb.pyenvRoot, "shims");
  mkdirSync(pyenvShims);
  const behind = run(["doctor", "--json"], { ...env, PATH: `${pyenvShims}:${shims}:${SYSTEM_PATH}` });
  assert.equal(behind.code, 1, describeResult(behind));
  const order = problems((JSON.parse(behind.stdout) as { checks: Check[] }).checks, "shims-order");
  assert.equal(order.length, 1);
  assert.match(order[0]!.message, /pyenv's shims .* come before venvctl's on PATH/);
  assert.match(order[0]!.fix!, /put `eval "\$\(venvctl init zsh\)"` after pyenv's init line/);
});
