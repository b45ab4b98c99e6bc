// PEP 514: the Python installs registered in the Windows registry, the list
// `py.exe` chooses from (https://peps.python.org/pep-0514/, and py.exe's
// PC/launcher2.c for what the PEP leaves to tools). Three places, read in
// this order, which is also the order of precedence:
//   HKEY_CURRENT_USER\Software\Python\<Company>\<Tag>      (per-user installs)
//   HKEY_LOCAL_MACHINE\Software\Python\<Company>\<Tag>     (the 64-bit view)
//   HKEY_LOCAL_MACHINE\Software\WOW6432Node\Python\…       (the 32-bit view)
// A Company\Tag pair (compared without case) is one environment: the first
// place that registers it wins, as py.exe selects the per-user one. Each has
// an `InstallPath` key whose default value is its prefix (no InstallPath, no
// environment, as in py.exe) and `ExecutablePath`, the interpreter; without
// it the environment is not executable, except for PythonCore (python.org's
// installer), whose default is `<InstallPath>\python.exe`. `SysVersion`,
// `Version`, `SysArchitecture` and `DisplayName` are kept for messages: the
// probe tells the version and architecture for certain. The `PyLauncher`
// company is py.exe's own settings, never an environment. PythonCore's tags
// are `sys.winver`: 3.12, 3.12-32 (a 32-bit build), 3.12-arm64, 3.13t (a
// free-threaded build, with its own python3.13t.exe); before 3.5 the tag had
// no `-32`, and py.exe adds it to 32-bit registrations, as this does.
import { join } from "node:path";
import { expandEnvironmentStrings, type RegKey, type RegValue } from "./windows-registry.js";

/** Where a registration was read. */
export type RegistryPlace = "HKEY_CURRENT_USER" | "HKEY_LOCAL_MACHINE" | "HKEY_LOCAL_MACHINE (32-bit)";

/** The three keys, in order of precedence, with the architecture PythonCore has there when it does not say. */
export const PEP514_ROOTS: ReadonlyArray<{ place: RegistryPlace; key: string; pythonCoreArch: string | undefined }> = [
  { place: "HKEY_CURRENT_USER", key: "HKEY_CURRENT_USER\\Software\\Python", pythonCoreArch: undefined },
  { place: "HKEY_LOCAL_MACHINE", key: "HKEY_LOCAL_MACHINE\\Software\\Python", pythonCoreArch: "64bit" },
  { place: "HKEY_LOCAL_MACHINE (32-bit)", key: "HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Python", pythonCoreArch: "32bit" },
];

/** One registered environment. */
export interface Registration {
  company: string;
  tag: string;
  place: RegistryPlace;
  /** InstallPath's default value: the environment's sys.prefix. */
  installPath: string;
  /** The interpreter to run (ExecutablePath, or PythonCore's default). */
  executable: string;
  /** pythonw.exe or its equivalent (WindowedExecutablePath; else PythonCore's pythonw.exe, else `executable`). */
  windowedExecutable: string;
  /** `x.y` or `x.y.z`: SysVersion, else PythonCore's tag; undefined when unknown. */
  sysVersion?: string | undefined;
  /** The distribution's own version (Version), for display. */
  version?: string | undefined;
  /** "32bit", "64bit" (platform.architecture()[0]), when known. */
  architecture?: string | undefined;
  displayName?: string | undefined;
}

/** A registration that names no environment venvctl can run, and why. */
export interface SkippedRegistration {
  company: string;
  tag: string;
  place: RegistryPlace;
  why: string;
}

const isPythonCore = (company: string) => company.toLowerCase() === "pythoncore";

function stringValue(values: RegValue[] | undefined, name: string, env: Record<string, string | undefined>): string | undefined {
  const v = values?.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!v) return undefined;
  if (v.type === "REG_SZ") return v.data;
  if (v.type === "REG_EXPAND_SZ") return expandEnvironmentStrings(v.data, env);
  return undefined; // a number or binary where a string belongs: as if absent (py.exe reads strings only)
}

/** PythonCore 2.x and 3.0–3.5, registered before PEP 514 (py.exe's _isLegacyVersion). */
function isLegacyTag(tag: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(tag);
  return m !== null && (m[1] === "2" || (m[1] === "3" && Number(m[2]) <= 5));
}

/**
 * The registrations under one root, from its `reg query /s` keys, in the
 * order reg listed them. `env` expands REG_EXPAND_SZ values.
 */
export function readRegistrations(
  keys: RegKey[],
  root: (typeof PEP514_ROOTS)[number],
  env: Record<string, string | undefined>,
): { found: Registration[]; skipped: SkippedRegistration[] } {
  // Company\Tag → its own values and its InstallPath's; a tag is known from any key below it.
  const tags = new Map<string, { company: string; tag: string; own?: RegValue[]; install?: RegValue[] }>();
  for (const k of keys) {
    if (k.below.length < 2) continue;
    const [company, tag, sub, ...deeper] = k.below as [string, string, string?, ...string[]];
    const id = `${company.toLowerCase()}\\${tag.toLowerCase()}`;
    const entry = tags.get(id) ?? { company, tag };
    tags.set(id, entry);
    if (sub === undefined) entry.own = k.values;
    else if (sub.toLowerCase() === "installpath" && deeper.length === 0) entry.install = k.values;
  }
  const found: Registration[] = [];
  const skipped: SkippedRegistration[] = [];
  for (const { company, tag, own, install } of tags.values()) {
    const skip = (why: string) => skipped.push({ company, tag, place: root.place, why });
    if (company.toLowerCase() === "pylauncher") continue;
    const core = isPythonCore(company);
    const installPath = stringValue(install, "", env);
    if (!installPath) {
      skip("it has no InstallPath");
      continue;
    }
    let executable = stringValue(install, "ExecutablePath", env) || undefined;
    if (!executable && core) executable = join(installPath, "python.exe");
    if (!executable) {
      skip("it has no ExecutablePath (PEP 514: not executable)");
      continue;
    }
    const windowed = stringValue(install, "WindowedExecutablePath", env) || (core ? join(installPath, "pythonw.exe") : executable);
    const architecture = stringValue(own, "SysArchitecture", env) || (core ? root.pythonCoreArch : undefined);
    const sysVersion = stringValue(own, "SysVersion", env) || (core ? /^\d+\.\d+/.exec(tag)?.[0] : undefined);
    const version = stringValue(own, "Version", env) || (core ? /^\d+\.\d+/.exec(tag)?.[0] : undefined);
    // A pre-PEP 514 PythonCore in a 32-bit place is named as py.exe names it: 2.7-32.
    const shownTag = core && architecture === "32bit" && isLegacyTag(tag) && !/-32$/.test(tag) ? `${tag}-32` : tag;
    found.push({
      company, tag: shownTag, place: root.place, installPath, executable, windowedExecutable: windowed,
      sysVersion, version, architecture, displayName: stringValue(own, "DisplayName", env),
    });
  }
  return { found, skipped };
}

/**
 * Every environment registered by PEP 514, per-user first, from the three
 * roots' `reg query` keys (in PEP514_ROOTS' order). A Company\Tag
 * registered in two places is taken from the first; `notes` says what was
 * left out and why, for debug lines.
 */
export function mergeRegistrations(answers: RegKey[][], env: Record<string, string | undefined>): { registrations: Registration[]; notes: string[] } {
  const registrations: Registration[] = [];
  const notes: string[] = [];
  const seen = new Map<string, Registration>();
  PEP514_ROOTS.forEach((root, i) => {
    const { found, skipped } = readRegistrations(answers[i] ?? [], root, env);
    for (const s of skipped) notes.push(`skipping the registry's ${s.company}\\${s.tag} (${s.place}): ${s.why}`);
    for (const r of found) {
      const id = `${r.company.toLowerCase()}\\${r.tag.toLowerCase()}`;
      const first = seen.get(id);
      if (first) {
        notes.push(`skipping the registry's ${r.company}\\${r.tag} (${r.place}): ${first.place} registers it too, and comes first`);
        continue;
      }
      seen.set(id, r);
      registrations.push(r);
    }
  });
  return { registrations, notes };
}
