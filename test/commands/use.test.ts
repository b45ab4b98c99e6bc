// `use`, `version` and `versions` in-process, with the machine's real pyenv
// interpreters: what gets written for each kind of SPEC, refusals that leave
// the old pin as it was, --global/--shell/--unset, and what is reported.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeUse, use, type UseOptions } from "../../src/commands/use.js";
import { formatVersionLines, missingError, version } from "../../src/commands/version.js";
import { formatVersionsTable, versions } from "../../src/commands/versions.js";
import { UsageError, VenvctlError } from "../../src/errors.js";
import { makeContext } from "../helpers/context.js";
import { makeSandbox, PYENV_ROOT } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";

const HAVE = ["3.11", "3.12", "3.13"].every((m) => pyenvPython(m) !== undefined);
const opts = (specs: string[], extra: Partial<UseOptions> = {}): UseOptions => ({ specs, scope: "local", unset: false, ...extra });

async function refused(p: Promise<unknown>, pattern: RegExp, kind: typeof VenvctlError = VenvctlError): Promise<VenvctlError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof kind, `a ${kind.name}, not ${String(err)}`);
    assert.match(err.message, pattern);
    return err;
  }
  assert.fail("expected a refusal");
}

test("what `use` writes for each kind of SPEC, readable by pyenv and uv", async (t) => {
  if (!requireOrSkip(t, HAVE, "pyenv 3.11, 3.12 and 3.13 are needed")) return;
  const sb = makeSandbox(t);
  const ctx = makeContext(sb);
  const file = join(sb.work, ".python-version");
  const cases: Array<[string[], string, RegExp | undefined]> = [
    [["3.12"], "3.12\n", undefined],
    [["3.12.1"], "3.12.1\n", undefined],
    [["3"], "3\n", undefined],
    [["system"], "system\n", undefined],
    [["3.12", "3.11"], "3.12\n3.11\n", undefined],
    [[">=3.10 <3.13"], "3.12.1\n", /is a range, which pyenv and uv do not read: pinned 3\.12\.1, the newest installed match/],
    [[">=3.10,<3.12"], "3.11.7\n", /is a range/],
    [["3.x"], "3.13.0\n", /is a range/],
    [["^3.10"], "3.13.0\n", /is a range/],
    [["~=3.11.0"], "3.11.7\n", /is a range/],
    [["cpython@3.12"], "3.12\n", /pyenv does not read `cpython@3\.12`: pinned the same request as 3\.12/],
    [["python3.11"], "3.11.7\n", /pinned 3\.11\.7/],
    [[join(PYENV_ROOT, "versions", "3.11.7", "bin", "python3.11")], "3.11.7\n", /not a path: pinned 3\.11\.7/],
  ];
  for (const [specs, written, message] of cases) {
    const r = await use(opts(specs), ctx);
    assert.equal(readFileSync(file, "utf8"), written, specs.join(" "));
    const told = describeUse(r, sb.home).join("\n");
    assert.match(told, /^Pinned /m, told);
    if (message) assert.match(told, message);
    else assert.ok(!/pinned .* what it selects|is a range/.test(told), told);
  }
  const r = await use(opts(["3.12"]), ctx);
  assert.equal(r.pins[0]!.target?.name, "3.12.1");
  assert.match(describeUse(r, sb.home)[0]!, /^Pinned 3\.12 in .*\.python-version \(selects 3\.12\.1\)$/);
});

test("a SPEC nothing matches is refused, listing what is installed; the old pin stays", async (t) => {
  if (!requireOrSkip(t, HAVE, "pyenv 3.11, 3.12 and 3.13 are needed")) return;
  const sb = makeSandbox(t);
  const ctx = makeContext(sb);
  const file = join(sb.work, ".python-version");
  writeFileSync(file, "# ours\n3.11\n");
  const before = statSync(file).mtimeMs;
  for (const spec of ["3.99", "pypy3.9", ">=4", "2.6", "3.12.9"]) {
    const err = await refused(use(opts([spec]), ctx), new RegExp(`^cannot use \`${spec.replace(/\./g, "\\.")}\`: no installed Python matches it$`));
    assert.match(err.hint ?? "", /^installed: 3\.13\.0, 3\.12\.1, 3\.11\.7, .*2\.7\.18/);
  }
  await refused(use(opts(["3.12", "3.99"]), ctx), /3\.99/);
  await refused(use(opts(["foo bar"]), ctx), /cannot understand the version `foo bar`/, UsageError);
  await refused(use(opts([]), ctx), /needs one/, UsageError);
  await refused(use(opts(["3.12"], { unset: true }), ctx), /--unset takes no version/, UsageError);
  assert.equal(readFileSync(file, "utf8"), "# ours\n3.11\n");
  assert.equal(statSync(file).mtimeMs, before);
});

test("--global, --unset, a linked .python-version, a directory in the way", async (t) => {
  if (!requireOrSkip(t, HAVE, "pyenv 3.11, 3.12 and 3.13 are needed")) return;
  const sb = makeSandbox(t);
  const ctx = makeContext(sb);
  assert.ok(!existsSync(sb.root));
  const g = await use(opts(["3.11"], { scope: "global" }), ctx);
  assert.equal(readFileSync(join(sb.root, "version"), "utf8"), "3.11\n");
  assert.equal(g.file, join(sb.root, "version"));
  assert.ok(existsSync(join(sb.root, "shims", "python3.11")), "use rehashes by itself");

  // A local pin shadows the global one: said so.
  writeFileSync(join(sb.work, ".python-version"), "3.12\n");
  const shadowed = await use(opts(["3.13"], { scope: "global" }), ctx);
  assert.ok(shadowed.notes.some((n) => /\.python-version takes precedence here \(it selects 3\.12\)/.test(n)), shadowed.notes.join("\n"));

  const u = await use(opts([], { unset: true }), ctx);
  assert.equal(u.removed, true);
  assert.ok(!existsSync(join(sb.work, ".python-version")));
  assert.equal((await use(opts([], { unset: true }), ctx)).removed, false);
  await use(opts([], { scope: "global", unset: true }), ctx);
  assert.ok(!existsSync(join(sb.root, "version")));

  // Through a link, the linked file is updated and the link stays.
  const shared = join(sb.dir, "shared-version");
  writeFileSync(shared, "3.11\n");
  symlinkSync(shared, join(sb.work, ".python-version"));
  await use(opts(["3.12"]), ctx);
  assert.ok(lstatSync(join(sb.work, ".python-version")).isSymbolicLink());
  assert.equal(readFileSync(shared, "utf8"), "3.12\n");

  const sub = join(sb.work, "sub");
  mkdirSync(join(sub, ".python-version"), { recursive: true });
  await refused(use(opts(["3.12"]), makeContext(sb, { cwd: sub })), /is a directory, not a version file/);
});

test("--shell prints the code for the shell; says so when the shell function is not there", async (t) => {
  if (!requireOrSkip(t, HAVE, "pyenv 3.11, 3.12 and 3.13 are needed")) return;
  const sb = makeSandbox(t);
  const plain = await use(opts(["3.x"], { scope: "shell" }), makeContext(sb, { env: { SHELL: "/bin/bash" } }));
  assert.equal(plain.shellCode, "export VENVCTL_VERSION=3.13.0\n");
  assert.equal(plain.integration, false);
  const told = describeUse(plain, sb.home).join("\n");
  assert.match(told, /^VENVCTL_VERSION=3\.13\.0 in this shell$/m);
  assert.match(told, /shell function is not loaded, so this shell is unchanged: evaluate the line above \(eval "\$\(venvctl use --shell …\)"\)/);
  assert.match(told, /eval "\$\(venvctl init bash\)"/);

  const fish = await use(opts(["3.12", "3.11"], { scope: "shell" }), makeContext(sb, { env: { VENVCTL_SHELL_INTEGRATION: "fish" } }));
  assert.equal(fish.shellCode, "set -gx VENVCTL_VERSION '3.12 3.11'\n");
  assert.equal(fish.integration, true);
  assert.ok(!describeUse(fish, sb.home).join("\n").includes("not loaded"));
  const unset = await use(opts([], { scope: "shell", unset: true }), makeContext(sb, { env: { VENVCTL_SHELL_INTEGRATION: "zsh" } }));
  assert.equal(unset.shellCode, "unset VENVCTL_VERSION\n");
  assert.ok(!existsSync(join(sb.work, ".python-version")), "--shell writes no file");
});

test("a local pin is written even when the shims cannot be; --global then fails clearly", async (t) => {
  if (!requireOrSkip(t, HAVE, "pyenv 3.11, 3.12 and 3.13 are needed")) return;
  const sb = makeSandbox(t);
  const blocker = join(sb.dir, "blocker");
  writeFileSync(blocker, "");
  const ctx = makeContext(sb, { env: { VENVCTL_ROOT: join(blocker, "root") } });
  const r = await use(opts(["3.12"]), ctx);
  assert.equal(readFileSync(join(sb.work, ".python-version"), "utf8"), "3.12\n");
  assert.ok(r.notes.some((n) => /^warning: cannot write the shims in /.test(n)), r.notes.join("\n"));
  const err = await refused(use(opts(["3.11"], { scope: "global" }), ctx), /^cannot write .*blocker\/root\/version$/);
  assert.match(err.hint ?? "", /VENVCTL_ROOT\) exists and is writable/);
});

test("an active venv and a VENVCTL_VERSION are pointed out after a local pin", async (t) => {
  if (!requireOrSkip(t, HAVE, "pyenv 3.11, 3.12 and 3.13 are needed")) return;
  const sb = makeSandbox(t);
  const r = await use(opts(["3.12"]), makeContext(sb, { env: { VIRTUAL_ENV: join(sb.work, ".venv"), VENVCTL_VERSION: "3.11" } }));
  const notes = r.notes.join("\n");
  assert.match(notes, /VENVCTL_VERSION takes precedence here \(it selects 3\.11\)/);
  assert.match(notes, /the active virtual environment \(.*\.venv\) still comes first/);
  assert.match(notes, /shims is not on PATH/);
});

test("version and versions: resolved prefixes, who set them, the selected ones marked", async (t) => {
  if (!requireOrSkip(t, HAVE, "pyenv 3.11, 3.12 and 3.13 are needed")) return;
  const sb = makeSandbox(t);
  const file = join(sb.work, ".python-version");
  const ctx = makeContext(sb);
  assert.deepEqual(formatVersionLines(await version({}, ctx), false, sb.home), ["system (no version pinned, the first python3 on PATH: /usr/bin/python3)"]);

  writeFileSync(file, "3.12\n3.99\n3.11.7\n");
  const v = await version({}, ctx);
  assert.deepEqual(formatVersionLines(v, false, sb.home), [`3.12.1 (set by ${file})`, `3.11.7 (set by ${file})`]);
  assert.deepEqual(formatVersionLines(v, true, sb.home), ["3.12.1", "3.11.7"]);
  assert.match(missingError(v)?.message ?? "", /^version `3\.99` is not installed \(set by .*\.python-version\)$/);

  const e = await version({}, makeContext(sb, { env: { VENVCTL_VERSION: "3" } }));
  assert.deepEqual(formatVersionLines(e, false, sb.home), ["3.13.0 (set by VENVCTL_VERSION)"]);

  const all = await versions({ json: true }, ctx);
  const by = (name: string) => all.interpreters.find((i) => i.name === name);
  assert.equal(by("3.12.1")?.selected, true);
  assert.equal(by("3.12.1")?.selectedBy, `set by ${file}`);
  assert.equal(by("3.11.7")?.selected, true);
  assert.equal(by("3.13.0")?.selected, false);
  assert.equal(by("3.12.1")?.source, "pyenv");
  assert.equal(by("3.12.1")?.path, join(sb.pyenvRoot, "versions", "3.12.1", "bin", "python3"));
  assert.ok(all.interpreters.some((i) => i.source === "path" && i.path === "/usr/bin/python3"), "Debian's python3 from PATH");
  const table = formatVersionsTable(all, sb.home);
  assert.ok(table.some((l) => /^\* 3\.12\.1 +cpython +pyenv +\/.*\/3\.12\.1\/bin\/python3 +\(set by /.test(l)), table.join("\n"));
  assert.ok(table.some((l) => /^ {2}3\.13\.0 /.test(l)));
});
