// Environments for the package-command tests, made the way users make them
// (`python -m venv`, pip installing wheels built here, setuptools doing
// editable installs) plus what pip itself never writes but users have
// (hand-made egg-info, broken metadata), and the real pip as the oracle.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "../../src/cli/index.js";
import { clearListingCache } from "../../src/environments/listing.js";
import { renderError } from "../../src/errors.js";
import { makeContext } from "./context.js";
import { spawnAsync, type CliResult } from "./run-cli.js";
import type { Sandbox } from "./hermetic.js";
import { PYENV_ROOT } from "./hermetic.js";
import { buildWheel } from "./wheel-builder.js";

/** What a command did: exit code, stdout, stderr. */
export type Output = CliResult;

/** Runs `python -m pip ARGS` with the sandbox's scrubbed environment (no pip.conf, no PIP_*). */
export function runPip(python: string, args: readonly string[], sb: Sandbox, cwd = sb.work): Output {
  const r = spawnSync(python, ["-m", "pip", ...args], { cwd, env: sb.env, encoding: "utf8", timeout: 180_000, maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

/** runPip, without waiting: for the slow oracles (pip show of ~100 packages takes half a minute). */
export function runPipAsync(python: string, args: readonly string[], sb: Sandbox, cwd = sb.work): Promise<Output> {
  return spawnAsync(python, ["-m", "pip", ...args], { cwd, env: sb.env });
}

/** pip must succeed (installs while building fixtures). */
export function pipOk(python: string, args: readonly string[], sb: Sandbox, cwd = sb.work): void {
  const r = runPip(python, args, sb, cwd);
  assert.equal(r.code, 0, `pip ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
}

/** Runs venvctl in-process (the real command line, the real printing) and answers what a user sees. */
export async function runVenvctl(args: readonly string[], sb: Sandbox, opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<Output> {
  clearListingCache();
  const ctx = makeContext(sb, opts);
  let code: number;
  try {
    code = await runCli([...args], ctx);
  } catch (err) {
    const r = renderError(err);
    ctx.stderr.write(r.text);
    code = r.exitCode;
  }
  return { code, stdout: ctx.out(), stderr: ctx.err() };
}

/** A venv as `python -m venv` makes it (pip seeded by ensurepip). */
export function makeVenv(python: string, dir: string, sb: Sandbox, systemSite = false): string {
  const args = ["-m", "venv", ...(systemSite ? ["--system-site-packages"] : []), dir];
  const r = spawnSync(python, args, { env: sb.env, encoding: "utf8", timeout: 180_000 });
  assert.equal(r.status, 0, `python -m venv failed: ${r.stderr}`);
  return join(dir, "bin", "python");
}

/** The venv's site-packages directory. */
export function sitePackages(venv: string): string {
  const lib = join(venv, "lib");
  const py = readdirSync(lib).find((n) => n.startsWith("python"))!;
  return join(lib, py, "site-packages");
}

/** setuptools and wheel wheels that ship with CPython's test suite here (no network for builds). */
export function buildBackendWheels(): string[] {
  const dirs = [
    join(PYENV_ROOT, "versions", "3.13.0", "lib", "python3.13", "test", "wheeldata"),
    join(PYENV_ROOT, "versions", "3.12.1", "lib", "python3.12", "test"),
  ];
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    const whl = readdirSync(d).filter((n) => /^(setuptools|wheel)-.*\.whl$/.test(n));
    if (whl.some((n) => n.startsWith("setuptools-")) && whl.some((n) => n.startsWith("wheel-"))) return whl.map((n) => join(d, n));
  }
  return [];
}

export interface Fixture {
  venv: string;
  python: string;
  site: string;
  wheels: string;
  /** The PEP 660 editable project and the `setup.py develop` one. */
  editableProject: string;
  legacyProject: string;
  /** Names pip list shows, plus the hand-made ones. */
  names: string[];
}

/** The wheels every fixture installs (names needing normalization, extras and markers, odd versions). */
export function buildFixtureWheels(dir: string): void {
  buildWheel(dir, {
    name: "Foo.Bar_baz",
    version: "1.0",
    metadata: [
      "Summary: A package whose name needs normalizing",
      "Home-page: https://example.invalid/foo",
      "Author: Ann Author",
      "Author-email: ann@example.invalid",
      "License: MIT License",
      "        ",
      "        Permission is hereby granted, in a folded field.",
      "Classifier: Programming Language :: Python :: 3",
      "Classifier: License :: OSI Approved :: MIT License",
      "Project-URL: Source, https://example.invalid/foo/src",
      "Requires-Dist: dep-alpha>=1.0",
      'Requires-Dist: Dep_Beta[extra1] ; python_version >= "3.8"',
      'Requires-Dist: dep-gamma ; extra == "test"',
      'Requires-Dist: dep-delta ; sys_platform == "win32"',
      'Requires-Dist: dep-alpha ; python_full_version >= "3.0.0"',
      "Provides-Extra: test",
    ],
    description: "The long description.\n\nIt is never printed.\n",
    files: { "foo_bar_baz/__init__.py": "VALUE = 1\n", "foo_bar_baz/data/table.csv": "a,b\n" },
    entryPoints: { console_scripts: { "foo-cli": "foo_bar_baz:main" }, "foo.plugins": { one: "foo_bar_baz:one" } },
    distInfoFiles: { "top_level.txt": "foo_bar_baz\n" },
  });
  buildWheel(dir, {
    name: "dep-alpha",
    version: "02.0.post1",
    metadata: [
      "Summary: Its version is PEP 440 but not normalized",
      "Project-URL: Home_Page, https://example.invalid/alpha",
      "Project-URL: Tracker, https://example.invalid/alpha/issues",
    ],
    files: { "dep_alpha.py": "A = 1\n" },
  });
  buildWheel(dir, {
    name: "Dep_Beta",
    version: "0.9",
    metadata: ["Summary: Caf\u00e9 cr\u00e8me \u2014 UTF-8 in a field", "Provides-Extra: extra1", 'Requires-Dist: dep-gamma ; extra == "extra1"'],
    files: { "dep_beta/__init__.py": "" },
  });
  buildWheel(dir, { name: "dep-gamma", version: "1.0rc1", files: { "dep_gamma.py": "" } });
  buildWheel(dir, { name: "direct.pkg", version: "3.1", metadata: ["Summary: Installed from a file:// URL"], files: { "direct_pkg.py": "" } });
}

/** The projects setuptools installs in editable mode. */
export function writeProjects(root: string): { editable: string; legacy: string } {
  const editable = join(root, "proj-editable");
  mkdirSync(join(editable, "src", "projmod"), { recursive: true });
  writeFileSync(join(editable, "pyproject.toml"), [
    "[build-system]",
    'requires = ["setuptools>=64", "wheel"]',
    'build-backend = "setuptools.build_meta"',
    "",
    "[project]",
    'name = "Proj.Editable"',
    'version = "0.3.0"',
    'description = "An editable project"',
    'dependencies = ["dep-alpha>=1", "idna; python_version < \'3\'"]',
    "",
    "[project.urls]",
    'Homepage = "https://example.invalid/proj"',
    "",
  ].join("\n"));
  writeFileSync(join(editable, "src", "projmod", "__init__.py"), "X = 1\n");
  const legacy = join(root, "proj-legacy");
  mkdirSync(join(legacy, "legacymod"), { recursive: true });
  writeFileSync(join(legacy, "setup.py"), [
    "from setuptools import setup",
    'setup(name="legacy_dev.pkg", version="1.2", packages=["legacymod"], install_requires=["Proj.Editable"])',
    "",
  ].join("\n"));
  writeFileSync(join(legacy, "legacymod", "__init__.py"), "Y = 2\n");
  return { editable, legacy };
}

/** What pip never writes but environments hold: egg-info (directory and file), broken metadata. */
export function writeHandMadeDists(site: string, pyTag: string): void {
  const egg = join(site, `Legacy_Egg-2.5-${pyTag}.egg-info`);
  mkdirSync(egg);
  writeFileSync(join(egg, "PKG-INFO"), [
    "Metadata-Version: 1.1",
    "Name: Legacy_Egg",
    "Version: 2.5",
    "Summary: An egg-info distribution, as setuptools writes one",
    "Home-page: https://example.invalid/legacy",
    "Author: Old Timer",
    "Author-email: old@example.invalid",
    "License: BSD",
    "Description: A long",
    "        description, indented as setuptools indents it.",
    "Platform: UNKNOWN",
    "Classifier: Programming Language :: Python :: 2",
    "",
  ].join("\n"));
  writeFileSync(join(egg, "requires.txt"), 'dep-alpha>=1.0\n\n[:python_version < "3"]\nnever-installed\n\n[test]\ndep-gamma\n');
  writeFileSync(join(egg, "top_level.txt"), "legacy_egg\n");
  writeFileSync(join(egg, "installed-files.txt"), "../legacy_egg/__init__.py\n../legacy_egg/__pycache__/__init__.cpython-311.pyc\nPKG-INFO\nSOURCES.txt\nrequires.txt\ntop_level.txt\n");
  mkdirSync(join(site, "legacy_egg"));
  writeFileSync(join(site, "legacy_egg", "__init__.py"), "");
  // distutils wrote metadata as a single file.
  writeFileSync(join(site, `single_file-0.1-${pyTag}.egg-info`), "Metadata-Version: 1.0\nName: single-file\nVersion: 0.1\nSummary: A distutils install\nAuthor: Someone\nLicense: UNKNOWN\n");
  // An upgrade interrupted: pip's temporary leftover, warned about and ignored.
  mkdirSync(join(site, "~ip-0.1.dist-info"));
  writeFileSync(join(site, "~ip-0.1.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: ~ip\nVersion: 0.1\n");
  // Metadata without a Name (pip 23 skips it with a warning; pip 24.2 names it after its directory).
  mkdirSync(join(site, "nameless-1.0.dist-info"));
  writeFileSync(join(site, "nameless-1.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nVersion: 1.0\nSummary: no name\n");
  writeFileSync(join(site, "nameless-1.0.dist-info", "RECORD"), "");
  // CRLF line endings and a folded field.
  mkdirSync(join(site, "crlf_pkg-4.0.dist-info"));
  writeFileSync(join(site, "crlf_pkg-4.0.dist-info", "METADATA"),
    "Metadata-Version: 2.1\r\nName: CRLF-Pkg\r\nVersion: 4.0\r\nSummary: written on\r\n  Windows\r\nRequires-Dist: dep-gamma\r\n\r\nbody\r\n");
  writeFileSync(join(site, "crlf_pkg-4.0.dist-info", "INSTALLER"), "\n  other-tool  \n");
  writeFileSync(join(site, "crlf_pkg-4.0.dist-info", "RECORD"), 'crlf_pkg.py,,\n"with,comma.txt",sha256=x,1\ncrlf_pkg-4.0.dist-info/METADATA,,\n./odd//path/x.py,,\n');
  // An invalid direct_url.json: pip warns and treats the distribution as a plain one.
  mkdirSync(join(site, "bad_direct-1.0.dist-info"));
  writeFileSync(join(site, "bad_direct-1.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: bad_direct\nVersion: 1.0\n");
  writeFileSync(join(site, "bad_direct-1.0.dist-info", "direct_url.json"), '{"dir_info": {}}');
}

/** Builds a fixture venv: wheels, a file:// install, two editables, hand-made distributions. */
export function makeFixture(python: string, sb: Sandbox, label: string): Fixture {
  const root = join(sb.dir, label);
  mkdirSync(root, { recursive: true });
  const venv = join(root, "venv");
  const vpy = makeVenv(python, venv, sb);
  const wheels = join(root, "wheels");
  buildFixtureWheels(wheels);
  for (const w of buildBackendWheels()) copyFileSync(w, join(wheels, w.split("/").pop()!));
  pipOk(vpy, ["install", "-q", "--no-index", "--find-links", wheels, "Foo.Bar_baz", "dep-gamma", "setuptools", "wheel"], sb);
  const direct = readdirSync(wheels).find((n) => n.startsWith("direct_pkg-"))!;
  pipOk(vpy, ["install", "-q", "--no-index", pathToFileURL(join(wheels, direct)).href], sb);
  const projects = writeProjects(root);
  pipOk(vpy, ["install", "-q", "--no-index", "--find-links", wheels, "--no-build-isolation", "-e", projects.editable], sb);
  pipOk(vpy, ["install", "-q", "--no-index", "--find-links", wheels, "--no-build-isolation", "--no-use-pep517", "-e", projects.legacy], sb);
  const site = sitePackages(venv);
  const pyTag = "py" + site.split("/").slice(-2)[0]!.replace(/^python/, "");
  writeHandMadeDists(site, pyTag);
  const listed = runPip(vpy, ["list", "--format", "freeze"], sb).stdout.trim().split("\n").map((l) => l.split("==")[0]!);
  return {
    venv,
    python: vpy,
    site,
    wheels,
    editableProject: projects.editable,
    legacyProject: projects.legacy,
    names: [...listed, "single-file", "legacy-egg", "nameless", "not-installed-anywhere"],
  };
}

/** Asserts venvctl's output equals pip's: stdout, stderr and exit code. */
export function assertSameAsPip(ours: Output, pip: Output, what: string): void {
  assert.equal(ours.stdout, pip.stdout, `${what}: stdout differs`);
  assert.equal(ours.stderr, pip.stderr, `${what}: stderr differs`);
  assert.equal(ours.code, pip.code, `${what}: exit code differs`);
}

/** The requirements files the freeze -r comparisons use (written into `dir`). */
export function writeRequirementFiles(dir: string, fx: Fixture): string[] {
  mkdirSync(join(dir, "localproj"), { recursive: true });
  writeFileSync(join(dir, "localproj", "setup.py"), "from setuptools import setup\nsetup()\n");
  const first = join(dir, "requirements.txt");
  writeFileSync(first, [
    "# The project's requirements",
    "-i https://example.invalid/simple",
    "",
    "Foo.Bar-Baz>=0.1  # with a comment",
    "not-installed-pkg==1.0",
    "dep_alpha",
    "# a repeated comment",
    "",
    `-e ${fx.editableProject}`,
    "https://example.invalid/pkgs/dep_gamma-1.0rc1-py3-none-any.whl",
    "./localproj",
    "--find-links /nowhere",
    "# a repeated comment",
    "Legacy-Egg ; python_version >= '3'",
    "",
  ].join("\n"));
  const second = join(dir, "more.txt");
  writeFileSync(second, ["# more", "dep-alpha", "Dep_Beta[extra1]", "-i https://example.invalid/simple", "not-installed-pkg", ""].join("\n"));
  return [first, second];
}
