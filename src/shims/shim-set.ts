// What a generation of shims holds (rehash.ts builds and swaps it in): a
// shim for every command the discovered interpreters have (shims/shim.sh
// filled in; on Windows `<name>.cmd` from shims/shim.cmd), the index they
// resolve versions with, the range evaluator, the PowerShell functions; and
// how a set on disk is known: its manifest and digest, which files are ours.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { thisProcess, type Context } from "../context.js";
import type { Inventory } from "../interpreters/inventory.js";
import { VERSION_FILE_READ_BYTES } from "../interpreters/version-file.js";
import { isWindows } from "../platform/interpreter-places.js";
import { batchQuotedPath, commandKey, commandOfFile, installCommandDirs, shimFileName } from "../platform/shims.js";
import { shimTemplatesDir } from "../util/assets.js";
import { isNodeError, lstatOrUndefined } from "../util/fs.js";
import { nodeCrypto } from "../util/digest.js";
import { debug } from "../util/log.js";
import { findOnPath, isExecutableFile, pyenvRoot, shimDirs } from "../util/path-search.js";
import { crlf, powershellSingleQuoted } from "../util/sh-quote.js";
import { BUNDLED } from "../util/vendor.js";
import { shQuote } from "./posix-shell.js";
import { isShimName } from "./resolve.js";
import { renderCmdIndex, renderIndexScript } from "./shim-index.js";

export type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr">;

/** The index every shim sources (hidden and not executable: never a command). */
export const INDEX_FILE = ".venvctl-index";
/** The range evaluator a shim sources when a pin holds a range (shims/ranges.sh). */
export const RANGES_FILE = ".venvctl-ranges";
/** Windows: the PowerShell functions the PowerShell set-up dot-sources (shims/shims.ps1). */
export const POWERSHELL_FILE = ".venvctl-shims.ps1";
/** What the last rehash wrote, and a digest of it. */
export const MANIFEST_FILE = ".venvctl-manifest.json";

/** `$VENVCTL_ROOT/shims`. */
export function shimsDir(ctx: Pick<Context, "dirs">): string {
  return join(ctx.dirs.root, "shims");
}

/** The built CLI the shims hand ranges to (its shebang finds node; on Windows the shims name node). */
function cliPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/run.cjs; from the sources: src/shims/rehash.ts.
  return BUNDLED ? join(here, "..", "bin", "venvctl.js") : join(here, "..", "..", "bin", "venvctl.js");
}

function template(name: "shim.sh" | "ranges.sh" | "shim.cmd" | "shims.ps1"): string {
  return readFileSync(join(shimTemplatesDir(), name), "utf8");
}

/** Fills `{{ NAME }}` placeholders; every one must be given. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{ ([A-Z_]+) \}\}/g, (m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`shim template: no value for ${m}`);
    return v;
  });
}

/** A standard tool for the shims, by absolute path: the system's own first (a shim's PATH may hold anything). */
function systemTool(ctx: Ctx, name: string): string {
  return [`/usr/bin/${name}`, `/bin/${name}`].find(isExecutableFile) ?? findOnPath(ctx, name) ?? name;
}

/** Where the shims keep their stamps of version files known to be short (see _vc_file in shims/shim.sh). */
export function versionFileStamps(ctx: Ctx): string {
  return join(ctx.dirs.cache, "version-files");
}

/**
 * Every command the discovered interpreters have, with the versions that
 * have it: the files of each install's command directories (platform/shims.ts:
 * `bin/` on POSIX; the install and its `Scripts\` on Windows, `pip.exe` being
 * the command `pip`, names compared without case), and the own names of an
 * interpreter found on PATH.
 */
function commandProviders(ctx: Ctx, index: Inventory): Map<string, string[]> {
  const providers = new Map<string, string[]>();
  const spelled = new Map<string, string>();
  const add = (cmd: string, name: string) => {
    const key = commandKey(ctx, cmd);
    const shown = spelled.get(key) ?? cmd;
    spelled.set(key, shown);
    const list = providers.get(shown) ?? [];
    if (!list.includes(name)) list.push(name);
    providers.set(shown, list);
  };
  for (const t of index.targets) {
    if (t.bin !== undefined) {
      for (const dir of installCommandDirs(ctx, t.bin)) {
        let names: string[] = [];
        try {
          names = readdirSync(dir);
        } catch (err) {
          if (!isNodeError(err, "ENOENT")) debug(ctx, `cannot list ${dir}: ${(err as Error).message}`);
        }
        for (const n of names) {
          const cmd = commandOfFile(ctx, n);
          if (cmd !== undefined && isShimName(cmd) && isExecutableFile(join(dir, n))) add(cmd, t.name);
        }
      }
    } else {
      for (const n of t.names ?? []) add(n, t.name);
    }
  }
  return providers;
}

/** Every shim's text, by file name, the index and what the shims source. */
export function plan(ctx: Ctx, index: Inventory): { files: Map<string, string>; commands: string[] } {
  const providers = commandProviders(ctx, index);
  if (isWindows(ctx)) return planWindows(ctx, index, providers);
  const dir = shimsDir(ctx);
  const common = {
    INDEX: shQuote(join(dir, INDEX_FILE)),
    RANGES: shQuote(join(dir, RANGES_FILE)),
    GLOBALS: [join(ctx.dirs.root, "version"), join(pyenvRoot(ctx), "version")].map(shQuote).join(" "),
    SHIM_DIRS: shimDirs(ctx).map(shQuote).join(" "),
    WORD_SEPARATORS: "' \t\r'",
    BOM: "'\uFEFF'",
    READ_BYTES: String(VERSION_FILE_READ_BYTES),
    HEAD: shQuote(systemTool(ctx, "head")),
    WC: shQuote(systemTool(ctx, "wc")),
    STAMPS: shQuote(versionFileStamps(ctx)),
    VENVCTL: shQuote(cliPath()),
  };
  const shim = template("shim.sh");
  const files = new Map<string, string>();
  const commands = [...providers.keys()].sort();
  for (const cmd of commands) {
    files.set(cmd, fill(shim, { ...common, NAME: cmd, COMMAND: shQuote(cmd), PROVIDERS: shQuote(providers.get(cmd)!.join(", ")) }));
  }
  files.set(INDEX_FILE, renderIndexScript(index));
  files.set(RANGES_FILE, template("ranges.sh"));
  return { files, commands };
}

/**
 * Windows: `<name>.cmd` per command (shims/shim.cmd, CRLF: cmd mis-reads
 * labels in LF files), the index as cmd reads it, and the PowerShell
 * functions (shims/shims.ps1; why functions, not .ps1 files, is said there).
 */
function planWindows(ctx: Ctx, index: Inventory, providers: Map<string, string[]>): { files: Map<string, string>; commands: string[] } {
  const dir = shimsDir(ctx);
  const quoted = (paths: string[]) => paths.map((p) => `"${batchQuotedPath(p)}"`).join(" ");
  const common = {
    INDEX: batchQuotedPath(join(dir, INDEX_FILE)),
    GLOBALS: quoted([join(ctx.dirs.root, "version"), join(pyenvRoot(ctx), "version")]),
    SHIM_DIRS: quoted(shimDirs(ctx)),
    MANIFEST: MANIFEST_FILE,
    READ_BYTES: String(VERSION_FILE_READ_BYTES),
    NODE: batchQuotedPath(thisProcess.execPath),
    VENVCTL: batchQuotedPath(cliPath()),
  };
  const shim = template("shim.cmd");
  const files = new Map<string, string>();
  const commands = [...providers.keys()].sort((a, b) => commandKey(ctx, a).localeCompare(commandKey(ctx, b)));
  for (const cmd of commands) {
    files.set(shimFileName(ctx, cmd), crlf(fill(shim, { ...common, NAME: cmd, COMMAND: cmd })));
  }
  files.set(INDEX_FILE, renderCmdIndex(index, (bin) => installCommandDirs(ctx, bin)));
  files.set(POWERSHELL_FILE, crlf(fill(template("shims.ps1"), {
    SHIMS_DIR: powershellSingleQuoted(dir),
    NODE: powershellSingleQuoted(thisProcess.execPath),
    VENVCTL: powershellSingleQuoted(cliPath()),
    COMMANDS: commands.map((c) => `'${c}'`).join(", "),
  })));
  return { files, commands };
}

/** Files of the set that are sourced, never run. */
export const SOURCED = new Set([INDEX_FILE, RANGES_FILE, POWERSHELL_FILE]);
/** The first lines of every shim: how a file is known to be venvctl's (sh, cmd). */
const SHIM_MARKERS = ["#!/bin/sh\n# venvctl shim for ", "@echo off\r\nrem venvctl shim for "];
export interface Manifest {
  format: 1;
  digest: string;
  files: string[];
}

export function digestOf(files: Map<string, string>): string {
  const h = nodeCrypto().createHash("sha256");
  for (const [name, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(`${name}\0${text}\0`);
  return h.digest("hex");
}

export function readManifest(dir: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8")) as Manifest;
    return m.format === 1 && Array.isArray(m.files) ? m : undefined;
  } catch {
    return undefined;
  }
}

function startsWithMarker(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buf = Buffer.alloc(Math.max(...SHIM_MARKERS.map((m) => m.length)));
    const head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString("utf8");
    return SHIM_MARKERS.some((m) => head.startsWith(m));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Whether venvctl wrote this entry of a shims directory: its index and
 * manifest, and files that start as every shim does (a shim someone replaced
 * with their own script is theirs now, whatever the manifest says).
 */
export function isOurs(dir: string, name: string): boolean {
  if (SOURCED.has(name) || name === MANIFEST_FILE) return true;
  const st = lstatOrUndefined(join(dir, name));
  return st?.isFile() === true && startsWithMarker(join(dir, name));
}

/** Whether the set on disk is exactly this one. */
export function upToDate(dir: string, digest: string, files: Map<string, string>): boolean {
  const m = readManifest(dir);
  if (!m || m.digest !== digest) return false;
  for (const name of files.keys()) {
    try {
      statSync(join(dir, name));
    } catch {
      return false;
    }
  }
  return true;
}
