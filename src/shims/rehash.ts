// `rehash`: writes a shim (shims/shim.sh, filled in) for every command in the
// bin directory of every discovered interpreter, and the index they resolve
// versions with. The set is built in a new directory beside the old one and
// swapped in with one rename of the `shims` symlink, so a shim running at that
// moment sees the old set or the new one, never half of either; files venvctl
// did not write are carried into the new set, never deleted.
// On Windows the set is `<name>.cmd` shims (shims/shim.cmd), the index in
// the form cmd reads, and the PowerShell functions (shims/shims.ps1); `shims`
// is a junction there (see swapIn).
// What a generation holds is shim-set.ts; this is building it, swapping it
// in with one rename, and retiring the old ones: one protocol.
import { plural } from "../util/words.js";
import { nodeCrypto } from "../util/digest.js";
import { linkSync, lstatSync, mkdirSync, readlinkSync, renameSync, rmdirSync, symlinkSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { VenvctlError } from "../errors.js";
import { buildInventory, type Inventory } from "../interpreters/inventory.js";
import { ensureDir, isNodeError, listNames, lstatOrUndefined, removeOwnedTree, writeNewFile } from "../util/fs.js";
import { debug, tildify } from "../util/log.js";
import { isWindows } from "../platform/interpreter-places.js";
import { shimFileName } from "../platform/shims.js";
import { digestOf, isOurs, MANIFEST_FILE, plan, shimsDir, SOURCED, upToDate, versionFileStamps, type Ctx, type Manifest } from "./shim-set.js";

/** Generation directories beside `shims`: `.shims-<time>-<random>`. */
const GENERATION = /^\.shims-[a-z0-9]+-[0-9a-f]+$/;
/** A build left behind by a rehash that died is removed after this long. */
const STALE_BUILD_MS = 10 * 60 * 1000;


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
