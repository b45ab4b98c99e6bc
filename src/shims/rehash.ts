// `rehash`: writes a shim (shims/shim.sh, filled in) for every command in the
// bin directory of every discovered interpreter, and the index they resolve
// versions with. The set is built in a new directory beside the old one and
// swapped in with one rename of the `shims` symlink, so a shim running at that
// moment sees the old set or the new one, never half of either; files venvctl
// did not write are carried into the new set, never deleted.
// On Windows the set is `<name>.cmd` shims (shims/shim.cmd), the index in
// the form cmd reads, and the PowerShell functions (shims/shims.ps1); `shims`
// is a junction there (see swapIn).
// One file, though long: building a generation, swapping it in with one
// rename and retiring the old ones are one protocol, and they share its names.
import { plural } from "../util/words.js";
import { nodeCrypto } from "../util/digest.js";
import {
  linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmdirSync, statSync,
  symlinkSync, unlinkSync, openSync, readSync, closeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { thisProcess, type Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { buildInventory, type Inventory } from "../interpreters/inventory.js";
import { findOnPath, isExecutableFile, pyenvRoot, shimDirs } from "../util/path-search.js";
import { VERSION_FILE_READ_BYTES } from "../interpreters/version-file.js";
import { shimTemplatesDir } from "../util/assets.js";
import { ensureDir, isNodeError, listNames, lstatOrUndefined, removeOwnedTree, writeNewFile } from "../util/fs.js";
import { debug, tildify } from "../util/log.js";
import { BUNDLED } from "../util/vendor.js";
import { isWindows } from "../platform/interpreter-places.js";
import { batchQuotedPath, commandKey, commandOfFile, installCommandDirs, shimFileName } from "../platform/shims.js";
import { crlf, powershellSingleQuoted } from "../util/sh-quote.js";
import { shQuote } from "./posix-shell.js";
import { isShimName } from "./resolve.js";
import { renderCmdIndex, renderIndexScript } from "./shim-index.js";

/** The index every shim sources (hidden and not executable: never a command). */
export const INDEX_FILE = ".venvctl-index";
/** The range evaluator a shim sources when a pin holds a range (shims/ranges.sh). */
export const RANGES_FILE = ".venvctl-ranges";
/** Windows: the PowerShell functions the PowerShell set-up dot-sources (shims/shims.ps1). */
export const POWERSHELL_FILE = ".venvctl-shims.ps1";
/** Files of the set that are sourced, never run. */
const SOURCED = new Set([INDEX_FILE, RANGES_FILE, POWERSHELL_FILE]);
/** What the last rehash wrote, and a digest of it. */
export const MANIFEST_FILE = ".venvctl-manifest.json";
/** The first lines of every shim: how a file is known to be venvctl's (sh, cmd). */
const SHIM_MARKERS = ["#!/bin/sh\n# venvctl shim for ", "@echo off\r\nrem venvctl shim for "];
/** Generation directories beside `shims`: `.shims-<time>-<random>`. */
const GENERATION = /^\.shims-[a-z0-9]+-[0-9a-f]+$/;
/** A build left behind by a rehash that died is removed after this long. */
const STALE_BUILD_MS = 10 * 60 * 1000;

type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr">;

interface Manifest {
  format: 1;
  digest: string;
  files: string[];
}

export interface RehashResult {
  /** `$VENVCTL_ROOT/shims`. */
  dir: string;
  /** Every command that has a shim now. */
  shims: string[];
  /** False when the set on disk was already what it would be (only with ifChanged). */
  changed: boolean;
  /** Files venvctl did not write, kept in the new set. */
  kept: string[];
  /** Shim files (commands; `<name>.cmd` on Windows) not written because a file venvctl did not write has that name. */
  blocked: string[];
}

export interface RehashOptions {
  /** Leave the shims alone when nothing would change (`use`, `init`). */
  ifChanged?: boolean;
  /** An index already built for this context. */
  index?: Inventory;
}

/** `$VENVCTL_ROOT/shims`. */
export function shimsDir(ctx: Pick<Context, "dirs">): string {
  return join(ctx.dirs.root, "shims");
}

/** The built CLI the shims hand ranges to (its shebang finds node; on Windows the shims name node). */
function cliPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/run.cjs; from the sources: src/shims/rehash.ts.
  return BUNDLED ? join(here, "..", "bin", "venvctl.js") : join(here, "..", "..", "bin", "venvctl.js");
}

function template(name: "shim.sh" | "ranges.sh" | "shim.cmd" | "shims.ps1"): string {
  return readFileSync(join(shimTemplatesDir(), name), "utf8");
}

/** Fills `{{ NAME }}` placeholders; every one must be given. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{ ([A-Z_]+) \}\}/g, (m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`shim template: no value for ${m}`);
    return v;
  });
}

/** A standard tool for the shims, by absolute path: the system's own first (a shim's PATH may hold anything). */
function systemTool(ctx: Ctx, name: string): string {
  return [`/usr/bin/${name}`, `/bin/${name}`].find(isExecutableFile) ?? findOnPath(ctx, name) ?? name;
}

/** Where the shims keep their stamps of version files known to be short (see _vc_file in shims/shim.sh). */
function versionFileStamps(ctx: Ctx): string {
  return join(ctx.dirs.cache, "version-files");
}

/**
 * Every command the discovered interpreters have, with the versions that
 * have it: the files of each install's command directories (platform/shims.ts:
 * `bin/` on POSIX; the install and its `Scripts\` on Windows, `pip.exe` being
 * the command `pip`, names compared without case), and the own names of an
 * interpreter found on PATH.
 */
function commandProviders(ctx: Ctx, index: Inventory): Map<string, string[]> {
  const providers = new Map<string, string[]>();
  const spelled = new Map<string, string>();
  const add = (cmd: string, name: string) => {
    const key = commandKey(ctx, cmd);
    const shown = spelled.get(key) ?? cmd;
    spelled.set(key, shown);
    const list = providers.get(shown) ?? [];
    if (!list.includes(name)) list.push(name);
    providers.set(shown, list);
  };
  for (const t of index.targets) {
    if (t.bin !== undefined) {
      for (const dir of installCommandDirs(ctx, t.bin)) {
        let names: string[] = [];
        try {
          names = readdirSync(dir);
        } catch (err) {
          if (!isNodeError(err, "ENOENT")) debug(ctx, `cannot list ${dir}: ${(err as Error).message}`);
        }
        for (const n of names) {
          const cmd = commandOfFile(ctx, n);
          if (cmd !== undefined && isShimName(cmd) && isExecutableFile(join(dir, n))) add(cmd, t.name);
        }
      }
    } else {
      for (const n of t.names ?? []) add(n, t.name);
    }
  }
  return providers;
}

/** Every shim's text, by file name, the index and what the shims source. */
function plan(ctx: Ctx, index: Inventory): { files: Map<string, string>; commands: string[] } {
  const providers = commandProviders(ctx, index);
  if (isWindows(ctx)) return planWindows(ctx, index, providers);
  const dir = shimsDir(ctx);
  const common = {
    INDEX: shQuote(join(dir, INDEX_FILE)),
    RANGES: shQuote(join(dir, RANGES_FILE)),
    GLOBALS: [join(ctx.dirs.root, "version"), join(pyenvRoot(ctx), "version")].map(shQuote).join(" "),
    SHIM_DIRS: shimDirs(ctx).map(shQuote).join(" "),
    WORD_SEPARATORS: "' \t\r'",
    BOM: "'\uFEFF'",
    READ_BYTES: String(VERSION_FILE_READ_BYTES),
    HEAD: shQuote(systemTool(ctx, "head")),
    WC: shQuote(systemTool(ctx, "wc")),
    STAMPS: shQuote(versionFileStamps(ctx)),
    VENVCTL: shQuote(cliPath()),
  };
  const shim = template("shim.sh");
  const files = new Map<string, string>();
  const commands = [...providers.keys()].sort();
  for (const cmd of commands) {
    files.set(cmd, fill(shim, { ...common, NAME: cmd, COMMAND: shQuote(cmd), PROVIDERS: shQuote(providers.get(cmd)!.join(", ")) }));
  }
  files.set(INDEX_FILE, renderIndexScript(index));
  files.set(RANGES_FILE, template("ranges.sh"));
  return { files, commands };
}

/**
 * Windows: `<name>.cmd` per command (shims/shim.cmd, CRLF: cmd mis-reads
 * labels in LF files), the index as cmd reads it, and the PowerShell
 * functions (shims/shims.ps1; why functions, not .ps1 files, is said there).
 */
function planWindows(ctx: Ctx, index: Inventory, providers: Map<string, string[]>): { files: Map<string, string>; commands: string[] } {
  const dir = shimsDir(ctx);
  const quoted = (paths: string[]) => paths.map((p) => `"${batchQuotedPath(p)}"`).join(" ");
  const common = {
    INDEX: batchQuotedPath(join(dir, INDEX_FILE)),
    GLOBALS: quoted([join(ctx.dirs.root, "version"), join(pyenvRoot(ctx), "version")]),
    SHIM_DIRS: quoted(shimDirs(ctx)),
    MANIFEST: MANIFEST_FILE,
    READ_BYTES: String(VERSION_FILE_READ_BYTES),
    NODE: batchQuotedPath(thisProcess.execPath),
    VENVCTL: batchQuotedPath(cliPath()),
  };
  const shim = template("shim.cmd");
  const files = new Map<string, string>();
  const commands = [...providers.keys()].sort((a, b) => commandKey(ctx, a).localeCompare(commandKey(ctx, b)));
  for (const cmd of commands) {
    files.set(shimFileName(ctx, cmd), crlf(fill(shim, { ...common, NAME: cmd, COMMAND: cmd })));
  }
  files.set(INDEX_FILE, renderCmdIndex(index, (bin) => installCommandDirs(ctx, bin)));
  files.set(POWERSHELL_FILE, crlf(fill(template("shims.ps1"), {
    SHIMS_DIR: powershellSingleQuoted(dir),
    NODE: powershellSingleQuoted(thisProcess.execPath),
    VENVCTL: powershellSingleQuoted(cliPath()),
    COMMANDS: commands.map((c) => `'${c}'`).join(", "),
  })));
  return { files, commands };
}

function digestOf(files: Map<string, string>): string {
  const h = nodeCrypto().createHash("sha256");
  for (const [name, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(`${name}\0${text}\0`);
  return h.digest("hex");
}

function readManifest(dir: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8")) as Manifest;
    return m.format === 1 && Array.isArray(m.files) ? m : undefined;
  } catch {
    return undefined;
  }
}

function startsWithMarker(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buf = Buffer.alloc(Math.max(...SHIM_MARKERS.map((m) => m.length)));
    const head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString("utf8");
    return SHIM_MARKERS.some((m) => head.startsWith(m));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Whether venvctl wrote this entry of a shims directory: its index and
 * manifest, and files that start as every shim does (a shim someone replaced
 * with their own script is theirs now, whatever the manifest says).
 */
function isOurs(dir: string, name: string): boolean {
  if (SOURCED.has(name) || name === MANIFEST_FILE) return true;
  const st = lstatOrUndefined(join(dir, name));
  return st?.isFile() === true && startsWithMarker(join(dir, name));
}

/** Whether the set on disk is exactly this one. */
function upToDate(dir: string, digest: string, files: Map<string, string>): boolean {
  const m = readManifest(dir);
  if (!m || m.digest !== digest) return false;
  for (const name of files.keys()) {
    try {
      statSync(join(dir, name));
    } catch {
      return false;
    }
  }
  return true;
}

function rootError(ctx: Ctx, err: unknown): VenvctlError {
  return new VenvctlError(`cannot write the shims in ${tildify(shimsDir(ctx), ctx.dirs.home)}`, {
    cause: err,
    hint: `check that ${tildify(ctx.dirs.root, ctx.dirs.home)} (VENVCTL_ROOT) is writable; the shims there are unchanged`,
  });
}

/**
 * Writes the shims and the index. With `ifChanged`, does nothing when the set
 * on disk is already this one (cheap: one small file read).
 */
export async function rehashShims(ctx: Ctx, opts: RehashOptions = {}): Promise<RehashResult> {
  const index = opts.index ?? (await buildInventory(ctx));
  const { files, commands } = plan(ctx, index);
  const digest = digestOf(files);
  const dir = shimsDir(ctx);
  if (opts.ifChanged && upToDate(dir, digest, files)) {
    debug(ctx, `shims in ${tildify(dir, ctx.dirs.home)} are up to date`);
    return { dir, shims: commands, changed: false, kept: [], blocked: [] };
  }

  // What is there now: nothing, our symlink to a generation, or a directory.
  const current = lstatOrUndefined(dir);
  let oldDir: string | undefined;
  if (current?.isSymbolicLink()) {
    const target = linkedGeneration(ctx, dir);
    if (target === undefined) {
      throw new VenvctlError(`${tildify(dir, ctx.dirs.home)} is a symbolic link venvctl did not make (to ${readlinkSync(dir)})`, {
        hint: "move it away, then run `venvctl rehash` again",
      });
    }
    oldDir = join(ctx.dirs.root, target);
  } else if (current?.isDirectory()) {
    oldDir = dir;
  } else if (current) {
    throw new VenvctlError(`${tildify(dir, ctx.dirs.home)} is a file, not the shims directory`, {
      hint: "move it away, then run `venvctl rehash` again",
    });
  }

  // Build the new set beside the old one.
  const genName = `.shims-${Date.now().toString(36)}-${nodeCrypto().randomBytes(4).toString("hex")}`;
  const gen = join(ctx.dirs.root, genName);
  const kept: string[] = [];
  const blocked: string[] = [];
  try {
    ensureDir(ctx.dirs.root);
    mkdirSync(gen);
  } catch (err) {
    throw rootError(ctx, err);
  }
  try {
    ensureDir(versionFileStamps(ctx));
  } catch (err) {
    // Only speed is lost: without stamps, shims measure version files each time.
    debug(ctx, `cannot make ${versionFileStamps(ctx)}: ${(err as Error).message}`);
  }
  const carried: Array<{ name: string; how: "link" | "move" }> = [];
  let live = gen;
  try {
    // Files someone else put there stay, in the new set; their name wins over a shim's.
    const foreign = oldDir ? listNames(oldDir).filter((n) => !isOurs(oldDir!, n)) : [];
    for (const name of foreign) {
      kept.push(name);
      if (files.has(name)) blocked.push(name);
    }
    const written: string[] = [];
    for (const [name, text] of files) {
      if (blocked.includes(name)) continue;
      writeNewFile(join(gen, name), text, SOURCED.has(name) ? 0o644 : 0o755);
      if (!SOURCED.has(name)) written.push(name);
    }
    const manifest: Manifest = { format: 1, digest, files: written.sort() };
    writeNewFile(join(gen, MANIFEST_FILE), JSON.stringify(manifest, null, 1) + "\n");
    for (const name of foreign) {
      const from = join(oldDir!, name);
      if (lstatOrUndefined(from)?.isDirectory()) {
        renameSync(from, join(gen, name));
        carried.push({ name, how: "move" });
      } else {
        linkSync(from, join(gen, name));
        carried.push({ name, how: "link" });
      }
    }
    live = swapIn(ctx, dir, genName, current?.isDirectory() === true);
  } catch (err) {
    // Put back what was moved, drop the half-built set; the old one is untouched.
    // Should a directory not go back, the build stays: it holds someone's files.
    let allBack = true;
    for (const c of carried) if (c.how === "move") allBack = tryRename(join(gen, c.name), join(oldDir!, c.name)) && allBack;
    if (allBack) removeOwnedTree(gen);
    if (err instanceof VenvctlError) throw err;
    throw rootError(ctx, err);
  }

  // The set just replaced stays until a later rehash (a shim started a moment
  // ago may still be opening its file there); older ones go now.
  const replaced = current?.isDirectory() ? `.shims-old-${genName.slice(7)}` : oldDir ? basename(oldDir) : undefined;
  retireOldGenerations(ctx, live, [genName, replaced]);
  const shims = commands.filter((c) => !blocked.includes(shimFileName(ctx, c)));
  debug(ctx, `wrote ${plural(shims.length, "shim")} in ${tildify(dir, ctx.dirs.home)}`);
  return { dir, shims, changed: true, kept, blocked };
}

function tryRename(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch {
    return false;
  }
}

/**
 * The generation `shims` links to (its name), if it is a link venvctl made:
 * a relative symlink on POSIX; on Windows a junction, whose target is
 * absolute, to a generation beside it.
 */
function linkedGeneration(ctx: Ctx, dir: string): string | undefined {
  let target: string;
  try {
    target = readlinkSync(dir);
  } catch {
    return undefined;
  }
  if (isWindows(ctx)) {
    const abs = target.replace(/^\\\\\?\\/, "");
    const name = basename(abs);
    return GENERATION.test(name) && sameDir(dirname(abs), ctx.dirs.root) ? name : undefined;
  }
  return GENERATION.test(target) ? target : undefined;
}

/** Whether two spellings of a Windows directory are the same (case, trailing separators). */
function sameDir(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/[\\/]+$/, "").replace(/\//g, "\\").toLowerCase();
  return norm(a) === norm(b);
}

/**
 * Points `shims` at the new generation; answers where the new set now is.
 * On POSIX with one rename of a symlink. On Windows a symlink needs a
 * privilege most users lack, so `shims` is a junction (no privilege,
 * absolute target), and a rename cannot replace an existing directory entry
 * there: the old junction is renamed aside first, then the new one into
 * place (a shim started in that instant finds no `shims`; the old junction
 * is put back if the second rename fails). Where the file system has no
 * junctions (FAT, some network drives, wine), the generation itself is
 * renamed to `shims`, the old set having been renamed aside: no link, the
 * same short gap. A plain directory (made by hand, by an older venvctl, or
 * so) is first renamed aside.
 */
function swapIn(ctx: Ctx, dir: string, genName: string, wasDirectory: boolean): string {
  const suffix = nodeCrypto().randomBytes(4).toString("hex");
  const tmpLink = join(ctx.dirs.root, `.shims-link-${suffix}`);
  const gen = join(ctx.dirs.root, genName);
  const windows = isWindows(ctx);
  let linked = true;
  if (!windows) symlinkSync(genName, tmpLink);
  else {
    try {
      symlinkSync(gen, tmpLink, "junction");
    } catch (err) {
      debug(ctx, `no junction in ${ctx.dirs.root} (${(err as Error).message}): the shims directory is renamed into place`);
      linked = false;
    }
  }
  let aside: string | undefined;
  try {
    if (wasDirectory) renameSync(dir, join(ctx.dirs.root, `.shims-old-${genName.slice(7)}`));
    else if (windows && lstatOrUndefined(dir)) {
      aside = join(ctx.dirs.root, `.shims-link-old-${suffix}`);
      renameSync(dir, aside);
    }
    renameSync(linked ? tmpLink : gen, dir);
  } catch (err) {
    if (aside !== undefined) tryRename(aside, dir);
    else if (windows && wasDirectory && !lstatOrUndefined(dir)) tryRename(join(ctx.dirs.root, `.shims-old-${genName.slice(7)}`), dir);
    if (linked) removeLink(tmpLink);
    throw err;
  }
  if (aside !== undefined) removeLink(aside);
  return linked ? gen : dir;
}

/** Removes a symlink or junction (a junction is a directory to Windows: rmdir, which leaves its target alone). */
function removeLink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    try {
      rmdirSync(path);
    } catch {
      // Nothing to clean.
    }
  }
}

/**
 * Empties a replaced generation of what venvctl wrote there, and of the
 * foreign files linked into the current one; removes it if that empties it.
 */
function retire(ctx: Ctx, oldDir: string, gen: string): void {
  for (const name of listNames(oldDir)) {
    const p = join(oldDir, name);
    try {
      if (isOurs(oldDir, name)) {
        unlinkSync(p);
        continue;
      }
      // A foreign file: removed only where the current set links the same inode.
      const a = lstatSync(p);
      const b = lstatOrUndefined(join(gen, name));
      if (b && a.ino === b.ino && a.dev === b.dev) unlinkSync(p);
    } catch (err) {
      debug(ctx, `could not remove ${p}: ${(err as Error).message}`);
    }
  }
  try {
    rmdirSync(oldDir);
  } catch (err) {
    if (!isNodeError(err, "ENOENT")) debug(ctx, `left ${oldDir} in place: ${(err as Error).message}`);
  }
}

/**
 * Retires the generations beside `shims` that are not in use: not the one
 * `shims` points to, not `keep`, and not younger than STALE_BUILD_MS (a
 * rehash running at the same time may be building that one).
 */
function retireOldGenerations(ctx: Ctx, gen: string, keep: Array<string | undefined>): void {
  const now = Date.now();
  const linked = linkedGeneration(ctx, shimsDir(ctx));
  for (const name of listNames(ctx.dirs.root)) {
    if (name === linked || keep.includes(name) || !(GENERATION.test(name) || /^\.shims-old-/.test(name))) continue;
    const p = join(ctx.dirs.root, name);
    try {
      if (now - lstatSync(p).mtimeMs < STALE_BUILD_MS) continue;
    } catch {
      continue;
    }
    retire(ctx, p, gen);
  }
}
