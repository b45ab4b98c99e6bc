// Putting a cached file into an env: clone (copy-on-write), hardlink or copy.
// `auto` takes the first that works, in that order, as uv does; an explicit
// mode the file system cannot do falls back to copying, with one warning.
import { constants, copyFileSync, linkSync, unlinkSync, writeFileSync } from "node:fs";
import { isNodeError } from "../util/fs.js";

/** How seeded files get from the cache into the env (`--link-mode`). */
export type LinkMode = "auto" | "clone" | "hardlink" | "copy";
export type EffectiveLinkMode = Exclude<LinkMode, "auto">;

// What a file system says when it cannot clone (ext4: ENOTSUP) or link
// (across devices: EXDEV; some FUSE and network file systems: EPERM, ENOTSUP).
const CANNOT = new Set(["ENOTSUP", "EOPNOTSUPP", "EXDEV", "EINVAL", "ENOSYS", "ENOTTY", "EPERM", "EMLINK", "EACCES"]);

function cannot(err: unknown): boolean {
  return isNodeError(err) && CANNOT.has(err.code!);
}

/**
 * The bytes of `src` as they were checked, and the mode to give them: a copy
 * is written from these rather than read again from `src`, which may have
 * changed since (see cache.ts).
 */
export interface CheckedContent {
  bytes: Uint8Array;
  mode: number;
}

function placeOnce(mode: EffectiveLinkMode, src: string, dst: string, checked: CheckedContent | undefined): void {
  if (mode === "hardlink") linkSync(src, dst);
  else if (mode === "copy" && checked) writeFileSync(dst, checked.bytes, { flag: "wx", mode: checked.mode });
  else copyFileSync(src, dst, mode === "clone" ? constants.COPYFILE_FICLONE_FORCE | constants.COPYFILE_EXCL : constants.COPYFILE_EXCL);
}

/** Places files with one link mode, settled on the first file. */
export class FilePlacer {
  private mode: EffectiveLinkMode | undefined;
  readonly warnings: string[] = [];

  constructor(requested: LinkMode) {
    if (requested !== "auto") this.mode = requested;
  }

  /** The mode in use (after the first file). */
  get effective(): EffectiveLinkMode | undefined {
    return this.mode;
  }

  /** Places `src` at `dst`; an existing `dst` is replaced, as pip replaces files it installs. */
  place(src: string, dst: string, checked?: CheckedContent): void {
    try {
      this.placeSettled(src, dst, checked);
    } catch (err) {
      if (!isNodeError(err, "EEXIST")) throw err;
      unlinkSync(dst);
      this.placeSettled(src, dst, checked);
    }
  }

  private placeSettled(src: string, dst: string, checked: CheckedContent | undefined): void {
    if (this.mode === "copy") return placeOnce("copy", src, dst, checked);
    if (this.mode === undefined) {
      // auto: clone, else hardlink, else copy.
      for (const mode of ["clone", "hardlink"] as const) {
        try {
          placeOnce(mode, src, dst, checked);
          this.mode = mode;
          return;
        } catch (err) {
          if (!cannot(err)) throw err;
        }
      }
      this.mode = "copy";
      return placeOnce("copy", src, dst, checked);
    }
    try {
      placeOnce(this.mode, src, dst, checked);
    } catch (err) {
      if (!cannot(err)) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      this.warnings.push(
        this.mode === "clone"
          ? `--link-mode clone: this file system cannot clone files (${code}); copying instead`
          : `--link-mode hardlink: cannot hardlink from the cache into the environment (${code}); copying instead`,
      );
      this.mode = "copy";
      placeOnce("copy", src, dst, checked);
    }
  }
}
