// A fake pyenv root for the shim tests: versions/<X.Y.Z>/bin holds scripts
// that print their own path and arguments, so a test sees which one a shim
// ran without paying for a Python start. Names are exact versions, so
// discovery reads the version from the name and never probes them.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A script that prints `<its path> <args>` (and exits with $FAKE_EXIT, default 0). */
export function writeFakeExecutable(path: string, label = ""): void {
  writeFileSync(path, `#!/bin/sh\nprintf '%s' "$0${label ? ` ${label}` : ""}"\nfor a in "$@"; do printf ' [%s]' "$a"; done\necho\nexit "\${FAKE_EXIT:-0}"\n`);
  chmodSync(path, 0o755);
}

/** Creates root/versions/<version>/bin/<command> for each entry. */
export function makeFakePyenv(root: string, versions: Record<string, string[]>): void {
  for (const [version, commands] of Object.entries(versions)) {
    const bin = join(root, "versions", version, "bin");
    mkdirSync(bin, { recursive: true });
    for (const cmd of commands) writeFakeExecutable(join(bin, cmd));
  }
}
