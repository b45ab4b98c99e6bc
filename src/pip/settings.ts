// pip's own settings that venvctl does not see on its command line: PIP_*
// environment variables and pip.conf files (pip's configuration.py). The
// no-op answer may be given only when none of them could make pip change
// something, or act elsewhere, for requirements that are all satisfied —
// `upgrade = true` in pip.conf, PIP_TARGET, PIP_CONSTRAINT, PIP_USER… — so
// anything not known to be harmless sends the install to pip.
import { existsSync, readFileSync } from "node:fs";
import { join, win32 } from "node:path";
import type { Context } from "../context.js";

/**
 * Settings that cannot turn "already satisfied" into a change: where pip
 * looks for distributions (it does not look when the installed ones
 * satisfy), how it builds and downloads, and how it talks.
 */
const HARMLESS = new Set([
  "index-url", "extra-index-url", "find-links", "no-index", "trusted-host", "pre", "prefer-binary", "only-binary",
  "no-binary", "timeout", "default-timeout", "retries", "proxy", "cert", "client-cert", "cache-dir", "no-cache-dir",
  "disable-pip-version-check", "no-input", "progress-bar", "quiet", "verbose", "log", "log-file", "local-log",
  "no-color", "root-user-action", "keyring-provider", "exists-action", "no-build-isolation", "use-pep517",
  "no-use-pep517", "check-build-dependencies", "config-settings", "global-option", "build-option", "no-clean",
  "no-python-version-warning", "use-feature", "no-warn-script-location", "no-warn-conflicts", "compile",
  "no-compile", "upgrade-strategy", "no-deps", "ignore-requires-python", "isolated", "config-file",
  "break-system-packages", "resume-retries", "src",
]);

/** pip's _normalize_name: lower case, `_` → `-`, without leading dashes (a PIP_* name or pip.conf key as an option name). */
export function normalize(name: string): string {
  return name.toLowerCase().replace(/_/g, "-").replace(/^--/, "");
}

function judge(name: string, where: string, inVenv: boolean): string | undefined {
  const key = normalize(name);
  if (HARMLESS.has(key)) return undefined;
  // pip refuses to run outside a virtual environment; inside one it changes nothing.
  if (key === "require-virtualenv" && inVenv) return undefined;
  return `${where} sets ${key}`;
}

/** The pip.conf files pip reads, in its order (pip's get_configuration_files). */
export function pipConfigFiles(ctx: Pick<Context, "env" | "dirs" | "platform">, sysPrefix: string): string[] {
  const env = ctx.env;
  const home = ctx.dirs.home;
  const envFile = env.PIP_CONFIG_FILE;
  // pip: os.devnull skips every file.
  if (envFile !== undefined && (ctx.platform === "win32" ? envFile.toLowerCase() === "nul" : envFile === "/dev/null")) return [];
  const files: string[] = [];
  if (ctx.platform === "win32") {
    // Windows: pip.ini in platformdirs' places (C:\ProgramData\pip, %APPDATA%\pip), and ~\pip.
    const path = win32;
    files.push(path.join(env.PROGRAMDATA || env.ALLUSERSPROFILE || "C:\\ProgramData", "pip", "pip.ini"));
    if (!(envFile && existsSync(envFile)) && !isTrue(env.PIP_ISOLATED)) {
      files.push(path.join(home, "pip", "pip.ini"));
      files.push(path.join(env.APPDATA || path.join(home, "AppData", "Roaming"), "pip", "pip.ini"));
    }
    files.push(path.join(sysPrefix, "pip.ini"));
    if (envFile) files.push(envFile);
    return files;
  }
  if (ctx.platform === "darwin") files.push("/Library/Application Support/pip/pip.conf");
  for (const dir of (env.XDG_CONFIG_DIRS || "/etc/xdg").split(":")) if (dir) files.push(join(dir, "pip", "pip.conf"));
  files.push("/etc/pip.conf");
  if (!(envFile && existsSync(envFile)) && !isTrue(env.PIP_ISOLATED)) {
    files.push(join(home, ".pip", "pip.conf"));
    if (ctx.platform === "darwin") files.push(join(home, "Library", "Application Support", "pip", "pip.conf"));
    files.push(join(env.XDG_CONFIG_HOME || join(home, ".config"), "pip", "pip.conf"));
  }
  files.push(join(sysPrefix, "pip.conf"));
  if (envFile) files.push(envFile);
  return files;
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && ["y", "yes", "t", "true", "on", "1"].includes(v.toLowerCase());
}

/**
 * The keys of the sections pip's install command reads ([global] and
 * [install]) of an INI file as configparser reads it. Undefined when the file
 * cannot be read as one (then nothing is known about it).
 */
export function installKeys(text: string): string[] | undefined {
  return installValues(text)?.map((e) => e.key);
}

/** One `key = value` of a pip.conf section pip's install command reads. */
export interface ConfigValue {
  section: "global" | "install";
  /** As written (normalize it as pip does before comparing). */
  key: string;
  /** configparser's value: stripped, continuation lines joined with "\n". */
  value: string;
}

/**
 * The `key = value` pairs of [global] and [install] in an INI file, in file
 * order, as configparser reads them; undefined when the file cannot be read
 * as one.
 */
export function installValues(text: string): ConfigValue[] | undefined {
  const out: ConfigValue[] = [];
  let section: string | undefined;
  let last: ConfigValue | undefined;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    if (/^\s*([#;]|$)/.test(raw)) continue;
    if (/^\s/.test(raw) && section !== undefined) {
      // a continuation line of the previous value
      if (last) last.value = last.value ? `${last.value}\n${raw.trim()}` : raw.trim();
      continue;
    }
    const header = /^\[([^\]]+)\]/.exec(raw);
    if (header) {
      section = header[1]!.trim();
      last = undefined;
      continue;
    }
    const m = /^([^=:]+?)\s*[=:](.*)$/.exec(raw);
    if (!m || section === undefined) return undefined;
    last = undefined;
    if (section === "global" || section === "install") {
      last = { section, key: m[1]!.trim(), value: m[2]!.trim() };
      out.push(last);
    }
  }
  return out;
}

/**
 * Why pip's settings might make pip change something even when every
 * requirement is satisfied, or undefined when none could.
 */
export function pipSettingsAskingForChange(
  ctx: Pick<Context, "env" | "dirs" | "platform">,
  sysPrefix: string,
  inVenv: boolean,
  files: readonly string[] = pipConfigFiles(ctx, sysPrefix),
): string | undefined {
  return firstSetting(ctx, files, (key, where) => judge(key, where, inVenv));
}

/** Settings that make pip install somewhere else than the environment, or in another way. */
const PLACING = new Set(["target", "prefix", "root", "user", "home", "editable", "src"]);

/**
 * Which of pip's settings would make pip install elsewhere, or differently,
 * than venvctl's own installer does (PIP_TARGET, `user = true`…), or
 * undefined when none would. What only steers resolution (indexes,
 * upgrade, only-binary) is pip's to apply in its dry run.
 */
export function pipSettingsPlacingElsewhere(ctx: Pick<Context, "env" | "dirs" | "platform">, sysPrefix: string): string | undefined {
  return firstSetting(ctx, pipConfigFiles(ctx, sysPrefix), (key, where) => (PLACING.has(normalize(key)) ? `${where} sets ${normalize(key)}` : undefined));
}

/**
 * What venvctl's resolver reads of pip's settings (index/settings.ts), or
 * knows does not change a resolution: the harmless settings, less those that
 * steer the resolver (upgrade-strategy, no-deps), plus where pip installs
 * (judged by pipSettingsPlacingElsewhere).
 */
const NATIVE_RESOLUTION_READS = new Set([...HARMLESS, ...PLACING, "require-virtualenv"].filter((k) => k !== "upgrade-strategy" && k !== "no-deps"));

/**
 * Which of pip's settings would make pip's resolver decide otherwise than
 * venvctl's resolves (PIP_UPGRADE, `constraint =`, `no-deps = true`…), or
 * undefined when none would: with one set, pip resolves.
 */
export function pipSettingsSteeringResolution(ctx: Pick<Context, "env" | "dirs" | "platform">, sysPrefix: string): string | undefined {
  return firstSetting(ctx, pipConfigFiles(ctx, sysPrefix), (key, where) =>
    NATIVE_RESOLUTION_READS.has(normalize(key)) ? undefined : `${where} sets ${normalize(key)}, which venvctl's resolver does not read`,
  );
}

/** The first PIP_* variable or pip.conf key `judgeKey` objects to, in pip's order. */
function firstSetting(
  ctx: Pick<Context, "env">,
  files: readonly string[],
  judgeKey: (key: string, where: string) => string | undefined,
): string | undefined {
  for (const [name, value] of Object.entries(ctx.env)) {
    if (!name.startsWith("PIP_") || value === undefined) continue;
    const key = name.slice(4).toLowerCase();
    if (key === "version" || key === "help" || key === "config_file") continue; // pip ignores the first two
    const why = judgeKey(key, `the environment variable ${name}`);
    if (why) return why;
  }
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue; // absent (the usual case) or unreadable, as pip skips it
    }
    const keys = installKeys(text);
    if (keys === undefined) return `${file} could not be read as pip reads it`;
    for (const k of keys) {
      const why = judgeKey(k, file);
      if (why) return why;
    }
  }
  return undefined;
}
