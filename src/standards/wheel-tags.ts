// The wheel tags an interpreter supports, in priority order, exactly as
// packaging.tags.sys_tags() lists them (pip installs the first wheel whose
// tags appear earliest), computed from the probe's facts rather than by
// running Python. Follows pip/_vendor/packaging/tags.py, _manylinux.py and
// _musllinux.py (packaging 21–24): cpython_tags (or generic_tags), then
// compatible_tags. Only Linux platforms are expanded (manylinux, musllinux,
// linux_<arch>); elsewhere the sysconfig platform alone is used, which is
// narrower than pip (no macOS ladder): such wheels are then not installable
// natively, never wrongly installed.
import { basename } from "node:path";
import { normalizeVersion } from "./pep440.js";

/** What the probe reports for tags (probe.py's tag_facts). */
export interface TagFacts {
  /** sysconfig.get_platform(): `linux-x86_64`. */
  platform: string;
  py_debug: number | boolean | null;
  with_pymalloc: number | boolean | null;
  unicode_size: number | null;
  py_version_nodot: string | null;
  gil_disabled: number | boolean | null;
  has_refcount: boolean;
  ext_d_pyd: boolean;
  maxunicode: number;
  /** [major, minor] of glibc, or null off glibc. */
  glibc: [number, number] | null;
  elf: { capacity: number; encoding: number; machine: number; flags: number; interpreter: string | null } | null;
  musl: [number, number] | null;
  manylinux_module: boolean;
}

/** The interpreter a wheel must fit (a structural subset of the probe's answer). */
export interface TagTarget {
  implementation: string;
  version_info: readonly [number, number, ...unknown[]];
  pointer_size: number;
  ext_suffix?: string | null;
  tags?: TagFacts;
}

/** The interpreter was probed by an older venvctl, or cannot say what it supports. */
export class TagsUnknownError extends Error {}

const normalize = (s: string) => s.replace(/[.-]/g, "_");
const nodot = (major: number, minor: number) => `${major}${minor}`;

const INTERPRETER_SHORT: Record<string, string> = { python: "py", cpython: "cp", pypy: "pp", ironpython: "ip", jython: "jy" };

/** packaging.tags.interpreter_name(). */
function interpreterName(t: TagTarget): string {
  return INTERPRETER_SHORT[t.implementation] ?? t.implementation;
}

/** packaging.tags.interpreter_version(): py_version_nodot, else the version's digits. */
function interpreterVersion(t: TagTarget, facts: TagFacts): string {
  return facts.py_version_nodot ? String(facts.py_version_nodot) : nodot(t.version_info[0], t.version_info[1]);
}

/** _cpython_abis(). */
function cpythonAbis(major: number, minor: number, f: TagFacts): string[] {
  const abis: string[] = [];
  const version = nodot(major, minor);
  let threading = "", debug = "", pymalloc = "", ucs4 = "";
  const withDebug = f.py_debug;
  if (withDebug || (withDebug === null && (f.has_refcount || f.ext_d_pyd))) debug = "d";
  if ((major > 3 || (major === 3 && minor >= 13)) && f.gil_disabled) threading = "t";
  if (major < 3 || (major === 3 && minor < 8)) {
    if (f.with_pymalloc || f.with_pymalloc === null) pymalloc = "m";
    if (major < 3 || (major === 3 && minor < 3)) {
      if (f.unicode_size === 4 || (f.unicode_size === null && f.maxunicode === 0x10ffff)) ucs4 = "u";
    }
  } else if (debug) {
    abis.push(`cp${version}${threading}`);
  }
  abis.unshift(`cp${version}${threading}${debug}${pymalloc}${ucs4}`);
  return abis;
}

/** _generic_abi(): the ABI from EXT_SUFFIX. */
function genericAbi(t: TagTarget, f: TagFacts): string[] {
  const ext = t.ext_suffix;
  if (typeof ext !== "string" || !".-".includes(ext[0] ?? "")) throw new TagsUnknownError("invalid EXT_SUFFIX");
  const parts = ext.split(".");
  if (parts.length < 3) return cpythonAbis(t.version_info[0], t.version_info[1], f);
  const soabi = parts[1]!;
  let abi: string;
  if (soabi.startsWith("cpython")) abi = "cp" + soabi.split("-")[1];
  else if (soabi.startsWith("cp")) abi = soabi.split("-")[0]!;
  else if (soabi.startsWith("pypy")) abi = soabi.split("-").slice(0, 2).join("-");
  else if (soabi.startsWith("graalpy")) abi = soabi.split("-").slice(0, 3).join("-");
  else if (soabi) abi = soabi;
  else return [];
  return [normalize(abi)];
}

const LEGACY_MANYLINUX = new Map([["2_17", "manylinux2014"], ["2_12", "manylinux2010"], ["2_5", "manylinux1"]]);

/** _manylinux._have_compatible_abi(): what the interpreter's ELF header allows. */
function haveCompatibleAbi(f: TagFacts, archs: string[]): boolean {
  const elf = f.elf;
  if (archs.includes("armv7l")) {
    return !!elf && elf.capacity === 1 && elf.encoding === 1 && elf.machine === 40 &&
      (elf.flags & 0xff000000) === 0x05000000 && (elf.flags & 0x400) === 0x400;
  }
  if (archs.includes("i686")) return !!elf && elf.capacity === 1 && elf.encoding === 1 && elf.machine === 3;
  const allowed = new Set(["x86_64", "aarch64", "ppc64", "ppc64le", "s390x", "loongarch64", "riscv64"]);
  return archs.some((a) => allowed.has(a));
}

/** _manylinux.platform_tags(): manylinux_X_Y from the running glibc down, with the legacy aliases. */
function manylinuxTags(f: TagFacts, archs: string[]): string[] {
  if (!haveCompatibleAbi(f, archs) || !f.glibc) return [];
  const [curMajor, curMinor] = f.glibc;
  const tooOld: [number, number] = archs.some((a) => a === "x86_64" || a === "i686") ? [2, 4] : [2, 16];
  const maxList: Array<[number, number]> = [[curMajor, curMinor]];
  // _LAST_GLIBC_MINOR is a defaultdict(lambda: 50) with nothing set.
  for (let major = curMajor - 1; major > 1; major--) maxList.push([major, 50]);
  const out: string[] = [];
  for (const arch of archs) {
    for (const [maxMajor, maxMinor] of maxList) {
      const minMinor = maxMajor === tooOld[0] ? tooOld[1] : -1;
      for (let minor = maxMinor; minor > minMinor; minor--) {
        const compatible = curMajor > maxMajor || (curMajor === maxMajor && curMinor >= minor);
        if (!compatible) continue;
        out.push(`manylinux_${maxMajor}_${minor}_${arch}`);
        const legacy = LEGACY_MANYLINUX.get(`${maxMajor}_${minor}`);
        if (legacy) out.push(`${legacy}_${arch}`);
      }
    }
  }
  return out;
}

/** packaging.tags.platform_tags() on Linux (_linux_platforms), else the sysconfig platform. */
function platformTags(t: TagTarget, f: TagFacts): string[] {
  let linux = normalize(f.platform);
  if (!linux.startsWith("linux_")) return [linux];
  if (t.pointer_size === 32) {
    if (linux === "linux_x86_64") linux = "linux_i686";
    else if (linux === "linux_aarch64") linux = "linux_armv8l";
  }
  const arch = linux.slice("linux_".length);
  const archs = arch === "armv8l" ? ["armv8l", "armv7l"] : [arch];
  const out = manylinuxTags(f, archs);
  if (f.musl) for (const a of archs) for (let minor = f.musl[1]; minor >= 0; minor--) out.push(`musllinux_${f.musl[0]}_${minor}_${a}`);
  for (const a of archs) out.push(`linux_${a}`);
  return out;
}

function* pyInterpreterRange(major: number, minor: number): Generator<string> {
  yield `py${nodot(major, minor)}`;
  yield `py${major}`;
  for (let m = minor - 1; m >= 0; m--) yield `py${nodot(major, m)}`;
}

/**
 * The tags the target supports, best first, as `interpreter-abi-platform`
 * strings (packaging's `str(Tag)`). Throws TagsUnknownError when the probe
 * has no tag facts (an answer from an older venvctl's probe).
 */
export function supportedTags(t: TagTarget): string[] {
  const f = t.tags;
  if (!f) throw new TagsUnknownError("the interpreter's probe does not say which wheel tags it supports");
  if (f.manylinux_module) throw new TagsUnknownError("the interpreter has a _manylinux module, which venvctl does not consult");
  const [major, minor] = t.version_info;
  const platforms = platformTags(t, f);
  const out: string[] = [];
  const name = interpreterName(t);
  if (name === "cp") {
    // cpython_tags()
    const interpreter = `cp${nodot(major, minor)}`;
    const abis = cpythonAbis(major, minor, f).filter((a) => a !== "abi3" && a !== "none");
    for (const abi of abis) for (const p of platforms) out.push(`${interpreter}-${abi}-${p}`);
    // _abi3_applies: 3.2+, and not a free-threaded build.
    const threaded = abis.some((a) => /^cp\d+t/.test(a));
    const useAbi3 = (major > 3 || (major === 3 && minor >= 2)) && !threaded;
    if (useAbi3) for (const p of platforms) out.push(`${interpreter}-abi3-${p}`);
    for (const p of platforms) out.push(`${interpreter}-none-${p}`);
    if (useAbi3) {
      for (let m = minor - 1; m > 1; m--) for (const p of platforms) out.push(`cp${nodot(major, m)}-abi3-${p}`);
    }
  } else {
    // generic_tags()
    const interpreter = name + interpreterVersion(t, f);
    const abis = genericAbi(t, f);
    if (!abis.includes("none")) abis.push("none");
    for (const abi of abis) for (const p of platforms) out.push(`${interpreter}-${abi}-${p}`);
  }
  // compatible_tags()
  const interp = name === "pp" ? "pp3" : name === "cp" ? `cp${interpreterVersion(t, f)}` : undefined;
  for (const v of pyInterpreterRange(major, minor)) for (const p of platforms) out.push(`${v}-none-${p}`);
  if (interp) out.push(`${interp}-none-any`);
  for (const v of pyInterpreterRange(major, minor)) out.push(`${v}-none-any`);
  return out;
}

const TAGS_MEMO = Symbol.for("venvctl.TagPriorities.of");

/** Tag priorities for fast lookups: tag → index (lower is better). */
export class TagPriorities {
  private readonly rank = new Map<string, number>();

  constructor(readonly tags: readonly string[]) {
    tags.forEach((tag, i) => {
      if (!this.rank.has(tag)) this.rank.set(tag, i);
    });
  }

  /**
   * The priorities for an interpreter's facts, worked out once per facts
   * object in the process: an install asks for them three times (the store,
   * the wheel target, the resolver), and building the list is ~1 ms. The
   * memo is in the global symbol registry because this module is bundled
   * into several dist files (scripts/build.mjs), which must share it.
   */
  static of(target: TagTarget): TagPriorities {
    const memo = ((globalThis as Record<symbol, unknown>)[TAGS_MEMO] ??= new WeakMap<TagTarget, TagPriorities>()) as WeakMap<TagTarget, TagPriorities>;
    let p = memo.get(target);
    if (!p) memo.set(target, (p = new TagPriorities(supportedTags(target))));
    return p;
  }

  /**
   * The priority of a wheel file name (lower is better): its best tag of the
   * expanded compressed tag set (`py2.py3-none-any`), or undefined when none
   * fits, or the name is not a wheel's.
   */
  ofWheel(fileName: string): number | undefined {
    const tags = wheelFileTags(fileName);
    if (!tags) return undefined;
    let best: number | undefined;
    for (const tag of tags) {
      const r = this.rank.get(tag);
      if (r !== undefined && (best === undefined || r < best)) best = r;
    }
    return best;
  }
}

/** The name and version in a wheel's file name (PEP 427: name-version(-build)?-python-abi-platform.whl), or undefined. */
export function parseWheelFileName(file: string): { name: string; version: string } | undefined {
  const m = /^([^-]+)-([^-]+)(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(basename(file));
  return m ? { name: m[1]!, version: m[2]! } : undefined;
}

/** The tags a wheel file name claims (the compressed tag set expanded), or undefined for a name that is not a wheel's. */
export function wheelFileTags(fileName: string): string[] | undefined {
  const m = /^[^-]+-[^-]+(?:-\d[^-]*)?-([^-]+)-([^-]+)-([^-]+)\.whl$/.exec(basename(fileName));
  if (!m) return undefined;
  const out: string[] = [];
  // packaging's Tag lower-cases every part.
  for (const i of m[1]!.toLowerCase().split(".")) for (const a of m[2]!.toLowerCase().split(".")) for (const p of m[3]!.toLowerCase().split(".")) out.push(`${i}-${a}-${p}`);
  return out;
}

/** Versions as a wheel's file name spells them (PEP 427 escapes `-` as `_`) and as its METADATA does. */
export function sameWheelVersion(metadata: string, fromFileName: string): boolean {
  const a = normalizeVersion(metadata);
  const b = normalizeVersion(fromFileName);
  if (a !== undefined && b !== undefined) return a === b;
  const norm = (v: string) => v.toLowerCase().replace(/-/g, "_");
  return norm(metadata) === norm(fromFileName);
}
