// venvctl's own directories: the root (pins, shims, managed interpreters) and
// the cache (probes, unpacked wheels; deletable at any time).
import { join } from "node:path";

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
