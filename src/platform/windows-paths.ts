// Windows path forms venvctl meets: drive paths (C:\x), UNC paths
// (\\server\share\x) and their verbatim forms (\\?\C:\x, \\?\UNC\server\share\x),
// which Windows passes to the file system unparsed (no `/`, `.` or `..`
// handling, no MAX_PATH limit). A verbatim path is written into scripts and
// pyvenv.cfg as the plain form when that names the same file — cmd.exe and
// PATH lookups do not take `\\?\` — as uv does (dunce::simplified); it stays
// verbatim when it would not (past MAX_PATH, a reserved device name such as
// CON or NUL, a component ending in a dot or space, a `/` inside one).
import type { Context } from "../context.js";

/** MAX_PATH: what a plain path may hold, with its terminating NUL. */
const MAX_PATH = 260;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** The plain form of a verbatim Windows path when it names the same file, else the path as given. */
export function simplifyWindowsPath(path: string): string {
  let plain: string;
  if (/^\\\\\?\\[A-Za-z]:\\/.test(path)) plain = path.slice(4);
  else if (/^\\\\\?\\UNC\\[^\\]+\\[^\\]+/i.test(path)) plain = `\\\\${path.slice(8)}`;
  else return path;
  if (plain.length >= MAX_PATH) return path;
  const parts = plain.replace(/^(\\\\[^\\]+\\[^\\]+|[A-Za-z]:)\\?/, "").split("\\").filter(Boolean);
  for (const part of parts) {
    if (part === "." || part === ".." || part.includes("/") || /[. ]$/.test(part) || RESERVED.test(part)) return path;
  }
  return plain;
}

/** A path the user gave, as venvctl writes it on this platform. */
export function userPath(ctx: Pick<Context, "platform">, path: string): string {
  return ctx.platform === "win32" ? simplifyWindowsPath(path) : path;
}
