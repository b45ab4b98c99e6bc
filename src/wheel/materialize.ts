// Putting a cached file into an env: clone (copy-on-write), hardlink or copy.
// `auto` takes the first that works, in that order, as uv does; an explicit
// mode the file system cannot do falls back to copying, with one warning.
import { constants, copyFileSync, linkSync, lstatSync, statSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "../errors.js";
import { isNodeError } from "../util/fs.js";

/** How seeded files get from the cache into the env (`--link-mode`). */
export type LinkMode = "auto" | "clone" | "hardlink" | "copy";
export type EffectiveLinkMode = Exclude<LinkMode, "auto">;

export const LINK_MODES: readonly LinkMode[] = ["auto", "clone", "hardlink", "copy"];

/**
 * The link mode: `--link-mode` when given, else `VENVCTL_LINK_MODE`, else
 * auto. A value that is not a mode is a usage error naming where it came from.
 */
export function chooseLinkMode(flag: string | undefined, env: Record<string, string | undefined>): LinkMode {
  const [value, from] = flag !== undefined ? [flag, "--link-mode"] : [env.VENVCTL_LINK_MODE || undefined, "VENVCTL_LINK_MODE"];
  if (value === undefined) return "auto";
  if ((LINK_MODES as readonly string[]).includes(value)) return value as LinkMode;
  throw new UsageError(`${from} ${JSON.stringify(value)} is not a link mode`, { hint: `use one of ${LINK_MODES.join(", ")}` });
}

// What a file system says when it cannot clone (ext4: ENOTSUP) or link
// (across devices: EXDEV; some FUSE and network file systems: EPERM, ENOTSUP).
const CANNOT = new Set(["ENOTSUP", "EOPNOTSUPP", "EXDEV", "EINVAL", "ENOSYS", "ENOTTY", "EPERM", "EMLINK", "EACCES"]);

function cannot(err: unknown): boolean {
  return isNodeError(err) && CANNOT.has(err.code!);
}

function placeOnce(mode: EffectiveLinkMode, src: string, dst: string): void {
  if (mode === "hardlink") linkSync(src, dst);
  else copyFileSync(src, dst, mode === "clone" ? constants.COPYFILE_FICLONE_FORCE | constants.COPYFILE_EXCL : constants.COPYFILE_EXCL);
}

// What `auto` settled on, by the pair of file systems (device ids) a file
// went from and to: a process installing many wheels from one cache into
// one env probes once. A failed clone costs a file created and removed
// again (copy_file_range and FICLONE open the target first), per wheel.
const settledAuto = new Map<string, EffectiveLinkMode>();

/** Places files with one link mode, settled on the first file. */
export class FilePlacer {
  private mode: EffectiveLinkMode | undefined;
  /** The mode was not asked for but learnt from an earlier placer (auto): one that fails is probed again, without a warning. */
  private learnt = false;
  readonly warnings: string[] = [];

  constructor(requested: LinkMode) {
    if (requested !== "auto") this.mode = requested;
  }

  /** The mode in use (after the first file). */
  get effective(): EffectiveLinkMode | undefined {
    return this.mode;
  }

  /**
   * Places `src` at `dst`; an existing `dst` is replaced, as pip replaces
   * files it installs: deleted, or handed to `displace` to move it aside.
   */
  place(src: string, dst: string, displace?: (path: string) => void): void {
    try {
      this.placeSettled(src, dst);
    } catch (err) {
      if (!isNodeError(err, "EEXIST")) throw err;
      if (displace) displace(dst);
      else unlinkSync(dst);
      this.placeSettled(src, dst);
    }
  }

  private placeSettled(src: string, dst: string): void {
    if (this.mode === "copy") return placeOnce("copy", src, dst);
    if (this.mode === undefined) {
      const key = devicePair(src, dst);
      const known = key === undefined ? undefined : settledAuto.get(key);
      if (known) {
        this.mode = known;
        this.learnt = true;
      } else {
        this.mode = probe(src, dst);
        if (key !== undefined) settledAuto.set(key, this.mode);
        return;
      }
    }
    try {
      placeOnce(this.mode, src, dst);
    } catch (err) {
      if (!cannot(err)) throw err;
      if (this.learnt) {
        // Another pair of directories on the same devices behaves otherwise (a bind mount, a quota): probe here.
        this.learnt = false;
        this.mode = probe(src, dst);
        return;
      }
      const code = (err as NodeJS.ErrnoException).code;
      this.warnings.push(
        this.mode === "clone"
          ? `--link-mode clone: this file system cannot clone files (${code}); copying instead`
          : `--link-mode hardlink: cannot hardlink from the cache into the environment (${code}); copying instead`,
      );
      this.mode = "copy";
      placeOnce("copy", src, dst);
    }
  }
}

/** auto: clone, else hardlink, else copy; answers the mode that placed the file. */
function probe(src: string, dst: string): EffectiveLinkMode {
  for (const mode of ["clone", "hardlink"] as const) {
    try {
      placeOnce(mode, src, dst);
      return mode;
    } catch (err) {
      if (!cannot(err)) throw err;
    }
  }
  placeOnce("copy", src, dst);
  return "copy";
}

/** "srcdev:dstdev" for a file and the directory a copy of it goes into; undefined when either cannot be read (the probe then says why). */
function devicePair(src: string, dst: string): string | undefined {
  try {
    return `${lstatSync(src).dev}:${statSync(dirname(dst)).dev}`;
  } catch {
    return undefined;
  }
}
