// `venvctl init zsh`: the POSIX-family set-up (see posix-shell.ts).
import { posixShell } from "./posix-shell.js";

export const zsh = posixShell("zsh");
