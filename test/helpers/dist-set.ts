// The differential distribution set, built offline into one directory (a
// --find-links directory, and an index through serveIndex), byte for byte
// the same on every run so that caches keyed by sha256 hit: ~30 projects with
// everything a wheel installer must get right (see DIST_SET and buildDistSet),
// for the tests that compare venvctl's installs with pip's. (sized-set.ts
// builds the benchmark's set.)
// Longer than 350 lines because the set is one table with its scripts: split,
// a reader would have to join the halves to see what the set holds.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { which } from "./require.js";
import { buildSdist } from "./sdist-builder.js";
import { buildWheel, distInfoStem, type WheelSpec } from "./wheel-builder.js";

/** What a platform wheel for an interpreter needs to know about it. */
export interface PlatformTarget {
  /** major.minor */
  minor: string;
  /** `cp312` */
  abi: string;
  /** `.cpython-312-x86_64-linux-gnu.so` */
  extSuffix: string;
  /** Where Python.h is. */
  include: string;
}

/** Asks the interpreter (once) what its platform wheels are called. */
export function platformTarget(python: string): PlatformTarget {
  const out = execFileSync(python, ["-c",
    "import sys, sysconfig; print('%d.%d' % sys.version_info[:2]); print(sysconfig.get_config_var('EXT_SUFFIX')); print(sysconfig.get_paths()['include'])",
  ], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } }).split("\n");
  const minor = out[0]!;
  return { minor, abi: `cp${minor.replace(".", "")}`, extSuffix: out[1]!, include: out[2]! };
}

/** The compatibility tag of the set's platform wheel for `t` (a compressed tag set, as manylinux wheels have). */
export function platformTag(t: PlatformTarget): string {
  return `${t.abi}-${t.abi}-manylinux_2_17_x86_64.manylinux2014_x86_64`;
}

/** A project of the set: its versions, and for which interpreters a plain install of DIST_SET_REQUIREMENTS ends with it. */
export interface SetProject {
  /** As METADATA spells it. */
  name: string;
  versions: string[];
  /** The version installed by DIST_SET_REQUIREMENTS for a `major.minor`, or undefined when it must not be. */
  installedBy: (minor: string) => string | undefined;
  sdist?: boolean;
  platform?: boolean;
}

const atLeast = (minor: string, major: number, min: number) => {
  const [a, b] = minor.split(".").map(Number) as [number, number];
  return a > major || (a === major && b >= min);
};
const always = (v: string) => () => v;
const never = () => undefined;

/** Every project in the set, and what the first install leaves installed. */
export const DIST_SET: SetProject[] = [
  { name: "app-core", versions: ["1.0", "2.0"], installedBy: always("1.0") },
  { name: "util-strings", versions: ["1.0", "1.1"], installedBy: always("1.0") },
  { name: "util-log", versions: ["1.0"], installedBy: always("1.0") },
  { name: "util-color", versions: ["1.0"], installedBy: always("1.0") },
  { name: "nsparts-one", versions: ["1.0"], installedBy: always("1.0") },
  { name: "nsparts-two", versions: ["1.0"], installedBy: always("1.0") },
  { name: "win-only", versions: ["1.0"], installedBy: never },
  { name: "old-backport", versions: ["1.0"], installedBy: never },
  { name: "modern-only", versions: ["1.0"], installedBy: (m) => (atLeast(m, 3, 10) ? "1.0" : undefined) },
  { name: "linux-helper", versions: ["1.0"], installedBy: always("1.0") },
  { name: "data-tool", versions: ["1.0"], installedBy: always("1.0") },
  { name: "pth-hook", versions: ["1.0"], installedBy: always("1.0") },
  { name: "fastcalc", versions: ["1.0"], installedBy: always("1.0"), platform: true },
  { name: "sdist-only", versions: ["1.0"], installedBy: always("1.0"), sdist: true },
  { name: "db-driver", versions: ["1.0", "2.0"], installedBy: always("2.0") },
  { name: "db-pool", versions: ["1.0"], installedBy: always("1.0") },
  { name: "db-migrations", versions: ["1.0"], installedBy: always("1.0") },
  { name: "web-framework", versions: ["1.0"], installedBy: always("1.0") },
  { name: "web-routing", versions: ["1.0"], installedBy: always("1.0") },
  { name: "web-http", versions: ["1.0", "3.0"], installedBy: always("1.0") },
  { name: "web-encodings", versions: ["1.0"], installedBy: always("1.0") },
  { name: "Web.Templates", versions: ["1.0"], installedBy: always("1.0") },
  { name: "web-babel", versions: ["1.0"], installedBy: always("1.0") },
  { name: "web-async", versions: ["1.0"], installedBy: never },
  { name: "cli-kit", versions: ["1.0"], installedBy: always("1.0") },
  { name: "cli-colors", versions: ["1.0"], installedBy: always("1.0") },
  { name: "cli-prompt", versions: ["1.0"], installedBy: always("1.0") },
  { name: "test-plugin", versions: ["1.0"], installedBy: always("1.0") },
  { name: "big-lib", versions: ["1.0"], installedBy: always("1.0") },
  { name: "py-typed-lib", versions: ["1.0"], installedBy: always("1.0") },
];

/**
 * The first install's requirements file: pins, a range that excludes the
 * newest (web-http 3.0, through web-framework), extras, a marker that does
 * not hold; the rest comes in as dependencies, some of them only by markers
 * (sys_platform, python_version) and extras.
 */
export const DIST_SET_REQUIREMENTS = [
  "# the differential set: pins, extras, markers; the rest are dependencies",
  "app-core==1.0",
  "util-strings==1.0",
  "util-log[color]>=1.0",
  "web-framework",
  "db-driver",
  "data-tool",
  "pth-hook",
  "fastcalc",
  "sdist-only",
  "cli-kit",
  "test-plugin",
  "big-lib",
  "py-typed-lib",
  'win-only ; sys_platform == "win32"',
  "",
].join("\n");

/** Normalized name → version that installing DIST_SET_REQUIREMENTS leaves, for a `major.minor`. */
export function distSetExpected(minor: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of DIST_SET) {
    const v = p.installedBy(minor);
    if (v !== undefined) out[p.name.replace(/[-_.]+/g, "-").toLowerCase()] = v;
  }
  return out;
}

export interface DistSet {
  /** Every wheel and sdist: a --find-links directory, and what serveIndex serves. */
  dir: string;
  /** The interpreters the platform wheel was built for. */
  targets: PlatformTarget[];
  /** Whether fastcalc's extension is a real one (a C compiler was there), else bytes that fail to import. */
  nativeExtension: boolean;
}

/**
 * A console-script module: prints what a user would see differ between two
 * installs (its version, argv[0], the interpreter and prefix it runs under,
 * where it was imported from), then `extra` lines, and returns `code`.
 */
function cliModule(label: string, version: string, extra: string[] = [], code = 0): string {
  return [
    "import os",
    "import sys",
    "",
    `VERSION = ${JSON.stringify(version)}`,
    "",
    "",
    "def main():",
    `    print(${JSON.stringify(label)}, VERSION, os.path.basename(sys.argv[0]), sys.argv[1:])`,
    "    print('executable', sys.executable)",
    "    print('prefix', sys.prefix)",
    "    print('module', __file__)",
    ...extra.map((l) => `    ${l}`),
    `    return ${code}`,
    "",
  ].join("\n");
}

/** A module of some size: `n` small functions, as library code looks. */
export function libraryModule(seed: string, n: number): string {
  const lines = [`"""${seed}: generated library code."""`, ""];
  for (let i = 0; i < n; i++) {
    lines.push(`def ${seed.replace(/\W/g, "_")}_${i}(value, factor=${i + 1}):`);
    lines.push(`    """Scale value by ${i + 1} and label it."""`);
    lines.push(`    return {"label": ${JSON.stringify(`${seed}-${i}`)}, "value": value * factor}`);
    lines.push("", "");
  }
  return lines.join("\n");
}

const C_EXTENSION = `#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *add(PyObject *self, PyObject *args) {
    long a, b;
    if (!PyArg_ParseTuple(args, "ll", &a, &b)) return NULL;
    return PyLong_FromLong(a + b);
}

static PyMethodDef methods[] = {{"add", add, METH_VARARGS, "a + b"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_speedups", NULL, -1, methods};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
`;

/**
 * fastcalc's extension for `t`: compiled when gcc and Python.h are there (gcc
 * writes no date or path into it: the same bytes each run), else bytes that
 * are not an ELF object (the import fails, the wheel is still platform-tagged).
 */
function extensionFor(t: PlatformTarget): { bytes: Buffer; real: boolean } {
  const gcc = which("gcc", "/usr/bin:/bin");
  if (gcc) {
    const tmp = mkdtempSync(join(tmpdir(), "venvctl-ext-"));
    try {
      writeFileSync(join(tmp, "speedups.c"), C_EXTENSION);
      execFileSync(gcc, ["-shared", "-fPIC", "-O2", `-I${t.include}`, "-o", "speedups.so", "speedups.c"], { cwd: tmp, stdio: "pipe" });
      return { bytes: readFileSync(join(tmp, "speedups.so")), real: true };
    } catch {
      // No Python.h for this interpreter, or no working compiler: the fake below.
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { bytes: Buffer.from(`not an ELF object: fastcalc's extension for ${t.abi}\n`), real: false };
}

/**
 * Builds the differential set into `dir`: every project of DIST_SET, with
 * fastcalc's platform wheel once per interpreter in `pythons`.
 */
export function buildDistSet(dir: string, pythons: readonly string[]): DistSet {
  mkdirSync(dir, { recursive: true });
  const wheel = (spec: WheelSpec) => buildWheel(dir, spec);
  const data = (name: string, version: string) => `${distInfoStem({ name, version })}.data`;

  // app-core: console and GUI scripts; 2.0 drops a module, adds one and a script, and needs util-strings 1.1.
  for (const version of ["1.0", "2.0"]) {
    const v2 = version === "2.0";
    wheel({
      name: "app-core",
      version,
      metadata: [
        "Summary: the application at the top of the set",
        `Requires-Dist: util-strings>=${v2 ? "1.1" : "1.0"}`,
        "Requires-Dist: util-log",
        "Requires-Dist: nsparts-two",
        'Requires-Dist: win-only ; sys_platform == "win32"',
        'Requires-Dist: old-backport ; python_version < "3.8"',
        'Requires-Dist: modern-only ; python_version >= "3.10"',
        'Requires-Dist: linux-helper ; sys_platform == "linux"',
      ],
      files: {
        "app_core/__init__.py": `__version__ = ${JSON.stringify(version)}\n`,
        "app_core/cli.py": cliModule("app-core", version, ["import util_strings, util_log", "print('uses', util_strings.VERSION, util_log.VERSION)"]),
        "app_core/gui.py": cliModule("app-core-gui", version),
        ...(v2 ? { "app_core/modern.py": libraryModule("modern", 3) } : { "app_core/legacy.py": libraryModule("legacy", 3) }),
      },
      entryPoints: {
        console_scripts: { "app-core": "app_core.cli:main", ...(v2 ? { "app-core-check": "app_core.cli:main" } : {}) },
        gui_scripts: { "app-core-gui": "app_core.gui:main" },
      },
      distInfoFiles: { "top_level.txt": "app_core\n", "LICENSE": "MIT, for the tests\n" },
    });
  }
  for (const version of ["1.0", "1.1"]) {
    wheel({
      name: "util-strings",
      version,
      files: {
        "util_strings/__init__.py": `VERSION = ${JSON.stringify(version)}\n`,
        ...(version === "1.1" ? { "util_strings/case.py": libraryModule("case", 4) } : {}),
      },
    });
  }
  wheel({
    name: "util-log",
    version: "1.0",
    metadata: [
      "Requires-Dist: util-strings>=1.0",
      "Provides-Extra: color",
      'Requires-Dist: util-color>=1.0 ; extra == "color" and sys_platform != "win32"',
    ],
    files: { "util_log/__init__.py": "VERSION = '1.0'\n", "util_log/handlers.py": libraryModule("handlers", 6) },
  });
  wheel({ name: "util-color", version: "1.0", files: { "util_color.py": libraryModule("color", 2) } });

  // A PEP 420 namespace package shared by two distributions.
  wheel({ name: "nsparts-one", version: "1.0", files: { "nsparts/one/__init__.py": "WHO = 'one'\n" } });
  wheel({
    name: "nsparts-two",
    version: "1.0",
    metadata: ["Requires-Dist: nsparts-one"],
    files: {
      "nsparts/two/__init__.py": cliModule("nsparts", "1.0", [
        "import nsparts, nsparts.one",
        "print('namespace', sorted(os.path.basename(os.path.dirname(p)) for p in nsparts.__path__), nsparts.one.WHO)",
      ]),
    },
    entryPoints: { console_scripts: { nsparts: "nsparts.two:main" } },
  });

  // Reached only through markers: two that do not hold here, one by version, one that holds on Linux.
  wheel({ name: "win-only", version: "1.0", files: { "win_only.py": "" } });
  wheel({ name: "old-backport", version: "1.0", files: { "old_backport.py": "" } });
  wheel({ name: "modern-only", version: "1.0", files: { "modern_only.py": "X = 1\n" } });
  wheel({ name: "linux-helper", version: "1.0", files: { "linux_helper/__init__.py": "" } });

  // Every .data scheme: scripts (#!python rewritten, #!/bin/sh left alone), headers, data, platlib.
  const dt = data("data-tool", "1.0");
  wheel({
    name: "data-tool",
    version: "1.0",
    files: {
      "data_tool/__init__.py": "import os\nHERE = os.path.dirname(__file__)\n",
      [`${dt}/scripts/data-tool`]: "#!python\nimport sys\nimport data_tool, data_tool_native\nprint('data-tool', sys.executable, sys.argv[1:])\nprint(data_tool_native.WHERE)\n",
      [`${dt}/scripts/data-tool-sh`]: "#!/bin/sh\necho \"data-tool-sh $(basename \"$0\") $*\"\n",
      [`${dt}/headers/data_tool.h`]: "#define DATA_TOOL_VERSION 1\n",
      [`${dt}/data/share/data-tool/config.json`]: "{\"level\": 3}\n",
      [`${dt}/data/share/man/man1/data-tool.1`]: ".TH DATA-TOOL 1\n",
      [`${dt}/platlib/data_tool_native.py`]: "WHERE = 'platlib from .data'\n",
    },
  });

  // A .pth file: a path line and an import line.
  wheel({
    name: "pth-hook",
    version: "1.0",
    files: {
      "pth_hook.pth": "pth_hook_extra\nimport os; os.environ.setdefault('PTH_HOOK_LOADED', 'yes')\n",
      "pth_hook_extra/pth_extra_mod.py": "VALUE = 'found through the .pth path'\n",
      "pth_hook/__init__.py": cliModule("pth-hook-check", "1.0", ["import pth_extra_mod", "print(os.environ.get('PTH_HOOK_LOADED'), pth_extra_mod.VALUE)"]),
    },
    entryPoints: { console_scripts: { "pth-hook-check": "pth_hook:main" } },
  });

  // The platform wheel: Root-Is-Purelib false, one per interpreter, with a .data/purelib part.
  const targets = pythons.map(platformTarget);
  let nativeExtension = targets.length > 0;
  for (const t of targets) {
    const ext = extensionFor(t);
    nativeExtension &&= ext.real;
    wheel({
      name: "fastcalc",
      version: "1.0",
      tag: platformTag(t),
      rootIsPurelib: false,
      files: {
        "fastcalc/__init__.py": cliModule("fastcalc-bench", "1.0", [
          "try:",
          "    from fastcalc._speedups import add",
          "    print('native', add(2, 3))",
          "except ImportError:",
          "    print('no native extension')",
          "import fastcalc_pure",
          "print(fastcalc_pure.WHERE)",
        ]),
        [`fastcalc/_speedups${t.extSuffix}`]: ext.bytes,
        [`${data("fastcalc", "1.0")}/purelib/fastcalc_pure.py`]: "WHERE = 'purelib from .data'\n",
      },
      entryPoints: { console_scripts: { "fastcalc-bench": "fastcalc:main" } },
    });
  }

  // Only an sdist: pip builds it (offline, with the in-tree backend).
  buildSdist(dir, {
    name: "sdist-only",
    version: "1.0",
    metadata: ["Requires-Dist: util-strings"],
    files: { "sdist_only/__init__.py": cliModule("sdist-only", "1.0", ["import util_strings", "print('with util-strings', util_strings.VERSION)"]) },
    entryPoints: { console_scripts: { "sdist-only": "sdist_only:main" } },
  });

  // Two versions: 2.0 drops a module, adds one and a console script, and needs db-migrations.
  for (const version of ["1.0", "2.0"]) {
    const v2 = version === "2.0";
    wheel({
      name: "db-driver",
      version,
      metadata: ["Requires-Dist: db-pool>=1.0", ...(v2 ? ["Requires-Dist: db-migrations"] : [])],
      files: {
        "db_driver/__init__.py": `VERSION = ${JSON.stringify(version)}\n`,
        ...(v2
          ? { "db_driver/async_.py": libraryModule("async", 5), "db_driver/migrate.py": cliModule("db-migrate", version, [], 3) }
          : { "db_driver/compat.py": libraryModule("compat", 5) }),
      },
      ...(v2 ? { entryPoints: { console_scripts: { "db-migrate": "db_driver.migrate:main" } } } : {}),
    });
  }
  wheel({ name: "db-pool", version: "1.0", files: { "db_pool.py": libraryModule("pool", 3) } });
  wheel({ name: "db-migrations", version: "1.0", files: { "db_migrations/__init__.py": "" } });

  // A tree three levels deep, a range that excludes the newest, extras (one requested, one not).
  wheel({
    name: "web-framework",
    version: "1.0",
    metadata: ["Requires-Dist: web-routing", "Requires-Dist: Web.Templates[i18n]>=1.0", "Requires-Dist: web-http<3,>=1"],
    files: { "web_framework/__init__.py": cliModule("web-serve", "1.0", ["import web_routing, web_templates", "print(web_routing.ROUTES, web_templates.ENGINE)"]) },
    entryPoints: { console_scripts: { "web-serve": "web_framework:main" } },
  });
  wheel({ name: "web-routing", version: "1.0", metadata: ["Requires-Dist: web-http>=1.0"], files: { "web_routing/__init__.py": "ROUTES = ['/']\n" } });
  for (const version of ["1.0", "3.0"]) {
    wheel({
      name: "web-http",
      version,
      metadata: ["Requires-Dist: web-encodings", "Requires-Dist: util-strings"],
      files: { "web_http/__init__.py": `VERSION = ${JSON.stringify(version)}\n`, "web_http/client.py": libraryModule("client", 8) },
    });
  }
  wheel({ name: "web-encodings", version: "1.0", files: { "web_encodings.py": "CODECS = ('utf-8',)\n" } });
  wheel({
    name: "Web.Templates",
    version: "1.0",
    metadata: ["Provides-Extra: i18n", "Provides-Extra: async", 'Requires-Dist: web-babel ; extra == "i18n"', 'Requires-Dist: web-async ; extra == "async"'],
    files: { "web_templates/__init__.py": "ENGINE = 'templates'\n" },
  });
  wheel({
    name: "web-babel",
    version: "1.0",
    metadata: ["Requires-Dist: util-strings"],
    files: { "web_babel/__init__.py": "", "web_babel/locale/fr/données.txt": "bonjour\n", "web_babel/locale/de/Grüße.txt": "hallo\n" },
  });
  wheel({ name: "web-async", version: "1.0", files: { "web_async.py": "" } });

  // An entry point to a class attribute (`module:Class.method`), exiting non-zero.
  wheel({
    name: "cli-kit",
    version: "1.0",
    metadata: ["Requires-Dist: cli-colors", "Requires-Dist: cli-prompt>=1.0"],
    files: {
      "cli_kit/__init__.py": "",
      "cli_kit/main.py": [
        "import sys",
        "import cli_colors, cli_prompt",
        "",
        "",
        "class App:",
        "    @staticmethod",
        "    def run():",
        "        print('cli-kit', sys.argv[1:], cli_colors.RED, cli_prompt.ASK)",
        "        sys.stderr.write('cli-kit says something on stderr\\n')",
        "        return 2",
        "",
      ].join("\n"),
    },
    entryPoints: { console_scripts: { "cli-kit": "cli_kit.main:App.run" } },
  });
  wheel({ name: "cli-colors", version: "1.0", files: { "cli_colors.py": "RED = 'red'\n" } });
  wheel({ name: "cli-prompt", version: "1.0", metadata: ["Requires-Dist: cli-colors>=1.0"], files: { "cli_prompt.py": "ASK = '?'\n" } });

  // Entry points that are not scripts (a plugin group).
  wheel({
    name: "test-plugin",
    version: "1.0",
    metadata: ["Requires-Dist: app-core"],
    files: { "test_plugin.py": "def plugin():\n    return 'plugged'\n" },
    entryPoints: { pytest11: { "test-plugin": "test_plugin" } },
  });

  // Many files in nested packages, one executable data file in the package.
  const big: Record<string, string> = { "big_lib/__init__.py": "" };
  for (let i = 0; i < 8; i++) {
    big[`big_lib/sub${i}/__init__.py`] = "";
    for (let j = 0; j < 24; j++) big[`big_lib/sub${i}/mod${j}.py`] = libraryModule(`big${i}_${j}`, 1 + ((i * 24 + j) % 7));
  }
  big["big_lib/tools/run.sh"] = "#!/bin/sh\necho big-lib tool\n";
  wheel({ name: "big-lib", version: "1.0", files: big, modes: { "big_lib/tools/run.sh": 0o755 } });

  // Typing files and a file name RECORD must quote (a comma).
  wheel({
    name: "py-typed-lib",
    version: "1.0",
    files: {
      "py_typed_lib/__init__.py": "def f(x):\n    return x\n",
      "py_typed_lib/__init__.pyi": "def f(x: int) -> int: ...\n",
      "py_typed_lib/py.typed": "",
      "py_typed_lib/odd,name.txt": "a file name with a comma\n",
    },
  });

  return { dir, targets, nativeExtension };
}

/** The set's console and GUI scripts, and its .data scripts, by the bin/ name (for a `major.minor`, after the first install). */
export const DIST_SET_SCRIPTS = ["app-core", "app-core-gui", "nsparts", "data-tool", "data-tool-sh", "pth-hook-check", "fastcalc-bench", "sdist-only", "db-migrate", "web-serve", "cli-kit"];
