// `npm run bench`: venvctl beside the tools it replaces, on the same input, in
// one run. Targets are judged with NODE_EXTRA_CA_CERTS unset (users rarely
// set it); figures with it set are reported too when this machine sets it.
import { mkdtempSync, rmSync, mkdirSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { printCase, runCase, type Case } from "./harness.js";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const CLI = join(root, "bin", "venvctl.js");
const PYENV_ROOT = process.env.PYENV_ROOT || join(process.env.HOME || "/root", ".pyenv");
const args = process.argv.slice(2);
const runsArg = args.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 21;
const filterArg = args.indexOf("--filter");
const FILTER = filterArg >= 0 ? args[filterArg + 1] : undefined;
const caCerts = process.env.NODE_EXTRA_CA_CERTS;

const work = realpathSync(mkdtempSync(join(tmpdir(), "venvctl-bench-")));
const home = join(work, "home");
mkdirSync(home, { recursive: true });

/** A hermetic environment, with or without NODE_EXTRA_CA_CERTS. */
function benchEnv(withCa: boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(VIRTUAL_ENV|VENVCTL_.*|PYTHON.*|PIP_.*|NODE_EXTRA_CA_CERTS|NODE_OPTIONS)$/.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    VENVCTL_ROOT: join(work, "root"),
    VENVCTL_CACHE_DIR: join(work, "cache"),
    PIP_CONFIG_FILE: "/dev/null",
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
    PATH: "/usr/local/bin:/usr/bin:/bin",
  });
  if (withCa && caCerts) env.NODE_EXTRA_CA_CERTS = caCerts;
  return env;
}

const python312 = join(PYENV_ROOT, "versions", "3.12.1", "bin", "python3.12");
const node = process.execPath;

function cases(withCa: boolean): Case[] {
  const env = benchEnv(withCa);
  const tag = withCa ? " [NODE_EXTRA_CA_CERTS set]" : "";
  const dirA = join(work, "a");
  const dirB = join(work, "b");
  const clean = (d: string) => () => rmSync(d, { recursive: true, force: true });
  return [
    {
      name: `venvctl --version vs node -e 0${tag}`,
      commands: [
        { label: "venvctl --version", argv: [node, CLI, "--version"], env },
        { label: "node -e 0", argv: [node, "-e", "0"], env },
      ],
      target: withCa ? undefined : { plusMs: 10, text: "≤ +10 ms over node -e 0" },
    },
    {
      name: `create --without-pip (cached probe), CPython 3.12${tag}`,
      commands: [
        { label: "venvctl create --without-pip", argv: [node, CLI, "create", "--without-pip", "-p", python312, dirA], env, cwd: work, before: clean(dirA) },
        { label: "python3.12 -m venv --without-pip", argv: [python312, "-m", "venv", "--without-pip", dirB], env, cwd: work, before: clean(dirB) },
      ],
      target: withCa ? undefined : { ratio: 1.2, text: "≤ 1.2× python -m venv" },
    },
  ];
}

const results = [];
const out = (s: string) => process.stdout.write(s);
out(`venvctl benchmark: ${RUNS} interleaved runs per command, medians; work dir ${work}\n`);
try {
  const variants = caCerts ? [false, true] : [false];
  for (const withCa of variants) {
    for (const c of cases(withCa)) {
      if (FILTER && !c.name.includes(FILTER)) continue;
      const r = runCase(c, RUNS);
      printCase(r, out);
      results.push(r);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const missed = results.filter((r) => r.met === false);
out(`\n${results.filter((r) => r.met !== undefined).length - missed.length} targets met, ${missed.length} missed (judged with NODE_EXTRA_CA_CERTS unset)\n`);
