// Which site directories pip reads, compared with pip: a venv that includes
// the base interpreter's site-packages (-l, --user, the user site, a .pth
// file's directory, $PYTHONPATH), a plain interpreter with a user site,
// PYTHONNOUSERSITE, and --path over distributions with versions pip calls
// legacy — for pip 23.2 (3.12) and 24.2 (3.13).
import { after, before, test } from "node:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { assertSameAsPip, makeVenv, pipOk, runPip, runVenvctl, sitePackages } from "../helpers/package-env.js";
import { buildWheel } from "../helpers/wheel-builder.js";

function distInfo(site: string, name: string, version: string, extra: string[] = []): void {
  const dir = join(site, `${name.replace(/[-.]/g, "_")}-${version}.dist-info`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "METADATA"), ["Metadata-Version: 2.1", `Name: ${name}`, `Version: ${version}`, ...extra, ""].join("\n"));
  writeFileSync(join(dir, "INSTALLER"), "pip\n");
  writeFileSync(join(dir, "RECORD"), `${name}.py,,\n`);
}

for (const minor of ["3.12", "3.13"]) {
  const python = pyenvPython(minor);
  let sb: (Sandbox & { cleanup(): void }) | undefined;
  let venv = "";
  let vpy = "";
  let plainVenv = "";
  let legacyDir = "";
  let userEnv: Record<string, string> = {};

  before(() => {
    if (!python) return;
    sb = makeSandbox(undefined, `venvctl-sites-${minor}`);
    const wheels = join(sb.dir, "wheels");
    buildWheel(wheels, { name: "venv-only", version: "1.0", files: { "venv_only.py": "" } });
    buildWheel(wheels, { name: "shadowed", version: "2.0", files: { "shadowed.py": "" } });
    venv = join(sb.dir, "venv-system-site");
    vpy = makeVenv(python, venv, sb, true);
    pipOk(vpy, ["install", "-q", "--no-index", "--find-links", wheels, "venv-only", "shadowed"], sb);
    // The user site (HOME is the sandbox's), holding its own packages and an older `shadowed`.
    const userSite = join(sb.home, ".local", "lib", `python${minor}`, "site-packages");
    distInfo(userSite, "user-pkg", "0.5", ["Summary: in the user site", "Requires-Dist: venv-only"]);
    distInfo(userSite, "shadowed", "1.0");
    // A .pth file in the venv pointing at a directory with a distribution in it.
    const extra = join(sb.dir, "pth-dir");
    distInfo(extra, "pth-found", "1.1");
    writeFileSync(join(sitePackages(venv), "zz-extra.pth"), `# a comment\nimport sys\n${extra}\n/does/not/exist\n`);
    // A $PYTHONPATH directory.
    const pp = join(sb.dir, "pythonpath");
    distInfo(pp, "from-pythonpath", "3.0");
    userEnv = { PYTHONPATH: pp };
    plainVenv = join(sb.dir, "venv-plain");
    makeVenv(python, plainVenv, sb);
    // Versions pip calls legacy (not PEP 440), read with --path.
    legacyDir = join(sb.dir, "legacy-versions");
    distInfo(legacyDir, "legacyv", "1.0-foo-bar");
    distInfo(legacyDir, "normal", "01.00");
    distInfo(legacyDir, "locally", "1.0+Ubuntu-01");
  });
  after(() => sb?.cleanup());

  const same = async (args: string[], target: string, pythonExe: string, env: Record<string, string> = {}) => {
    const ours = await runVenvctl([...args, "-p", target], sb!, { env });
    const pip = runPip(pythonExe, args, { ...sb!, env: { ...sb!.env, ...env } });
    assertSameAsPip(ours, pip, `${minor}: ${args.join(" ")} (${target})`);
  };

  for (const args of [["freeze"], ["freeze", "--all"], ["freeze", "-l"], ["freeze", "--user"], ["list"], ["list", "-l"], ["list", "--user"], ["list", "-v"], ["show", "pip", "user-pkg", "venv-only", "shadowed"]]) {
    test(`[${minor}] ${args.join(" ")} in a venv with system site-packages and a user site`, async (t) => {
      if (!requireOrSkip(t, python !== undefined, `pyenv ${minor} is needed`)) return;
      await same(args, venv, vpy);
      await same(args, venv, vpy, userEnv); // with $PYTHONPATH
      await same(args, venv, vpy, { PYTHONNOUSERSITE: "1" });
    });
  }

  test(`[${minor}] the user site is not read in a venv without system site-packages`, async (t) => {
    if (!requireOrSkip(t, python !== undefined, `pyenv ${minor} is needed`)) return;
    for (const args of [["list"], ["freeze", "--user"], ["list", "--user", "--format", "json"]]) {
      await same(args, plainVenv, join(plainVenv, "bin", "python"));
    }
  });

  test(`[${minor}] a plain interpreter reads its user site`, async (t) => {
    if (!requireOrSkip(t, python !== undefined, `pyenv ${minor} is needed`)) return;
    for (const args of [["list"], ["freeze", "--all"], ["list", "--user", "-v"], ["list", "-l"]]) await same(args, python!, python!);
  });

  test(`[${minor}] --path with versions that are not PEP 440, or not normalized`, async (t) => {
    if (!requireOrSkip(t, python !== undefined, `pyenv ${minor} is needed`)) return;
    await same(["freeze", "--path", legacyDir], python!, python!);
    await same(["list", "--path", legacyDir], python!, python!);
    await same(["show", "legacyv"], python!, python!); // not on sys.path: not found
    if (minor === "3.12") {
      // pip 24 stops with a traceback on these two; pip 23 answers.
      await same(["list", "--path", legacyDir, "--format", "json"], python!, python!);
      await same(["list", "--path", legacyDir, "--format", "freeze"], python!, python!);
    }
  });
}
