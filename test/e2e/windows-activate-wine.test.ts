// activate.bat and deactivate.bat run by a real cmd.exe: wine's (Debian's
// wine64 8.0; .ci/run installs it), in a wine prefix of the test's own. The
// scripts are rendered by venvctl's own renderer for an env whose location is
// hostile to batch files (spaces, `&`, `!`, `^`, parentheses), written where
// wine sees them (Z: is /), then a driver batch file activates, prints cmd's
// variables, deactivates and prints them again: VIRTUAL_ENV, the prompt and
// PATH exact, everything put back exactly, nothing run.
//
// Two hostile kinds are checked in the structural tier (test/unit/activators
// .test.ts) and not here, because wine 8.0's cmd differs from Windows' there:
// - `%`: wine's cmd expands `%name%` again inside a variable's expanded value
//   (`set "X=%V%"` with V=`a%d%b` gives X=a<value of d>b; Windows' cmd gives
//   `a%d%b`), so a path with `%` cannot come out exact under wine whatever the
//   script does;
// - non-ASCII letters: wine maps the Unix environment and file names to
//   Windows ones through the Unix locale's code set, and this machine has no
//   UTF-8 locale wine recognizes (only C.utf8), so `é` arrives as `?`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";
import { renderActivators } from "../../src/venv/activators.js";
import { WINE, winPath } from "../helpers/wine.js";

const BASE_PATH = "C:\\windows\\system32;C:\\windows";

/** cmd's variables after each `---` marker the driver echoes: one map per section. */
function sections(out: string): Array<Map<string, string>> {
  const found: Array<Map<string, string>> = [];
  for (const line of out.split(/\r?\n/)) {
    if (line.startsWith("---")) found.push(new Map());
    else if (found.length) {
      const eq = line.indexOf("=");
      if (eq > 0) found.at(-1)!.set(line.slice(0, eq), line.slice(eq + 1));
    }
  }
  return found;
}

test("activate.bat and deactivate.bat in wine's cmd.exe: a hostile env location and prompt, exact and never run", (t) => {
  if (!requireOrSkip(t, existsSync(WINE), `wine64 runs cmd.exe (${WINE}; .ci/run installs Debian's wine64)`)) return;
  const sb = makeSandbox(t);
  // Every character batch files treat specially but `%` (see the header).
  const hostile = "my env & (x) !y! ^z";
  const envUnix = join(sb.work, hostile, "env (1) & co!");
  const scripts = join(envUnix, "Scripts");
  mkdirSync(scripts, { recursive: true });
  const prompt = "p&q (r) !s! ^t";
  for (const f of renderActivators({ envDir: winPath(envUnix), binName: "Scripts", prompt, layout: "windows" })) {
    writeFileSync(join(scripts, f.name), f.content);
  }
  // The driver reaches the env through a variable and `cd`, so that its own
  // text holds nothing hostile: `call` expands its arguments twice.
  const driver = join(sb.work, "driver.bat");
  writeFileSync(driver, [
    "@echo off",
    `set "PATH=${BASE_PATH}"`,
    'set "PROMPT=$P$G"',
    'cd /d "%ENVDIR%\\Scripts"',
    "call activate.bat",
    "echo ---activated",
    "set",
    "call deactivate.bat",
    "echo ---deactivated",
    "set",
    "",
  ].join("\r\n"));
  const before = readdirSync(sb.work).sort();
  const r = spawnSync(WINE, ["cmd", "/c", winPath(driver)], {
    cwd: sb.work,
    env: { ...sb.env, WINEPREFIX: join(sb.dir, "wineprefix"), WINEDEBUG: "-all", ENVDIR: winPath(envUnix), LC_ALL: "C.UTF-8" },
    encoding: "utf8",
    // The first run makes the wine prefix (seconds, more on a loaded machine): a limit only against a hang.
    timeout: 600_000,
    killSignal: "SIGKILL",
  });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 0, `wine cmd failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const [activated, deactivated] = sections(r.stdout);
  assert.ok(activated && deactivated, `the driver ran to the end:\n${r.stdout}`);
  const env = winPath(envUnix);
  assert.equal(activated.get("VIRTUAL_ENV"), env);
  assert.equal(activated.get("VIRTUAL_ENV_PROMPT"), prompt);
  assert.equal(activated.get("PATH"), `${env}\\Scripts;${BASE_PATH}`);
  assert.equal(activated.get("PROMPT"), `(${prompt}) $P$G`);
  assert.equal(activated.get("_OLD_VIRTUAL_PATH"), BASE_PATH);
  assert.equal(deactivated.get("PATH"), BASE_PATH);
  assert.equal(deactivated.get("PROMPT"), "$P$G");
  for (const name of ["VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "_OLD_VIRTUAL_PATH", "_OLD_VIRTUAL_PROMPT"]) {
    assert.equal(deactivated.has(name), false, `${name} is unset after deactivate.bat`);
  }
  // Nothing of the path or the prompt ran as a command: cmd says so on stderr
  // ("Can't recognize ..."), and a command would have left a trace here.
  assert.doesNotMatch(r.stdout + r.stderr, /recognize|not found|syntax/i);
  assert.deepEqual(readdirSync(sb.work).sort(), before);
});
