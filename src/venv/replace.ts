// Putting a finished build in place of the target, and finishing what a
// killed run left beside it. Every directory venvctl sets beside a target is
// named by siblingTempPath and marked (util/owned-dir.ts), and a kill at any
// moment leaves one of these states, which the next run settles:
//   build B beside the target T          → B is removed (T is untouched)
//   T moved aside to O, B not yet in     → O is renamed back to T, B removed
//   B renamed to T, O not yet removed    → O is removed (T is the new env)
//   a marker left inside T               → the marker is removed
// So after a kill the target is absent, the old env or the new one, and after
// the next run it is the old env or the new one with nothing beside it. Node
// has no renameat2(RENAME_EXCHANGE), so the swap is two plain renames, and an
// interrupted one is rolled back: the run that was killed never said it had
// succeeded.
import { mkdirSync, readdirSync, renameSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { isNodeError, lstatOrUndefined, parseSiblingTempName, siblingTempPath } from "../util/fs.js";
import { debug } from "../util/log.js";
import {
  holdsOnlyMarkerParts, ownerIsAlive, pidIsAlive, readOwnerMarker, removeMarkedDir, removeOwnerMarker, writeOwnerMarker,
} from "../util/owned-dir.js";
import { whyNotAVenv } from "./venv-check.js";

const BUILD_TAG = "build";
const OLD_TAG = "old";

/** A new name for the directory a venv for `target` is built in, beside it. */
export function buildPathFor(target: string): string {
  return siblingTempPath(target, BUILD_TAG);
}

/**
 * Makes the build directory, marked as this run's. Between the mkdir and the
 * marker it is empty, and an empty leftover is known by the pid in its name.
 */
export function makeBuildDir(buildDir: string, target: string): void {
  mkdirSync(buildDir);
  writeOwnerMarker(buildDir, BUILD_TAG, basename(target));
}

/**
 * Renames the finished build to `target`. Over a venv (--clear) the old one
 * is moved aside first and removed last — and checked to be a venv right
 * before it is moved and again once it is aside, so that nothing which became
 * something else while the new one was built is ever deleted.
 */
export function moveIntoPlace(buildDir: string, target: string, replacing: boolean): void {
  if (!replacing) {
    try {
      // Over a missing path, or an empty directory (rename(2) replaces it).
      renameSync(buildDir, target);
    } catch (err) {
      if (isNodeError(err, "ENOTEMPTY") || isNodeError(err, "EEXIST")) {
        throw new VenvctlError(`${target} was filled by another process while the venv was being built`, {
          hint: "nothing of it was changed; run again when it is settled",
        });
      }
      throw err;
    }
    removeOwnerMarker(target);
    return;
  }
  refuseUnlessVenv(target);
  try {
    // Staged in the build: nothing half-written can be left in the user's venv.
    writeOwnerMarker(target, OLD_TAG, basename(target), buildDir);
  } catch (err) {
    if (isNodeError(err, "EEXIST")) {
      throw new VenvctlError(`${target} is being replaced by another venvctl run`, {
        hint: "nothing of it was changed; run again when that one has finished",
      });
    }
    throw err;
  }
  const aside = siblingTempPath(target, OLD_TAG);
  try {
    renameSync(target, aside);
  } catch (err) {
    removeOwnerMarker(target);
    throw err;
  }
  // What was checked is now under a name only this run uses: check it again,
  // since it may have changed between the check and the rename.
  try {
    refuseUnlessVenv(aside, target);
    renameSync(buildDir, target);
  } catch (err) {
    try {
      renameSync(aside, target);
      removeOwnerMarker(target);
    } catch {
      // The target was taken meanwhile: the old env stays aside, marked, and
      // the next run settles it; the error to tell is the first one.
    }
    throw err;
  }
  removeOwnerMarker(target);
  removeMarkedDir(aside);
}

function refuseUnlessVenv(dir: string, shownAs = dir): void {
  const not = whyNotAVenv(dir);
  if (not) {
    throw new VenvctlError(`refusing to clear ${shownAs}: it is no longer a virtual environment (${not.reason})`, {
      hint: "it changed while the new venv was being built; nothing of it was changed or deleted",
    });
  }
}

/**
 * Settles what killed venvctl runs left in `parent`: build directories are
 * removed, an old env moved aside is put back where its target is missing
 * and removed where the target is there again. Only directories whose name
 * and marker both say venvctl set them there, for a process that is gone, are
 * touched; one without a marker only when it holds nothing but the
 * beginnings of one and the pid in its name is gone. A killed swap can also leave its marker inside the target: it is
 * removed from each target settled here, and from `target` when given.
 * Failures are told in debug output only: they must not stop the run that
 * tidies up after another.
 */
export function recoverInterrupted(ctx: Pick<Context, "env" | "stderr">, parent: string, target?: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const targets = new Set(target ? [target] : []);
  for (const name of names) {
    const parsed = parseSiblingTempName(name);
    if (!parsed || (parsed.tag !== BUILD_TAG && parsed.tag !== OLD_TAG)) continue;
    const dir = join(parent, name);
    try {
      if (recoverOne(ctx, dir, parsed.tag, parsed.target, parsed.pid)) targets.add(join(parent, parsed.target));
    } catch (err) {
      debug(ctx, `left ${dir}: ${(err as Error).message}`);
    }
  }
  for (const t of targets) {
    const marker = readOwnerMarker(t);
    if (!marker || ownerIsAlive(marker)) continue;
    try {
      removeOwnerMarker(t);
    } catch (err) {
      debug(ctx, `left the marker in ${t}: ${(err as Error).message}`);
    }
  }
}

/** Settles one sibling; answers whether it was a killed run's (so its target may hold that run's marker). */
function recoverOne(ctx: Pick<Context, "env" | "stderr">, dir: string, tag: string, targetName: string, pid: number): boolean {
  const st = lstatOrUndefined(dir);
  if (!st?.isDirectory()) return false;
  const marker = readOwnerMarker(dir);
  if (!marker) {
    if (holdsOnlyMarkerParts(dir) && !pidIsAlive(pid)) {
      removeMarkedDir(dir);
      debug(ctx, `removed ${dir}, left empty by a venvctl run that was killed`);
    }
    return false;
  }
  if (marker.role !== tag || marker.target !== targetName || ownerIsAlive(marker)) return false;
  const target = join(dirname(dir), targetName);
  if (tag === OLD_TAG && !lstatOrUndefined(target)) {
    renameSync(dir, target);
    debug(ctx, `put ${target} back: a venvctl run replacing it was killed`);
    return true;
  }
  removeMarkedDir(dir);
  debug(ctx, `removed ${dir}, left by a venvctl run that was killed`);
  return true;
}
