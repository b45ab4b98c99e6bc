// The differential matrix for one Python version: a venv made by that
// version's `python -m venv`, filled by its pip, then every freeze / list /
// show flag compared with that pip, byte for byte (stdout, stderr, exit code).
import { after, before, test, type TestContext } from "node:test";
import { makeSandbox, type Sandbox } from "./hermetic.js";
import { pyenvPython } from "./interpreters.js";
import { requireOrSkip } from "./require.js";
import {
  assertSameAsPip, buildBackendWheels, makeFixture, runPip, runVenvctl, writeRequirementFiles, type Fixture,
} from "./package-env.js";

export function registerVenvComparisons(minor: string): void {
  const python = pyenvPython(minor);
  let sb: (Sandbox & { cleanup(): void }) | undefined;
  let fx: Fixture | undefined;

  before(() => {
    if (!python || buildBackendWheels().length === 0) return;
    sb = makeSandbox(undefined, `venvctl-pkgs-${minor}`);
    fx = makeFixture(python, sb, `py${minor}`);
    writeRequirementFiles(sb.work, fx);
  });
  after(() => sb?.cleanup());

  const ready = (t: TestContext) =>
    requireOrSkip(t, fx !== undefined, `pyenv ${minor} and CPython's setuptools/wheel test wheels are needed`);

  const same = async (args: string[], what = args.join(" ")) => {
    const ours = await runVenvctl([...args, "-p", fx!.venv], sb!);
    const pip = runPip(fx!.python, args, sb!);
    assertSameAsPip(ours, pip, `${minor}: ${what}`);
  };

  const freezeFlags: string[][] = [
    [], ["--all"], ["--exclude", "dep-alpha", "--exclude", "Foo-Bar-Baz"], ["--exclude-editable"], ["-l"], ["--user"],
  ];
  for (const flags of freezeFlags) {
    test(`[${minor}] freeze ${flags.join(" ")} is pip's`, async (t) => {
      if (ready(t)) await same(["freeze", ...flags]);
    });
  }
  test(`[${minor}] freeze --path SITE is pip's`, async (t) => {
    if (ready(t)) await same(["freeze", "--path", fx!.site], "freeze --path");
  });
  test(`[${minor}] freeze -r FILE -r FILE follows the files as pip does`, async (t) => {
    if (!ready(t)) return;
    await same(["freeze", "-r", "requirements.txt"], "freeze -r");
    await same(["freeze", "-r", "requirements.txt", "-r", "more.txt", "--all"], "freeze -r -r --all");
  });

  const listFlags: string[][] = [
    [], ["--format=freeze"], ["--format", "json"], ["-e"], ["--exclude-editable"], ["--not-required"],
    ["--exclude", "foo.bar.baz"], ["-l"], ["--user"], ["-v"], ["--format", "json", "-v"], ["-e", "--format", "json"],
    ["--format", "freeze", "-v"], ["--not-required", "--exclude-editable", "--format", "json"],
  ];
  for (const flags of listFlags) {
    test(`[${minor}] list ${flags.join(" ")} is pip's`, async (t) => {
      if (ready(t)) await same(["list", ...flags]);
    });
  }
  test(`[${minor}] list --path SITE is pip's`, async (t) => {
    if (ready(t)) await same(["list", "--path", fx!.site], "list --path");
  });

  test(`[${minor}] show of every installed package is pip's`, async (t) => {
    if (ready(t)) await same(["show", ...fx!.names], "show (all)");
  });
  test(`[${minor}] show -f -v is pip's`, async (t) => {
    if (!ready(t)) return;
    await same(["show", "-f", "-v", "Foo.Bar_baz", "legacy-egg", "proj.editable", "legacy_dev.pkg", "single-file", "crlf-pkg", "direct.pkg", "dep-alpha", "Dep-Beta", "pip"]);
  });
  test(`[${minor}] show of names not installed: pip's warning, exit 1`, async (t) => {
    if (ready(t)) await same(["show", "nothere", "Not_There.Either"]);
  });
  test(`[${minor}] show --files of a dist-info without RECORD entries and an egg-info file`, async (t) => {
    if (ready(t)) await same(["show", "--files", "nameless", "single-file", "bad-direct"]);
  });
}
