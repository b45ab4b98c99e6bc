// The activation scripts in the real shells: envs are created in-process at
// an awkward path and at a plain one, then bash, dash, zsh, ksh, fish and tcsh
// each source their script and print, from inside, what activation and
// `deactivate` did; the assertions are made here on what they printed.
import { describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { create, type CreateOptions } from "../../src/commands/create.js";
import { makeContext } from "../helpers/context.js";
import { makeSandbox, SYSTEM_PATH, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip, which } from "../helpers/require.js";
import { kshHistory, parseRecords, SHELLS, TCSH_SHOW, type Phase, type Recording, type Shell } from "../helpers/shells.js";

const PY = pyenvPython("3.12");

/**
 * Env A's directory name, and so its prompt: everything a shell might expand,
 * split, glob or take as history or prompt escapes. If any of it were run,
 * `pwned` files would appear in the working directory.
 */
const AWKWARD = "e 'sq' \"dq\" $HOME $(touch pwned) `touch pwned2` !x !! \\u \\ é ü %n %% ^G [*?] ~ & ; # | {a,b}";
/** Env B: a plain path, with a --prompt of its own. */
const PROMPT_B = `B's "env" $PWD`;
/** The prompt before activation (set from $OLD_PROMPT), with escapes of its own to keep. */
const OLD_PROMPT = `old 'q' "d" \\w \\$ %# > `;

interface TestEnv {
  dir: string;
  bin: string;
  prompt: string;
}

interface Fixture {
  sb: Sandbox;
  a: TestEnv;
  b: TestEnv;
  /** PATH before activation: the system's, and a directory as awkward as A. */
  path: string;
}

async function makeFixture(t: TestContext): Promise<Fixture> {
  const sb = makeSandbox(t, "venvctl-activate");
  const base: CreateOptions = {
    dirs: [], python: PY, onExisting: "refuse", systemSitePackages: false, symlinks: true, withPip: false,
    upgradeDeps: false, linkMode: "auto",
  };
  const aDir = join(sb.work, AWKWARD);
  const bDir = join(sb.work, "plain-env");
  await create({ ...base, dirs: [aDir] }, makeContext(sb));
  await create({ ...base, dirs: [bDir], prompt: PROMPT_B }, makeContext(sb));
  writeFileSync(join(sb.dir, "show.csh"), TCSH_SHOW);
  const envOf = (dir: string, prompt: string): TestEnv => ({ dir, bin: join(dir, "bin"), prompt });
  return {
    sb,
    a: envOf(aDir, AWKWARD),
    b: envOf(bDir, PROMPT_B),
    path: `${SYSTEM_PATH}:${join(sb.dir, "on PATH 'q' $x `y` !z é")}`,
  };
}

let scriptCount = 0;

/** Runs `lines` as a script in `shell`; it must succeed and print nothing on stderr. */
function runScript(shell: Shell, fx: Fixture, lines: string[], env: Record<string, string | undefined> = {}): Recording {
  const file = join(fx.sb.dir, `script-${++scriptCount}.${shell.name}`);
  writeFileSync(file, [shell.prelude, ...lines, ""].join("\n"));
  const r = spawnSync(shell.exe, shell.args(file), {
    cwd: fx.sb.work,
    env: shellEnv(shell, fx, env),
    encoding: "utf8",
    timeout: 20_000,
  });
  if (r.error) throw r.error;
  assert.equal(r.stderr, "", `${shell.name} printed on stderr (exit ${r.status})`);
  assert.equal(r.status, 0, `${shell.name} exit status`);
  const recording = parseRecords(r.stdout);
  assert.deepEqual(recording.noise, [], "sourcing and deactivating print nothing");
  return recording;
}

function shellEnv(shell: Shell, fx: Fixture, extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...fx.sb.env,
    PATH: fx.path,
    ACT_A: join(fx.a.bin, shell.activator),
    ACT_B: join(fx.b.bin, shell.activator),
    OLD_PROMPT,
    SHOW_CSH: join(fx.sb.dir, "show.csh"),
    // What a developer's environment may hold that would change the outcome:
    // rc files the shells read even without -i, an exported prompt, and the
    // variable under test.
    ENV: undefined,
    BASH_ENV: undefined,
    PS1: undefined,
    VIRTUAL_ENV_DISABLE_PROMPT: undefined,
    ...extra,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env as Record<string, string>;
}

function phase(rec: Recording, name: string): Phase {
  const p = rec.phases.get(name);
  assert.ok(p, `phase ${name} was recorded`);
  return p;
}

/** The prompt as the shell renders it, where it can in-process. */
function rendered(shell: Shell, p: Phase): string | undefined {
  const r = p.rec.get("prompt");
  return r !== undefined && shell.name === "ksh" ? kshHistory(r) : r;
}

function varNames(p: Phase): Set<string> {
  return new Set((p.rec.get("vars") ?? "").split(/\s+/).filter(Boolean));
}

/** fish's function names (the other shells' functions are checked through `deactivate`). */
function functionNames(p: Phase): Set<string> {
  return new Set((p.rec.get("functions") ?? "").split(" ").filter(Boolean));
}

function difference(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

/** Checks one active phase against the phase before activation. */
function assertActive(shell: Shell, p: Phase, before: Phase, env: TestEnv, opts: { promptShown: boolean }): void {
  assert.equal(p.env.get("VIRTUAL_ENV"), env.dir, "VIRTUAL_ENV");
  assert.equal(p.env.get("VIRTUAL_ENV_PROMPT"), env.prompt, "VIRTUAL_ENV_PROMPT");
  assert.equal(p.env.get("PATH"), `${env.bin}:${before.env.get("PATH")}`, "the env's bin first on PATH, the rest as before");
  assert.equal(p.env.has("PYTHONHOME"), false, "PYTHONHOME unset");
  const found = p.rec.get("which") ?? "";
  assert.equal(shell.unquoteWhich ? shell.unquoteWhich(found) : found, join(env.bin, "python"), "`python` resolves into the env");
  assert.equal(p.rec.get("deactivate"), "yes", "deactivate is defined");
  if (p.rec.has("prefix")) assert.equal(p.rec.get("prefix"), env.dir, "python's sys.prefix");
  if (p.rec.has("prefix3")) assert.equal(p.rec.get("prefix3"), env.dir, "python3's sys.prefix (hashed lookups forgotten)");

  const oldRaw = before.rec.get("PS1");
  const raw = p.rec.get("PS1");
  const shown = rendered(shell, p);
  if (opts.promptShown) {
    if (shown !== undefined) assert.equal(shown, `(${env.prompt}) ${rendered(shell, before)}`, "the prompt shows the name in front");
    if (oldRaw !== undefined && shell.name !== "fish") {
      assert.ok(raw !== undefined && raw !== oldRaw && raw.endsWith(oldRaw), `prompt prefixed: ${raw}`);
    }
  } else {
    assert.equal(raw, oldRaw, "the prompt variable is untouched");
    assert.equal(shown, rendered(shell, before), "the prompt is untouched");
  }

  // Exactly these variables appear (and PYTHONHOME goes): no helpers leak.
  const wasHome = before.env.has("PYTHONHOME");
  const expectedAdded = ["_OLD_VIRTUAL_PATH"];
  if (shell.listsEnvVars) expectedAdded.push("VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT");
  if (wasHome) expectedAdded.push("_OLD_VIRTUAL_PYTHONHOME");
  if (opts.promptShown && (oldRaw !== undefined || shell.name === "fish")) expectedAdded.push(shell.savedPromptVar);
  assert.deepEqual(difference(varNames(p), varNames(before)), expectedAdded.sort(), "variables added by activation");
  assert.deepEqual(difference(varNames(before), varNames(p)), wasHome && shell.listsEnvVars ? ["PYTHONHOME"] : [], "variables removed by activation");
  if (shell.name === "fish") {
    const added = difference(functionNames(p), functionNames(before));
    assert.deepEqual(added, opts.promptShown ? ["_old_fish_prompt", "deactivate"] : ["deactivate"], "functions added");
  }
}

/** Checks that a phase after deactivation is the phase before activation, exactly. */
function assertRestored(shell: Shell, p: Phase, before: Phase, opts: { deactivateKept?: boolean } = {}): void {
  assert.deepEqual(Object.fromEntries(p.env), Object.fromEntries(before.env), "the exported environment is as before");
  assert.equal(p.rec.has("PS1"), before.rec.has("PS1"));
  assert.equal(p.rec.get("PS1"), before.rec.get("PS1"), "the prompt variable is as before (set or unset)");
  assert.equal(rendered(shell, p), rendered(shell, before), "the prompt shows as before");
  assert.equal(p.rec.get("fish_prompt"), before.rec.get("fish_prompt"), "fish_prompt's body is as before");
  assert.equal(p.rec.get("which"), before.rec.get("which"), "`python` resolves as before");
  assert.deepEqual(difference(varNames(p), varNames(before)), [], "no variable left behind");
  assert.deepEqual(difference(varNames(before), varNames(p)), [], "no variable lost");
  if (shell.name === "fish") {
    const kept = opts.deactivateKept ? ["deactivate"] : [];
    assert.deepEqual(difference(functionNames(p), functionNames(before)), kept, "no function left behind");
    assert.deepEqual(difference(functionNames(before), functionNames(p)), [], "no function lost");
  }
  assert.equal(p.rec.get("deactivate"), opts.deactivateKept ? "yes" : "no", "deactivate removes itself (unless nondestructive)");
}

function assertNothingRan(fx: Fixture): void {
  assert.ok(!existsSync(join(fx.sb.work, "pwned")) && !existsSync(join(fx.sb.work, "pwned2")), "nothing in a path or prompt was run");
}

function quietly(shell: Shell, statement: string): string[] {
  return [shell.mark("quiet-begin"), statement, shell.mark("quiet-end")];
}

test("the machine has the shells and the Python these tests need", (t) => {
  const missing = SHELLS.filter((s) => !which(s.exe)).map((s) => s.name);
  if (!requireOrSkip(t, missing.length === 0, `shells missing: ${missing.join(", ")}`)) return;
  requireOrSkip(t, PY !== undefined, "pyenv 3.12 is not installed");
});

for (const shell of SHELLS) {
  describe(shell.name, () => {
    const ready = (t: TestContext) =>
      requireOrSkip(t, which(shell.exe) !== undefined, `${shell.exe} is not installed`) &&
      requireOrSkip(t, PY !== undefined, "pyenv 3.12 is not installed");

    test("activates A, switches to B, deactivates back to exactly the start (PYTHONHOME set)", async (t) => {
      if (!ready(t)) return;
      const fx = await makeFixture(t);
      const rec = runScript(shell, fx, [
        shell.setPrompt,
        shell.show("before"),
        ...quietly(shell, shell.source("ACT_A")),
        shell.show("A"),
        shell.pyprobe,
        ...quietly(shell, shell.source("ACT_B")),
        shell.show("AB"),
        shell.pyprobe,
        ...quietly(shell, shell.deactivate()),
        shell.show("after"),
      ], { PYTHONHOME: "/nowhere 'x' $y é" });
      const before = phase(rec, "before");
      assert.equal(before.env.get("PYTHONHOME"), "/nowhere 'x' $y é");
      assert.equal(before.env.has("VIRTUAL_ENV"), false);
      assertActive(shell, phase(rec, "A"), before, fx.a, { promptShown: true });
      assertActive(shell, phase(rec, "AB"), before, fx.b, { promptShown: true });
      assertRestored(shell, phase(rec, "after"), before);
      assertNothingRan(fx);
    });

    test("an empty PYTHONHOME comes back empty; VIRTUAL_ENV_DISABLE_PROMPT=1 leaves the prompt alone", async (t) => {
      if (!ready(t)) return;
      const fx = await makeFixture(t);
      const rec = runScript(shell, fx, [
        shell.setPrompt,
        shell.show("before"),
        ...quietly(shell, shell.source("ACT_A")),
        shell.show("A"),
        shell.pyprobe,
        ...quietly(shell, shell.deactivate()),
        shell.show("after"),
      ], { PYTHONHOME: "", VIRTUAL_ENV_DISABLE_PROMPT: "1" });
      const before = phase(rec, "before");
      assert.equal(before.env.get("PYTHONHOME"), "");
      assertActive(shell, phase(rec, "A"), before, fx.a, { promptShown: false });
      const after = phase(rec, "after");
      assert.equal(after.env.get("PYTHONHOME"), "", "PYTHONHOME is back, empty");
      assertRestored(shell, after, before);
    });

    test(`an unset PYTHONHOME stays unset; deactivate nondestructive; empty VIRTUAL_ENV_DISABLE_PROMPT${shell.nounset ? "; under set -u" : ""}`, async (t) => {
      if (!ready(t)) return;
      const fx = await makeFixture(t);
      const rec = runScript(shell, fx, [
        ...(shell.nounset ? [shell.nounset] : []),
        shell.setPrompt,
        // Looked up (and hashed) before activation: activation must forget it.
        `python3 -c 'import sys'`,
        shell.show("before"),
        ...quietly(shell, shell.source("ACT_A")),
        shell.show("A"),
        shell.pyprobe,
        ...quietly(shell, shell.deactivate("nondestructive")),
        shell.show("nondestructive"),
        ...quietly(shell, shell.deactivate()),
        shell.show("after"),
      ], { PYTHONHOME: undefined, VIRTUAL_ENV_DISABLE_PROMPT: "" });
      const before = phase(rec, "before");
      assert.equal(before.env.has("PYTHONHOME"), false);
      assertActive(shell, phase(rec, "A"), before, fx.a, { promptShown: true });
      assertRestored(shell, phase(rec, "nondestructive"), before, { deactivateKept: true });
      assertRestored(shell, phase(rec, "after"), before);
    });

    if (shell.unsetPrompt) {
      test("without a prompt variable (not interactive), none is made, and none is left", async (t) => {
        if (!ready(t)) return;
        const fx = await makeFixture(t);
        const rec = runScript(shell, fx, [
          shell.unsetPrompt!,
          shell.show("before"),
          ...quietly(shell, shell.source("ACT_A")),
          shell.show("A"),
          ...quietly(shell, shell.deactivate()),
          shell.show("after"),
        ]);
        const before = phase(rec, "before");
        assert.equal(before.rec.has("PS1") && before.rec.get("PS1") === undefined, true, "the prompt variable is unset");
        assertActive(shell, phase(rec, "A"), before, fx.a, { promptShown: true });
        assert.equal(phase(rec, "A").rec.get("PS1"), undefined, "still unset while active");
        assertRestored(shell, phase(rec, "after"), before);
      });
    }

    if (shell.renderInteractive) {
      test("the prompt as the interactive shell shows it", async (t) => {
        if (!ready(t)) return;
        const fx = await makeFixture(t);
        const render = (statements: string[], env: Record<string, string | undefined> = {}) =>
          shell.renderInteractive!([shell.setPrompt, ...statements], { cwd: fx.sb.work, env: shellEnv(shell, fx, env) });
        const before = render([]);
        assert.ok(before.startsWith("old 'q' \"d\" "), `the old prompt renders: ${JSON.stringify(before)}`);
        assert.equal(render([shell.source("ACT_A")]), `(${AWKWARD}) ${before}`);
        assert.equal(render([shell.source("ACT_A"), shell.source("ACT_B")]), `(${PROMPT_B}) ${before}`);
        assert.equal(render([shell.source("ACT_A")], { VIRTUAL_ENV_DISABLE_PROMPT: "1" }), before);
        assert.equal(render([shell.source("ACT_A"), shell.deactivate()]), before);
        assertNothingRan(fx);
      });
    }

    if (shell.name === "bash" || shell.name === "zsh") {
      // The options under which these shells expand their prompt differently.
      const modes = shell.name === "bash"
        ? { "promptvars off": "shopt -u promptvars", "posix mode": "shopt -s promptvars; set -o posix" }
        : { "PROMPT_SUBST": "setopt promptsubst", "PROMPT_SUBST and PROMPT_BANG": "setopt promptbang", "PROMPT_BANG": "unsetopt promptsubst" };
      test(`the prompt shows the name as it is under ${Object.keys(modes).join(", ")}`, async (t) => {
        if (!ready(t)) return;
        const fx = await makeFixture(t);
        const lines = [shell.setPrompt];
        for (const [i, setup] of Object.values(modes).entries()) {
          lines.push(setup, shell.show(`before${i}`), shell.source("ACT_A"), shell.show(`A${i}`), shell.deactivate(), shell.show(`after${i}`));
        }
        const rec = runScript(shell, fx, lines);
        for (const [i, mode] of Object.keys(modes).entries()) {
          const before = phase(rec, `before${i}`);
          const shown = rendered(shell, phase(rec, `A${i}`));
          assert.equal(shown, `(${AWKWARD}) ${rendered(shell, before)}`, mode);
          assert.equal(phase(rec, `after${i}`).rec.get("PS1"), before.rec.get("PS1"), mode);
        }
        assertNothingRan(fx);
      });
    }
  });
}
