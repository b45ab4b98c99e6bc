// Installing a wheel into an environment, natively (PEP 427/491 for the
// wheel, PEP 376/627 for what is left installed), the way pip's
// _install_wheel does: files routed to the scheme, .data/scripts `#!python`
// lines rewritten, launchers for console_scripts and gui_scripts, INSTALLER,
// and a RECORD of everything. Files come from the unpack cache (linked or
// copied), or straight from the verified wheel when the cache cannot be used;
// the files that depend on the env (launchers, fixed scripts, RECORD,
// INSTALLER, direct_url.json) are always written, never linked. Before
// anything is written, a wheel must fit the target (tags, Requires-Python).
// A journal (transaction.ts) hears of every file and directory made and of
// every existing file in the way, so that a failed install can be undone.
// Placing is place.ts; the types both share are install-types.ts.
import { basename } from "node:path";
import { VenvctlError } from "../errors.js";
import { jsonDumpsPy } from "../util/python-text.js";
import { CacheUnusableError, WheelCache, type CacheEntry } from "./cache.js";
import { CorruptWheelError, readWheelBytes, type WheelBytes, type WheelInfo } from "./contents.js";
import { recordEnvLinks } from "./env-links.js";
import type { InstallOptions, InstallResult, KnownWheel, PreparedWheel, Source, WheelTarget } from "./install-types.js";
import { placePrepared } from "./place.js";
import { parseSpecifier, specifierContains } from "../standards/pep440.js";
import type { VerifiedWheel } from "./verify.js";
import { recallSha256, rememberSha256, wheelIdentity } from "./wheel-ids.js";


/** The wheel does not fit the target interpreter (tags or Requires-Python). */
export class IncompatibleWheelError extends VenvctlError {}

/**
 * direct_url.json (PEP 610) as pip writes it — DirectUrl.to_json(), which is
 * json.dumps(to_dict(), sort_keys=True) — from the `download_info` of pip's
 * installation report (which is that to_dict(), its URL already redacted).
 */
export function directUrlJson(downloadInfo: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted)
    : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
    : v;
  return jsonDumpsPy(sorted(downloadInfo));
}

/** Refuses a wheel whose file name claims no tag the target supports. */
export function checkWheelTags(wheel: string, target: WheelTarget): void {
  if (target.tags.ofWheel(basename(wheel)) !== undefined) return;
  throw new IncompatibleWheelError(`${basename(wheel)} does not fit ${target.label}: none of its tags is supported`, {
    hint: `the interpreter's best tags are ${target.tags.tags.slice(0, 3).join(", ")}…; get a wheel built for it (or its sdist)`,
  });
}

/** Refuses a wheel whose Requires-Python excludes the target (pip's check_requires_python). */
export function checkRequiresPython(wheel: string, requiresPython: string | undefined, target: WheelTarget): void {
  if (requiresPython === undefined) return;
  const clauses = requiresPython.split(",").map((c) => c.trim()).filter(Boolean);
  const specs = clauses.map(parseSpecifier);
  if (specs.some((s) => s === undefined)) {
    throw new IncompatibleWheelError(`${basename(wheel)} has an invalid Requires-Python: ${requiresPython}`, {
      hint: "the wheel's metadata is broken; nothing was installed from it",
    });
  }
  if (specs.every((s) => specifierContains(s!, target.pythonVersion, true))) return;
  throw new IncompatibleWheelError(`${basename(wheel)} requires Python ${requiresPython}, and ${target.label} is Python ${target.pythonVersion}`, {
    hint: "install a version of the project that supports this Python, or use another interpreter",
  });
}

/**
 * Everything that comes before writing into the env: the target checks, the
 * wheel verified or its cache entry checked, the cache filled. Nothing of the
 * env is touched; a failure here changes nothing there.
 */
export async function prepareWheel(wheelRef: string | KnownWheel, opts: InstallOptions): Promise<PreparedWheel> {
  const debug = opts.debug ?? (() => {});
  const warnings: string[] = [];
  const wheel = typeof wheelRef === "string" ? wheelRef : wheelRef.path;
  if (opts.target) checkWheelTags(wheel, opts.target);
  let read: WheelBytes | undefined;
  const readBytes = (): WheelBytes => {
    if (read) return read;
    try {
      read = readWheelBytes(wheel);
    } catch (err) {
      throw new VenvctlError(`cannot read the wheel ${wheel}`, { cause: err });
    }
    if (typeof wheelRef !== "string" && read.sha256 !== wheelRef.sha256) {
      throw new CorruptWheelError(wheel, `its sha256 is ${read.sha256}, not ${wheelRef.sha256} as the store recorded`);
    }
    return read;
  };
  const lazily = (sha256: string): WheelBytes => ({ wheel, sha256, get bytes() { return readBytes().bytes; } });
  // A known sha256 finds the cache entry without reading the wheel: the
  // store's, or the one remembered for this file (wheel-ids.ts). A
  // remembered one serves only a sound hit: anything else is decided by
  // the wheel's own bytes.
  const identity = typeof wheelRef === "string" && opts.cacheDir ? wheelIdentity(wheel) : undefined;
  const remembered = identity && recallSha256(opts.cacheDir!, wheel, identity);
  if (remembered) debug(`${basename(wheel)} is unchanged since it was hashed: its sha256 is remembered, the wheel not read`);
  let bytes: WheelBytes = typeof wheelRef !== "string" ? lazily(wheelRef.sha256) : remembered ? lazily(remembered) : readBytes();

  // 1. A sound cache entry, found by the wheel's sha256 (cache.ts says what is checked).
  let cache = opts.cacheDir ? new WheelCache(opts.cacheDir, debug) : undefined;
  let entry: CacheEntry | undefined;
  let state: InstallResult["cache"] = cache ? "hit" : "off";
  let damaged = false;
  const unusable = (err: unknown) => {
    if (!(err instanceof CacheUnusableError)) throw err;
    warnings.push(`${err.message}; seeding straight from the wheels`);
    state = "bypassed";
    cache = undefined;
  };
  const look = (c: WheelCache) => {
    // Stamped before it is read: `cache prune` keeps an entry whose use has begun.
    c.stamp(bytes.sha256);
    const found = c.lookup(bytes);
    entry = found.status === "hit" ? found.entry : undefined;
    damaged = found.status === "damaged";
    return found;
  };
  if (cache) {
    try {
      let found = look(cache);
      if (found.status !== "hit" && remembered) {
        debug(`the sha256 remembered for ${basename(wheel)} found no sound entry; reading the wheel`);
        bytes = readBytes();
        if (bytes.sha256 !== remembered) found = look(cache);
        else if (found.status === "damaged") damaged = true;
      }
      if (found.status === "damaged") debug(`the cache entry of ${basename(wheel)} is damaged (${found.reason}); rebuilding it`);
    } catch (err) {
      unusable(err);
    }
  }

  let verified: VerifiedWheel | undefined;
  const verify = async () => {
    if (!verified) {
      const { verifyWheelBytes } = await import("./verify.js");
      verified = verifyWheelBytes(wheel, readBytes().bytes, bytes.sha256);
      debug(`verified ${basename(wheel)}: ${verified.files.length} files, every RECORD hash matches`);
    }
    return verified;
  };

  // 2. Otherwise the wheel is read and verified whole, then unpacked into
  //    the cache (or its damaged entry rebuilt) — or, when the cache cannot
  //    be used, installed straight from memory.
  if (!entry) {
    const w = await verify();
    if (cache) {
      try {
        entry = cache.fill(w, bytes, damaged);
        state = !entry ? "bypassed" : damaged ? "rebuilt" : "filled";
      } catch (err) {
        unusable(err);
      }
    }
  }

  // Remembered only when it was read, and found sound (its entry checked, or it verified).
  if (identity && read && read.sha256 === bytes.sha256 && state !== "bypassed") rememberSha256(opts.cacheDir!, wheel, identity, read.sha256);
  const source: Source = entry ? { kind: "cache", entry } : { kind: "wheel", data: verified!.data };
  const info: WheelInfo = entry ? entry.info : verified!;
  if (opts.target) checkRequiresPython(wheel, info.facts?.requiresPython, opts.target);
  return { wheel, sha256: bytes.sha256, info, source, cache, state, warnings, verify };
}

/** Installs `wheel` into the scheme; checks it against the target, verifies it (or checks its cache entry) first. */
export async function installWheel(wheel: string | KnownWheel, opts: InstallOptions): Promise<InstallResult> {
  const r = await placePrepared(await prepareWheel(wheel, opts), opts);
  if (r.linked && opts.cacheDir && opts.envDir) recordEnvLinks(opts.cacheDir, opts.envDir, [r.linked], opts.debug);
  return r;
}

