// venvctl's own directories: the root (pins, shims, managed interpreters) and
// the cache (probes, unpacked wheels; deletable at any time).
import { statfsSync } from "node:fs";
import { dirname, join } from "node:path";
import { VenvctlError } from "../errors.js";

export interface Dirs {
  home: string;
  /** `$VENVCTL_ROOT`, default `~/.venvctl`. */
  root: string;
  /** `$VENVCTL_CACHE_DIR`, else `$XDG_CACHE_HOME/venvctl`, else `~/.cache/venvctl`. */
  cache: string;
}

/** Resolves the directories from an environment and a home directory. */
export function resolveDirs(env: Record<string, string | undefined>, home: string): Dirs {
  const root = env.VENVCTL_ROOT || join(home, ".venvctl");
  const cache =
    env.VENVCTL_CACHE_DIR ||
    (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, "venvctl") : join(home, ".cache", "venvctl"));
  return { home, root, cache };
}

// statfs(2) f_type of the kernel's pseudo file systems, where only the kernel
// makes entries. On /proc, Node's recursive mkdir retries forever; on the
// others mkdir fails or makes something that is not a directory of files.
// (devtmpfs, /dev, answers as tmpfs and is left to mkdir's own error; a
// tmpfs such as /dev/shm is a real place to keep files.)
const PSEUDO_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, "proc"], [0x62656572, "sysfs"], [0x27e0eb, "cgroup"], [0x63677270, "cgroup2"],
  [0x1cd1, "devpts"], [0x64626720, "debugfs"], [0x74726163, "tracefs"], [0x73636673, "securityfs"],
  [0x6165676c, "pstore"], [0xcafe4a11, "bpf"], [0x62656570, "configfs"], [0xde5e81e4, "efivarfs"],
  [0x42494e4d, "binfmt_misc"], [0xf97cff8c, "selinuxfs"], [0x65735543, "fusectl"], [0x6e736673, "nsfs"],
]);

/** The pseudo file system `path` (or its nearest existing ancestor) is on, if it is on one. */
export function pseudoFileSystemOf(path: string): string | undefined {
  for (let p = path; ; p = dirname(p)) {
    try {
      return PSEUDO_FILE_SYSTEMS.get(Number(statfsSync(p).type));
    } catch (err) {
      // Not there yet: its parent says where it would be. Anything else
      // (a file in the way, no permission) is left for the first write to report.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT" || dirname(p) === p) return undefined;
    }
  }
}

/**
 * Refuses a root or cache directory on a pseudo file system (/proc, /sys):
 * nothing venvctl keeps can live there, and Node's mkdir would never return.
 */
export function refusePseudoFileSystems(dirs: Dirs, env: Record<string, string | undefined>): void {
  const which: Array<[string, string, string]> = [
    ["root", dirs.root, env.VENVCTL_ROOT ? "VENVCTL_ROOT" : "HOME"],
    ["cache", dirs.cache, env.VENVCTL_CACHE_DIR ? "VENVCTL_CACHE_DIR" : env.XDG_CACHE_HOME ? "XDG_CACHE_HOME" : "HOME"],
  ];
  for (const [what, dir, variable] of which) {
    const fs = pseudoFileSystemOf(dir);
    if (fs === undefined) continue;
    throw new VenvctlError(`venvctl's ${what} directory ${dir} (from ${variable}) is on the ${fs} pseudo file system, which holds only what the kernel puts there`, {
      hint: `set ${variable === "HOME" ? (what === "root" ? "VENVCTL_ROOT" : "VENVCTL_CACHE_DIR") : variable} to a directory on a disk`,
    });
  }
}
