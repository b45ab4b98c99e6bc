// Seeding pip into a new venv without running Python: choose the seed wheels
// the way ensurepip would, then install them with venvctl's wheel installer.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import type { Interpreter } from "../interpreters/interpreter.js";
import { formatVersion } from "../interpreters/version.js";
import { canonicalizeName } from "../standards/names.js";
import { comparePep440, parsePep440 } from "../standards/pep440.js";
import { runInherited } from "../util/exec.js";
import { debug } from "../util/log.js";
import type { LinkMode } from "../wheel/materialize.js";
import { launcherPython, type VenvLayout } from "./layout.js";
import { venvInstallScheme, windowsInstall } from "./install-target.js";

export type { LinkMode } from "../wheel/materialize.js";

export interface SeedOptions {
  /** --seed-dir / $VENVCTL_SEED_DIR: take the newest wheels from here. */
  seedDir?: string | undefined;
  linkMode: LinkMode;
}

export interface SeededDistribution {
  name: string;
  version: string;
  wheel: string;
}

export interface SeedWheel {
  name: string;
  version: string;
  path: string;
}

/** Debian's shared wheel directory, used when an interpreter ships none. */
const SYSTEM_WHEEL_DIR = "/usr/share/python-wheels";

/** The distributions `python -m venv` installs: pip, and setuptools up to 3.11. */
export function seedDistributions(interpreter: Interpreter): string[] {
  const { major, minor } = interpreter.version;
  return major === 3 && minor <= 11 ? ["pip", "setuptools"] : ["pip"];
}

/** Wheels in a directory, by distribution: name → newest first. */
function wheelsIn(dir: string): Map<string, SeedWheel[]> {
  const out = new Map<string, SeedWheel[]>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const file of names) {
    // name-version(-build)?-pytag-abitag-plat.whl; seed wheels are pure.
    const m = /^([A-Za-z0-9_.]+)-([^-]+)-(?:\d[^-]*-)?([^-]+)-([^-]+)-([^-]+)\.whl$/.exec(file);
    if (!m) continue;
    const name = canonicalizeName(m[1]!);
    const list = out.get(name) ?? [];
    list.push({ name, version: m[2]!, path: join(dir, file) });
    out.set(name, list);
  }
  for (const list of out.values()) list.sort((a, b) => compareWheelVersions(b.version, a.version));
  return out;
}

/** Orders seed wheel versions by PEP 440 (24.2 > 23.2.1 > 9.0.1); an invalid version sorts below every valid one. */
function compareWheelVersions(a: string, b: string): number {
  const pa = parsePep440(a);
  const pb = parsePep440(b);
  if (pa && pb) return comparePep440(pa, pb);
  return pa ? 1 : pb ? -1 : a.localeCompare(b);
}

/**
 * Chooses the seed wheels: --seed-dir when given (newest there wins);
 * otherwise as ensurepip would — the distribution's shared wheel directory
 * when it holds them all (Debian's WHEEL_PKG_DIR), else the interpreter's
 * bundled wheels at the versions its ensurepip names, else Debian's
 * /usr/share/python-wheels.
 */
export function chooseSeedWheels(interpreter: Interpreter, seedDir: string | undefined): SeedWheel[] {
  const wanted = seedDistributions(interpreter);
  const searched: string[] = [];
  const pick = (dir: string, pinned?: Record<string, string | null>): SeedWheel[] | undefined => {
    searched.push(dir);
    const found = wheelsIn(dir);
    const out: SeedWheel[] = [];
    for (const name of wanted) {
      const list = found.get(name) ?? [];
      const pin = pinned?.[name];
      const chosen = (pin && list.find((w) => w.version === pin)) || list[0];
      if (!chosen) return undefined;
      out.push(chosen);
    }
    return out;
  };
  if (seedDir) {
    const chosen = pick(seedDir);
    if (chosen) return chosen;
    throw noSeedWheels(interpreter, wanted, searched);
  }
  const seed = interpreter.info.seed;
  const candidates: Array<[string, Record<string, string | null> | undefined]> = [];
  if (seed.wheel_pkg_dir) candidates.push([seed.wheel_pkg_dir, undefined]);
  if (seed.dir) candidates.push([seed.dir, { pip: seed.pip, setuptools: seed.setuptools }]);
  candidates.push([SYSTEM_WHEEL_DIR, undefined]);
  for (const [dir, pins] of candidates) {
    const chosen = pick(dir, pins);
    if (chosen) return chosen;
  }
  throw noSeedWheels(interpreter, wanted, searched);
}

function noSeedWheels(interpreter: Interpreter, wanted: string[], searched: string[]): VenvctlError {
  return new VenvctlError(
    `no seed wheels for ${wanted.join(" and ")} (Python ${formatVersion(interpreter.version)}); searched: ${[...new Set(searched)].join(", ")}`,
    { hint: "pass --without-pip to create the environment without pip, or --seed-dir DIR with a directory holding pip-*.whl" },
  );
}

/** Installs the seed wheels into the env being built. */
export async function seedEnvironment(
  ctx: Context,
  interpreter: Interpreter,
  layout: VenvLayout,
  opts: SeedOptions,
  stage: (finalPath: string) => string,
): Promise<{ seeded: SeededDistribution[]; warnings: string[] }> {
  const wheels = chooseSeedWheels(interpreter, opts.seedDir);
  const { installWheel } = await import("../wheel/install.js");
  const seeded: SeededDistribution[] = [];
  const warnings = new Set<string>();
  const { major, minor } = interpreter.version;
  const python = launcherPython(layout);
  const present = installedNames(stage(layout.install.purelib), stage(layout.install.platlib));
  for (const wheel of wheels) {
    // Writing into an existing venv (--allow-existing): what is there stays.
    if (present.has(wheel.name)) {
      debug(ctx, `${wheel.name} is already installed in the environment; not seeding it`);
      continue;
    }
    debug(ctx, `seeding ${wheel.name} ${wheel.version} from ${wheel.path}`);
    const installed = await installWheel(wheel.path, {
      scheme: venvInstallScheme(layout, interpreter, wheel.name),
      python,
      pythonVersion: { major, minor },
      stagePath: stage,
      cacheDir: join(ctx.dirs.cache, "wheels"),
      linkMode: opts.linkMode,
      requested: true,
      platform: ctx.platform,
      windows: windowsInstall(interpreter, ctx.env),
      // Recorded beside the cache entry, for `venvctl cache verify` (final paths: the build is renamed into place).
      envDir: layout.envDir,
      debug: (m) => debug(ctx, m),
    });
    for (const w of installed.warnings) warnings.add(w);
    seeded.push({ name: installed.name, version: installed.version, wheel: wheel.path });
  }
  return { seeded, warnings: [...warnings] };
}

/** Normalized names of the distributions installed in these directories (dist-info only). */
function installedNames(...dirs: string[]): Set<string> {
  const out = new Set<string>();
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const m = /^(.+?)-[^-]+\.dist-info$/.exec(n);
      if (m) out.add(m[1]!.toLowerCase().replace(/[-_.]+/g, "-"));
    }
  }
  return out;
}

/** --upgrade-deps: the env's pip upgrades the seed distributions, as venv does. */
export async function upgradeDependencies(ctx: Context, interpreter: Interpreter, layout: VenvLayout): Promise<void> {
  const python = join(layout.binDir, "python");
  const code = await runInherited(ctx, python, ["-m", "pip", "install", "--upgrade", ...seedDistributions(interpreter)], {
    stdoutToStderr: true,
  });
  if (code !== 0) {
    throw new VenvctlError(`the environment was created, but upgrading ${seedDistributions(interpreter).join(" and ")} failed (pip exited with ${code})`, {
      hint: "pip's output above says why; the index may be unreachable. The environment itself is usable.",
    });
  }
}
