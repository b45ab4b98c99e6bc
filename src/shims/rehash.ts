// `rehash`: writes a shim (shims/shim.sh, filled in) for every command in the
// bin directory of every discovered interpreter, and the index they resolve
// versions with. The set is built in a new directory beside the old one and
// swapped in with one rename of the `shims` symlink, so a shim running at that
// moment sees the old set or the new one, never half of either; files venvctl
// did not write are carried into the new set, never deleted.
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
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { buildInventory, type Inventory } from "../interpreters/inventory.js";
import { findOnPath, isExecutableFile, pyenvRoot, shimDirs } from "../util/path-search.js";
import { VERSION_FILE_READ_BYTES } from "../interpreters/version-file.js";
import { shimTemplatesDir } from "../util/assets.js";
import { ensureDir, isNodeError, listNames, lstatOrUndefined, removeOwnedTree, writeNewFile } from "../util/fs.js";
import { debug, tildify } from "../util/log.js";
import { BUNDLED } from "../util/vendor.js";
import { shQuote } from "./posix-shell.js";
import { isShimName } from "./resolve.js";
import { renderIndexScript } from "./shim-index.js";

/** The index every shim sources (hidden and not executable: never a command). */
export const INDEX_FILE = ".venvctl-index";
/** The range evaluator a shim sources when a pin holds a range (shims/ranges.sh). */
export const RANGES_FILE = ".venvctl-ranges";
/** Files of the set that are sourced, never run. */
const SOURCED = new Set([INDEX_FILE, RANGES_FILE]);
/** What the last rehash wrote, and a digest of it. */
export const MANIFEST_FILE = ".venvctl-manifest.json";
/** The first lines of every shim: how a file is known to be venvctl's. */
const SHIM_MARKER = "#!/bin/sh\n# venvctl shim for ";
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
  /** Commands that got no shim because a file venvctl did not write has that name. */
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

/** The built CLI the shims hand ranges to (its shebang finds node). */
function cliPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/run.cjs; from the sources: src/shims/rehash.ts.
  return BUNDLED ? join(here, "..", "bin", "venvctl.js") : join(here, "..", "..", "bin", "venvctl.js");
}

function template(name: "shim.sh" | "ranges.sh"): string {
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

/** Every shim's text, by command name, and the index. */
function plan(ctx: Ctx, index: Inventory): { files: Map<string, string>; commands: string[] } {
  const providers = new Map<string, string[]>();
  const add = (cmd: string, name: string) => {
    const list = providers.get(cmd) ?? [];
    if (!list.includes(name)) list.push(name);
    providers.set(cmd, list);
  };
  for (const t of index.targets) {
    if (t.bin !== undefined) {
      let names: string[] = [];
      try {
        names = readdirSync(t.bin);
      } catch (err) {
        debug(ctx, `cannot list ${t.bin}: ${(err as Error).message}`);
      }
      for (const n of names) if (isShimName(n) && isExecutableFile(join(t.bin, n))) add(n, t.name);
    } else {
      for (const n of t.names ?? []) add(n, t.name);
    }
  }
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
    const buf = Buffer.alloc(SHIM_MARKER.length);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString("utf8") === SHIM_MARKER;
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
    const target = readlinkSync(dir);
    if (!GENERATION.test(target)) {
      throw new VenvctlError(`${tildify(dir, ctx.dirs.home)} is a symbolic link venvctl did not make (to ${target})`, {
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
    swapIn(ctx, dir, genName, current?.isDirectory() === true);
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
  retireOldGenerations(ctx, gen, [genName, replaced]);
  const shims = commands.filter((c) => !blocked.includes(c));
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
 * Points `shims` at the new generation with one rename of a symlink. A plain
 * directory (made by hand, or by an older venvctl) is first renamed aside.
 */
function swapIn(ctx: Ctx, dir: string, genName: string, wasDirectory: boolean): void {
  const tmpLink = join(ctx.dirs.root, `.shims-link-${nodeCrypto().randomBytes(4).toString("hex")}`);
  symlinkSync(genName, tmpLink);
  try {
    if (wasDirectory) renameSync(dir, join(ctx.dirs.root, `.shims-old-${genName.slice(7)}`));
    renameSync(tmpLink, dir);
  } catch (err) {
    try {
      unlinkSync(tmpLink);
    } catch {
      // Nothing to clean.
    }
    throw err;
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
  let linked: string | undefined;
  try {
    linked = readlinkSync(shimsDir(ctx));
  } catch {
    linked = undefined;
  }
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
