// Installing and removing the interpreters venvctl downloads, in
// `$VENVCTL_ROOT/versions/cpython-3.12.7-linux-x86_64-gnu/`. A build is
// unpacked as it downloads into a hidden directory beside the destination
// (marked with its owner), its sha256 checked once the download ends (a
// mismatch and that directory goes, never seen), given a record
// (.venvctl-python.json: how venvctl knows the directory is its own, the only
// kind `python uninstall` removes) and renamed into place. Whoever renames
// second finds the same build there and counts it as installed. Ctrl-C, a
// failure or a kill leaves no visible directory: leftovers are hidden and
// removed by the next run once their owner is gone.
import { mkdirSync, readFileSync, renameSync, lstatSync } from "node:fs";
import { join } from "node:path";
import { thisProcess, type Context } from "../context.js";
import { VenvctlError, isSystemError, osError } from "../errors.js";
import { ensureDir, isNodeError, listNames, lstatOrUndefined, parseSiblingTempName, siblingTempPath, writeNewFile } from "../util/fs.js";
import { debug, tildify } from "../util/log.js";
import {
  holdsOnlyMarkerParts, ownerIsAlive, pidIsAlive, readOwnerMarker, removeMarkedDir, removeOwnerMarker, writeOwnerMarker,
} from "../util/owned-dir.js";
import { interpreterInDir } from "./discovery.js";
import { chooseDownload, installName, loadDownloads, type BuildFacts, type Download, type DownloadsList } from "./downloads.js";
import { downloadsDisabled, downloadsMode } from "./downloads-mode.js";
import { fetchArchive, fetchText, progressBar } from "./fetch-archive.js";
import { hostPlatform } from "./platform.js";
import { describeRequest, type PythonRequest } from "./request.js";
import { formatVersion } from "./version.js";
import { startUnpack, type Unpacker } from "./unpack-archive.js";

type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr" | "stderrIsTTY">;

/** The record in every directory venvctl installed. */
export const INSTALL_RECORD = ".venvctl-python.json";

export interface InstallRecord extends BuildFacts {
  installer: "venvctl";
  name: string;
  version: string;
  installed: string;
}

/** `$VENVCTL_ROOT/versions`. */
export function managedVersionsDir(ctx: Pick<Context, "dirs">): string {
  return join(ctx.dirs.root, "versions");
}

/** The record of an install directory, when venvctl wrote one there for that very name. */
export function readInstallRecord(dir: string, name: string): InstallRecord | undefined {
  try {
    const path = join(dir, INSTALL_RECORD);
    const st = lstatSync(path);
    if (!st.isFile() || st.size > 65536) return undefined;
    const r = JSON.parse(readFileSync(path, "utf8")) as Partial<InstallRecord>;
    return r.installer === "venvctl" && r.name === name ? (r as InstallRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** An interpreter directory venvctl installed. */
export interface ManagedInstall {
  name: string;
  dir: string;
  record: InstallRecord;
}

/** Every directory in `$VENVCTL_ROOT/versions` that venvctl installed (its record says so). */
export function managedInstalls(ctx: Pick<Context, "dirs">): ManagedInstall[] {
  const base = managedVersionsDir(ctx);
  const out: ManagedInstall[] = [];
  for (const name of listNames(base)) {
    if (name.startsWith(".")) continue;
    const record = readInstallRecord(join(base, name), name);
    if (record) out.push({ name, dir: join(base, name), record });
  }
  return out;
}

const LEFTOVER_TAGS = new Set(["build", "old", "gone"]);

/**
 * Settles what killed runs left in `versions/`: a build or a removal in
 * progress goes; an install moved aside for a reinstall comes back when
 * nothing took its place. Only hidden directories with venvctl's name and
 * owner marker whose process is gone are touched.
 */
export function recoverLeftovers(ctx: Pick<Context, "env" | "stderr">, versionsDir: string): void {
  for (const name of listNames(versionsDir)) {
    const parsed = parseSiblingTempName(name);
    if (!parsed || !LEFTOVER_TAGS.has(parsed.tag)) continue;
    const p = join(versionsDir, name);
    try {
      const marker = readOwnerMarker(p);
      if (!marker) {
        // Killed between making the directory and marking it.
        if (lstatOrUndefined(p)?.isDirectory() && holdsOnlyMarkerParts(p) && !pidIsAlive(parsed.pid)) removeMarkedDir(p);
        continue;
      }
      if (ownerIsAlive(marker)) continue;
      const target = join(versionsDir, parsed.target);
      if (parsed.tag === "old" && !lstatOrUndefined(target)) {
        renameSync(p, target);
        removeOwnerMarker(target);
        debug(ctx, `put back ${parsed.target}, moved aside by a run that was killed`);
      } else {
        removeMarkedDir(p);
        debug(ctx, `removed ${name}, left by a run that was killed`);
      }
    } catch (err) {
      debug(ctx, `could not settle ${p}: ${(err as Error).message}`);
    }
  }
}

export interface InstallOptions {
  /** Replace an install venvctl made (a complete one is otherwise kept). */
  reinstall?: boolean | undefined;
  /** Replace a directory of that name that is not a complete install. */
  force?: boolean | undefined;
}

export interface InstallResult {
  download: Download;
  name: string;
  dir: string;
  python: string;
  /** What happened: installed, already there (nothing done), or replaced. */
  outcome: "installed" | "present" | "reinstalled";
}

/** What stands at the destination now. */
function inspectDestination(ctx: Pick<Context, "platform">, dest: string, name: string): "missing" | "complete" | "partial" {
  const st = lstatOrUndefined(dest);
  if (!st) return "missing";
  if (st.isDirectory() && readInstallRecord(dest, name) && interpreterInDir(ctx, dest)) return "complete";
  return "partial";
}

function wrapOs(err: unknown, action: string, path: string): unknown {
  return isSystemError(err) ? osError(err, { action, path }) : err;
}

/**
 * Installs one build. Refused under VENVCTL_PYTHON_DOWNLOADS=never. A
 * complete install of the same name is kept (`present`) unless `reinstall`;
 * anything else there is refused unless `force`.
 */
export async function installDownload(ctx: Ctx, download: Download, opts: InstallOptions = {}): Promise<InstallResult> {
  const name = installName(download);
  if (downloadsMode(ctx) === "never") throw downloadsDisabled(`cannot install CPython ${formatVersion(download.version)}`);
  const versionsDir = managedVersionsDir(ctx);
  try {
    ensureDir(versionsDir);
  } catch (err) {
    throw wrapOs(err, "create", versionsDir);
  }
  recoverLeftovers(ctx, versionsDir);
  const dest = join(versionsDir, name);
  const shown = tildify(dest, ctx.dirs.home);
  const before = inspectDestination(ctx, dest, name);
  if (before === "complete" && !opts.reinstall) {
    return { download, name, dir: dest, python: interpreterInDir(ctx, dest)!, outcome: "present" };
  }
  if (before === "partial" && !opts.force) {
    throw new VenvctlError(`${shown} exists but is not a complete install of venvctl's`, {
      hint: `look at it; \`venvctl python install --force ${formatVersion(download.version)}\` replaces it with a fresh install`,
    });
  }

  // Ctrl-C and SIGTERM: stop the download, and let the steps below unwind.
  const controller = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  const stopHandling = thisProcess.onSignals(["SIGINT", "SIGTERM"], (signal) => {
    interrupted = signal;
    controller.abort();
  });
  const checkpoint = async () => {
    // Lets a signal that arrived during synchronous work be handled now.
    await new Promise((resolve) => setImmediate(resolve));
    if (interrupted) throw new VenvctlError(`interrupted (${interrupted}): CPython ${formatVersion(download.version)} was not installed`, { hint: "nothing was left in versions/; run the command again to install it" });
  };

  let build: string | undefined;
  let aside: string | undefined;
  try {
    // The archive is unpacked as it arrives, into a hidden directory that
    // goes into place only once the whole download matched its sha256
    // (download and unpack overlap, as curl | tar's do): an archive whose
    // hash does not match never gets anything into view.
    build = siblingTempPath(dest, "build");
    try {
      mkdirSync(build);
      writeOwnerMarker(build, "build", name);
    } catch (err) {
      throw wrapOs(err, "create", build);
    }
    const started = Date.now();
    const bar = ctx.stderrIsTTY ? progressBar((s) => ctx.stderr.write(s), `Downloading ${name}`) : undefined;
    // The request goes out first (undici connects on a later tick: one turn
    // of the event loop), and tar loads while the server answers.
    let unpacker: Unpacker | undefined;
    const early: Buffer[] = [];
    const fetching = fetchArchive(ctx, download.url, {
      signal: controller.signal,
      onProgress: bar?.update,
      onData: (chunk) => (unpacker ? unpacker.write(chunk) : early.push(chunk)),
    });
    fetching.catch(() => {}); // awaited below
    let fetched;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      unpacker = await startUnpack(build, download.url);
      for (const chunk of early.splice(0)) unpacker.write(chunk);
      controller.signal.addEventListener("abort", () => unpacker!.abort(), { once: true });
      fetched = await fetching;
    } catch (err) {
      controller.abort();
      unpacker?.abort();
      throw err;
    } finally {
      bar?.done();
    }
    if (interrupted) unpacker.abort();
    await checkpoint();
    if (fetched.sha256 !== download.sha256) {
      unpacker.abort();
      throw new VenvctlError(`the download of ${download.url} does not match its sha256`, {
        cause: `expected ${download.sha256}, got ${fetched.sha256}`,
        hint: "the file changed on the server or on the way (a proxy, a mirror out of date); nothing was installed or kept",
      });
    }
    debug(ctx, `downloaded ${download.url} (${fetched.size} bytes, sha256 verified) in ${Date.now() - started} ms`);
    const unpackStarted = Date.now();
    try {
      await unpacker.end();
    } catch (err) {
      await checkpoint(); // Ctrl-C while unpacking is said as such
      throw err;
    }
    debug(ctx, `unpacked into ${build} (${Date.now() - unpackStarted} ms after the download ended)`);
    await checkpoint();
    const tree = join(build, "python");
    if (!interpreterInDir(ctx, tree)) {
      throw new VenvctlError(`${download.url} is not a Python build in python-build-standalone's install_only layout`, {
        hint: "it holds no python/bin/python3 (or python/python.exe); nothing was installed",
      });
    }
    const record: InstallRecord = {
      installer: "venvctl", name, version: formatVersion(download.version), os: download.os, arch: download.arch,
      libc: download.libc, build: download.build, url: download.url, sha256: download.sha256, installed: new Date().toISOString(),
    };
    try {
      writeNewFile(join(tree, INSTALL_RECORD), JSON.stringify(record, null, 1) + "\n");
    } catch (err) {
      throw wrapOs(err, "write", join(tree, INSTALL_RECORD));
    }

    // Into place. A reinstall (or --force) first moves what is there aside.
    const now = inspectDestination(ctx, dest, name);
    if (now !== "missing" && (opts.reinstall || (now === "partial" && opts.force))) {
      aside = siblingTempPath(dest, "old");
      try {
        writeOwnerMarker(dest, "old", name);
        renameSync(dest, aside);
      } catch (err) {
        aside = undefined;
        throw wrapOs(err, "move aside", dest);
      }
    }
    await checkpoint();
    try {
      renameSync(tree, dest);
    } catch (err) {
      if (!(isNodeError(err, "ENOTEMPTY") || isNodeError(err, "EEXIST"))) throw wrapOs(err, "rename into place", dest);
      // Someone else's install of this build got there first: as good as ours.
      if (inspectDestination(ctx, dest, name) !== "complete") throw wrapOs(err, "rename into place", dest);
      debug(ctx, `${name} was installed by another venvctl meanwhile`);
      return { download, name, dir: dest, python: interpreterInDir(ctx, dest)!, outcome: "present" };
    }
    const python = interpreterInDir(ctx, dest)!;
    return { download, name, dir: dest, python, outcome: aside || before === "complete" ? "reinstalled" : "installed" };
  } catch (err) {
    // Put back what was moved aside, unless something took its place.
    if (aside && !lstatOrUndefined(dest)) {
      try {
        renameSync(aside, dest);
        removeOwnerMarker(dest);
        aside = undefined;
      } catch (e) {
        debug(ctx, `could not put back ${aside}: ${(e as Error).message}`);
      }
    }
    throw err;
  } finally {
    stopHandling();
    for (const dir of [build, aside]) {
      if (!dir) continue;
      try {
        removeMarkedDir(dir);
      } catch (err) {
        debug(ctx, `could not remove ${dir}: ${(err as Error).message}`);
      }
    }
  }
}

/** The downloads list, fetched under the same rules as builds. */
export async function downloadsList(ctx: Ctx): Promise<DownloadsList> {
  return loadDownloads(ctx, (url) => fetchText(ctx, url));
}

/** Chooses the newest build a request matches for this machine, and installs it. */
export async function installRequest(ctx: Ctx, request: PythonRequest, opts: InstallOptions = {}): Promise<InstallResult> {
  if (downloadsMode(ctx) === "never") throw downloadsDisabled(`cannot install ${describeRequest(request)}`);
  const list = await downloadsList(ctx);
  return installDownload(ctx, chooseDownload(list, request, hostPlatform(ctx)), opts);
}

/**
 * Removes an install venvctl made: renamed aside first (so it disappears at
 * once, whole), then deleted. Anything without venvctl's record is refused.
 */
export function removeManagedInstall(ctx: Pick<Context, "env" | "stderr" | "dirs">, name: string): void {
  const versionsDir = managedVersionsDir(ctx);
  const dir = join(versionsDir, name);
  if (!readInstallRecord(dir, name)) {
    throw new VenvctlError(`${tildify(dir, ctx.dirs.home)} was not installed by venvctl`, { hint: "venvctl removes only the interpreters it installed" });
  }
  recoverLeftovers(ctx, versionsDir);
  const gone = siblingTempPath(dir, "gone");
  try {
    writeOwnerMarker(dir, "gone", name);
    renameSync(dir, gone);
  } catch (err) {
    throw wrapOs(err, "remove", dir);
  }
  try {
    removeMarkedDir(gone);
  } catch (err) {
    // It is out of sight already; the next run finishes the removal.
    debug(ctx, `could not finish removing ${gone}: ${(err as Error).message}`);
  }
}

