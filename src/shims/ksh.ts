// `venvctl init ksh`: the POSIX-family set-up (see posix-shell.ts).
import { posixShell } from "./posix-shell.js";

export const ksh = posixShell("ksh");
