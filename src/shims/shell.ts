// The shells `venvctl init` supports, one adapter module per shell (fnm's
// layout), loaded on demand; and which one the user runs.
import { basename } from "node:path";

import type { Shell } from "./shell-adapter.js";
export type { Shell } from "./shell-adapter.js";

export const SHELL_NAMES = ["bash", "zsh", "fish", "ksh", "sh", "cmd", "powershell", "pwsh"] as const;
export type ShellName = (typeof SHELL_NAMES)[number];

export function isShellName(name: string): name is ShellName {
  return (SHELL_NAMES as readonly string[]).includes(name);
}

/** The adapter for a supported shell. */
export async function loadShell(name: ShellName): Promise<Shell> {
  switch (name) {
    case "bash": return (await import("./bash.js")).bash;
    case "zsh": return (await import("./zsh.js")).zsh;
    case "fish": return (await import("./fish.js")).fish;
    case "ksh": return (await import("./ksh.js")).ksh;
    case "sh": return (await import("./sh.js")).sh;
    case "cmd": return (await import("./cmd.js")).cmd;
    case "powershell": return (await import("./powershell.js")).powershell;
    case "pwsh": return (await import("./powershell.js")).pwsh;
  }
}

/**
 * The shell a path such as $SHELL names: bash, zsh, fish; ksh93 and mksh are
 * ksh; dash, ash and sh are sh. Undefined for one venvctl has no adapter for.
 */
export function shellFromPath(path: string | undefined): ShellName | undefined {
  if (!path) return undefined;
  const name = basename(path).replace(/^-/, "");
  if (isShellName(name)) return name;
  if (/^(ksh93|mksh|pdksh|oksh|ksh\d*)$/.test(name)) return "ksh";
  if (/^(dash|ash|posh|busybox)$/.test(name)) return "sh";
  if (/^bash\d/.test(name)) return "bash";
  if (/^(cmd|powershell|pwsh)(\.exe)?$/i.test(name)) return name.toLowerCase().replace(/\.exe$/, "") as ShellName;
  return undefined;
}
