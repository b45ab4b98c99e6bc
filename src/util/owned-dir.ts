// Directories venvctl sets beside a target while it works (a build, an old
// env moved aside): named by siblingTempPath and holding a marker file that
// names the process working on them. A run that was killed leaves them
// behind; a later run removes or restores them only when both the name and
// the marker say they are venvctl's and the process that made them is gone.
import { linkSync, lstatSync, readFileSync, readdirSync, rmdirSync, rmSync, unlinkSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { isNodeError, lstatOrUndefined, writeNewFile } from "./fs.js";
import { uniqueSuffix } from "./hash.js";
import { thisProcess } from "../context.js";

/** The marker's file name inside an owned directory. */
export const OWNER_MARKER = ".venvctl-owner";

/** What the marker says: which process set the directory there, and for what. */
export interface OwnerMarker {
  /** The siblingTempPath tag of the directory ("build", "old"). */
  role: string;
  /** The base name of the target it stands beside. */
  target: string;
  pid: number;
  host: string;
  /** Linux's boot id: a pid from before a reboot names nobody. */
  boot: string | undefined;
  started: string;
}

function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes this process's marker into `dir`. It is written whole in
 * `stagingDir` (a directory of this run's), then hard-linked in: link(2) is
 * atomic and fails with EEXIST when the name is taken, so a marker is never
 * seen half-written, and two runs cannot both mark one directory. Where the
 * file system has no hard links it is written in place.
 */
export function writeOwnerMarker(dir: string, role: string, target: string, stagingDir = dir): void {
  const marker: OwnerMarker = { role, target, pid: thisProcess.pid, host: hostname(), boot: bootId(), started: new Date().toISOString() };
  const text = JSON.stringify(marker) + "\n";
  const staged = join(stagingDir, `${OWNER_MARKER}-${uniqueSuffix()}`);
  writeNewFile(staged, text);
  try {
    linkSync(staged, join(dir, OWNER_MARKER));
  } catch (err) {
    if (!isNodeError(err, "EPERM") && !isNodeError(err, "ENOTSUP") && !isNodeError(err, "EXDEV")) throw err;
    writeNewFile(join(dir, OWNER_MARKER), text);
  } finally {
    rmSync(staged, { force: true });
  }
}

/**
 * Whether `dir` holds nothing but (perhaps) the beginnings of a marker: what
 * a run killed between making the directory and marking it leaves.
 */
export function holdsOnlyMarkerParts(dir: string): boolean {
  return readdirSync(dir).every((name) => name.startsWith(OWNER_MARKER));
}

/** The marker in `dir`, or undefined when there is none or it is not one venvctl wrote. */
export function readOwnerMarker(dir: string): OwnerMarker | undefined {
  const path = join(dir, OWNER_MARKER);
  try {
    const st = lstatSync(path);
    if (!st.isFile() || st.size > 4096) return undefined;
    const m = JSON.parse(readFileSync(path, "utf8")) as Partial<OwnerMarker>;
    if (typeof m.role !== "string" || typeof m.target !== "string" || !Number.isSafeInteger(m.pid) || typeof m.host !== "string") return undefined;
    return { role: m.role, target: m.target, pid: m.pid!, host: m.host, boot: typeof m.boot === "string" ? m.boot : undefined, started: String(m.started) };
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid runs on this machine (EPERM: it does, as another user). */
export function pidIsAlive(pid: number): boolean {
  return thisProcess.isAlive(pid);
}

/**
 * Whether the process that wrote the marker may still be working. A marker
 * from another host is taken as live: its pid means nothing here. A reused
 * pid also counts as live, which only leaves a leftover longer.
 */
export function ownerIsAlive(marker: OwnerMarker): boolean {
  if (marker.host !== hostname()) return true;
  const boot = bootId();
  if (marker.boot && boot && marker.boot !== boot) return false;
  return pidIsAlive(marker.pid);
}

/** Removes the marker from a directory (the target, once a swap is over); a missing one is fine. */
export function removeOwnerMarker(dir: string): void {
  try {
    unlinkSync(join(dir, OWNER_MARKER));
  } catch (err) {
    if (!isNodeError(err, "ENOENT")) throw err;
  }
}

/**
 * Removes an owned directory with its marker last, so a run killed while
 * removing it leaves a directory that the next run still recognises.
 */
export function removeMarkedDir(dir: string): void {
  if (!lstatOrUndefined(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name !== OWNER_MARKER) rmSync(join(dir, name), { recursive: true, force: true, maxRetries: 3 });
  }
  removeOwnerMarker(dir);
  try {
    rmdirSync(dir);
  } catch (err) {
    if (!isNodeError(err, "ENOENT")) throw err;
  }
}
