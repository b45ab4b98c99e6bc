// The journal of a transaction (transaction.ts): every change an install
// or removal makes, in memory and in a stash directory inside the env
// (`.venvctl-stash-*`, its `journal` file written before each change), so
// that it can be rolled back newest first, or replayed by the next run after
// a SIGKILL (recoverTransactions); and the env's lock (`.venvctl-lock`: one
// change at a time), held by a live process or taken over from a dead one.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeSync } from "node:fs";
import { basename, join } from "node:path";
import { VenvctlError } from "../errors.js";
import { isNodeError, lstatOrUndefined, parseSiblingTempName, removeOwnedTree, siblingTempPath } from "../util/fs.js";
import { uniqueSuffix } from "../util/hash.js";
import {
  holdsOnlyMarkerParts, ownerIsAlive, pidIsAlive, readOwnerMarker, removeMarkedDir, writeOwnerMarker,
} from "../util/owned-dir.js";
import type { InstallJournal } from "./install-types.js";

type Event = { op: "made"; path: string } | { op: "wrote"; path: string } | { op: "moved"; path: string; to: string };

const STASH_PREFIX = ".venvctl-stash-";
const STASH_ROLE = "stash";
const LOCK_NAME = ".venvctl-lock";

/** The changes made so far, each undoable; kept in memory and in the stash's journal file. */
export class Journal implements InstallJournal {
  readonly events: Event[] = [];
  private stash: string | undefined;
  private fd: number | undefined;
  private n = 0;

  constructor(private readonly envDir: string) {}

  private log(e: Event): void {
    this.events.push(e);
    if (this.fd !== undefined) writeSync(this.fd, JSON.stringify(e) + "\n");
  }

  private stashDir(): string {
    if (this.stash) return this.stash;
    const dir = join(this.envDir, `${STASH_PREFIX}${uniqueSuffix()}`);
    mkdirSync(dir);
    this.stash = dir;
    writeOwnerMarker(dir, STASH_ROLE, basename(this.envDir));
    this.fd = openSync(join(dir, "journal"), "wx");
    return dir;
  }

  madeDir(path: string): void {
    this.log({ op: "made", path });
  }

  wrote(path: string): void {
    this.log({ op: "wrote", path });
  }

  displace(path: string): void {
    const to = join(this.stashDir(), String(this.n++));
    // Journaled first: a kill between the two leaves a line whose rename
    // never happened, which the replay skips (nothing at `to`).
    this.log({ op: "moved", path, to });
    renameSync(path, to);
  }

  /** Undoes every change, newest first; answers what could not be undone. */
  rollback(): string[] {
    const problems = undoEvents(this.events);
    this.events.length = 0;
    this.close();
    if (this.stash && problems.length === 0) removeOwnedTree(this.stash);
    return problems;
  }

  /** Where the old files are kept until the change is over (undefined: nothing was moved yet). */
  get stashPath(): string | undefined {
    return this.stash;
  }

  /**
   * Keeps the changes: the journal goes first (a stash without one is
   * replayed as nothing, so a kill from here on cannot undo the committed
   * change), then the stash.
   */
  commit(): void {
    this.close();
    if (!this.stash) return;
    unlinkSync(join(this.stash, "journal"));
    removeOwnedTree(this.stash);
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Undoes journaled events, newest first. */
function undoEvents(events: readonly Event[]): string[] {
  const problems: string[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    try {
      if (e.op === "wrote") unlinkSync(e.path);
      else if (e.op === "made") rmdirSync(e.path);
      else if (lstatOrUndefined(e.to)) renameSync(e.to, e.path);
    } catch (err) {
      if (isNodeError(err, "ENOENT")) continue;
      problems.push(`${e.op === "moved" ? `${e.to} → ${e.path}` : e.path}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/**
 * Settles transactions a killed venvctl left in `envDir`: each stash whose
 * owner is gone is replayed backwards from its journal (the env returns to
 * what it was before that run) and removed. Answers how many were settled.
 */
export function recoverTransactions(envDir: string, debug: (m: string) => void = () => {}): number {
  let settled = 0;
  let names: string[];
  try {
    names = readdirSync(envDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    // A lock being made beside its place by a run that was killed.
    const sibling = parseSiblingTempName(name);
    if (sibling && sibling.target === LOCK_NAME && !pidIsAlive(sibling.pid)) {
      removeMarkedDir(join(envDir, name));
      continue;
    }
    if (!name.startsWith(STASH_PREFIX)) continue;
    const dir = join(envDir, name);
    const marker = readOwnerMarker(dir);
    if (!marker) {
      // Killed between making it and marking it: empty, and named by its pid.
      const pid = Number(/^(\d+)-/.exec(name.slice(STASH_PREFIX.length))?.[1]);
      if (pid && !pidIsAlive(pid) && holdsOnlyMarkerParts(dir)) removeOwnedTree(dir);
      continue;
    }
    if (marker.role !== STASH_ROLE || ownerIsAlive(marker)) continue;
    let events: Event[] = [];
    try {
      events = readFileSync(join(dir, "journal"), "utf8").split("\n").filter(Boolean).flatMap((l) => {
        try {
          return [JSON.parse(l) as Event];
        } catch {
          return []; // the last line, cut by the kill
        }
      });
    } catch {
      events = [];
    }
    const problems = undoEvents(events);
    if (problems.length) {
      debug(`could not fully undo the interrupted change in ${dir}: ${problems.join("; ")}`);
      continue;
    }
    removeOwnedTree(dir);
    debug(`undid an interrupted change to ${envDir} (pid ${marker.pid})`);
    settled++;
  }
  return settled;
}

/**
 * Takes the env's lock: a directory holding an owner marker, made whole
 * beside and renamed into place (rename(2) will not replace a non-empty
 * directory, so one run wins). A lock whose owner is gone is taken over.
 * Answers the release (idempotent).
 */
export function lockEnv(envDir: string): () => void {
  const lock = join(envDir, LOCK_NAME);
  for (let attempt = 0; ; attempt++) {
    const tmp = siblingTempPath(lock, "lock");
    mkdirSync(tmp);
    try {
      writeOwnerMarker(tmp, "lock", basename(envDir));
      renameSync(tmp, lock);
      let held = true;
      return () => {
        if (held) removeMarkedDir(lock);
        held = false;
      };
    } catch (err) {
      removeMarkedDir(tmp);
      if (!isNodeError(err, "ENOTEMPTY") && !isNodeError(err, "EEXIST")) throw err;
    }
    const owner = readOwnerMarker(lock);
    if (attempt > 0 || (owner && ownerIsAlive(owner))) {
      throw new VenvctlError(`another venvctl${owner ? ` (pid ${owner.pid})` : ""} is changing the packages of ${envDir}`, {
        hint: `wait for it to finish and run again (if none runs, remove ${lock})`,
      });
    }
    removeMarkedDir(lock); // its owner is gone: a killed run
  }
}
