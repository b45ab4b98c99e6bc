// Reading the Windows registry through `reg query KEY /s`, the program every
// Windows (and wine) has: Node has no registry API, and a native addon would
// be a build step per platform. One process per key (util/reg-query.ts runs
// it); its text is parsed here.
// What reg prints (taken from wine's reg, an implementation of the same
// tool, and Windows' own): CRLF lines; a blank line, then each key's full
// name at the start of a line (`HKEY_CURRENT_USER\Software\Python\Some
// Company\3.12`: names may hold spaces), then one line per value,
// `    NAME    TYPE    DATA`, four spaces apart (DATA may be empty, NAME may
// hold spaces); the unnamed default value is shown as `(Default)`, a word
// Windows translates, so any name in parentheses is taken for it. A key that
// does not exist is exit code 1 and a message on stderr: nothing there.
// reg writes to a pipe in the console's code page, so characters outside it
// arrive as `?` (a path holding one is then not found, and skipped).
// Pure: util/reg-query.ts runs reg (platform/ imports nothing of util/).
import { join } from "node:path";
import type { Context } from "../context.js";

/** One value of a key. `name` is "" for the default (unnamed) value. */
export interface RegValue {
  name: string;
  /** REG_SZ, REG_EXPAND_SZ, REG_DWORD, … */
  type: string;
  /** As reg prints it: strings as they are (REG_EXPAND_SZ not expanded), numbers as 0x…. */
  data: string;
}

/** One key of the output, with its values. */
export interface RegKey {
  /** The full name as reg prints it. */
  path: string;
  /** The names below the queried key (`["PythonCore", "3.12", "InstallPath"]`); [] for the key itself. */
  below: string[];
  values: RegValue[];
}

const VALUE_LINE = /^ {4}(\S(?:.*?\S)?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/;

/**
 * Parses `reg query ROOT /s` output. Keys outside ROOT (compared without
 * case, as the registry compares names) and lines of any other shape are
 * left out; nothing here throws.
 */
export function parseRegQuery(text: string, root: string): RegKey[] {
  const keys: RegKey[] = [];
  const rootLower = root.replace(/\\+$/, "").toLowerCase();
  let current: RegKey | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^HKEY_/i.test(line)) {
      const path = line.replace(/[\\\s]+$/, "");
      const lower = path.toLowerCase();
      if (lower !== rootLower && !lower.startsWith(`${rootLower}\\`)) {
        current = undefined;
        continue;
      }
      current = { path, below: path.slice(rootLower.length).split("\\").filter(Boolean), values: [] };
      keys.push(current);
      continue;
    }
    const m = current ? VALUE_LINE.exec(line) : null;
    if (!m || !current) continue;
    const name = /^\(.*\)$/.test(m[1]!) ? "" : m[1]!;
    current.values.push({ name, type: m[2]!, data: m[3] ?? "" });
  }
  return keys;
}

/** reg.exe in the system directory, never one found on PATH or in the working directory. */
export function regExe(ctx: Pick<Context, "env">): string {
  const root = envValue(ctx.env, "SystemRoot") || envValue(ctx.env, "windir") || "C:\\Windows";
  return join(root, "System32", "reg.exe");
}

/** A variable as Windows looks it up: without case. */
export function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  if (env[name] !== undefined) return env[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(env)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** A REG_EXPAND_SZ string with its `%VAR%`s expanded; unknown ones stay as written, as ExpandEnvironmentStrings leaves them. */
export function expandEnvironmentStrings(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/%([^%]+)%/g, (whole, name: string) => envValue(env, name) ?? whole);
}

/** reg's arguments for every key below `key` (`/reg:64`: the 64-bit view, even from a 32-bit process). */
export function regQueryArgs(key: string, view64: boolean): string[] {
  return ["query", key, "/s", ...(view64 ? ["/reg:64"] : [])];
}
