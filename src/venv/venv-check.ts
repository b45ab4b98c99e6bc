// Whether a directory is a virtual environment — the question asked before
// venvctl deletes (--clear) or rewrites (--upgrade, --allow-existing) one.
// Having something named pyvenv.cfg is not enough: a venv is a directory
// whose pyvenv.cfg is a regular file with a `home` key (what site.py needs
// to treat it as one), holding only what venv, virtualenv, uv and pip put in
// one. Anything else might be a project, and is never deleted.
import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isNodeError, lstatOrUndefined } from "../util/fs.js";
import { OWNER_MARKER } from "../util/owned-dir.js";
import { getCfgValue, parsePyvenvCfg } from "../standards/pyvenv-cfg.js";

/**
 * The top-level entries a venv holds: venv's and virtualenv's directories on
 * POSIX and Windows; share/, etc/ and man/ where pip installs data files
 * (jupyter's etc/jupyter, man pages); .gitignore (venv 3.13, virtualenv, uv,
 * venvctl); uv's CACHEDIR.TAG and .lock; pip-selfcheck.json, which old pip
 * wrote into sys.prefix; the Finder's .DS_Store; venvctl's own marker.
 */
const VENV_ENTRIES = new Set([
  "bin", "Scripts", "lib", "Lib", "lib64", "include", "Include", "share", "etc", "man",
  "pyvenv.cfg", ".gitignore", "CACHEDIR.TAG", ".lock", "pip-selfcheck.json", ".DS_Store", OWNER_MARKER,
]);

/** pyvenv.cfg is a few hundred bytes; a large file by that name is something else. */
const MAX_CFG_BYTES = 64 * 1024;

/** What was found, when a directory is not a venv. */
export interface NotAVenv {
  /** Why, for messages: "its pyvenv.cfg is a directory". */
  reason: string;
  /**
   * "missing": no pyvenv.cfg; "bad": something named pyvenv.cfg that is no
   * venv's config (writing a venv here would replace it); "ok": a venv's
   * config, beside entries that a venv does not hold.
   */
  cfg: "missing" | "bad" | "ok";
}

/** Answers why `dir` is not a virtual environment, or undefined when it is one. */
export function whyNotAVenv(dir: string): NotAVenv | undefined {
  const st = lstatOrUndefined(dir);
  if (!st) return { reason: "it does not exist", cfg: "missing" };
  if (!st.isDirectory()) return { reason: "it is not a directory", cfg: "missing" };
  const cfgProblem = whyNotAVenvCfg(join(dir, "pyvenv.cfg"));
  if (cfgProblem) return cfgProblem;
  const foreign = readdirSync(dir).filter((name) => !VENV_ENTRIES.has(name)).sort();
  if (foreign.length) {
    const shown = foreign.slice(0, 5).join(", ") + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : "");
    return { reason: `it holds ${shown}, which a venv does not`, cfg: "ok" };
  }
  return undefined;
}

function whyNotAVenvCfg(cfg: string): NotAVenv | undefined {
  let st;
  try {
    st = lstatSync(cfg);
  } catch (err) {
    if (isNodeError(err, "ENOENT")) return { reason: "no pyvenv.cfg", cfg: "missing" };
    return { reason: `its pyvenv.cfg cannot be read (${(err as Error).message})`, cfg: "bad" };
  }
  if (st.isSymbolicLink()) return { reason: "its pyvenv.cfg is a symbolic link, not a venv's config", cfg: "bad" };
  if (st.isDirectory()) return { reason: "its pyvenv.cfg is a directory", cfg: "bad" };
  if (!st.isFile()) return { reason: "its pyvenv.cfg is not a regular file", cfg: "bad" };
  if (st.size > MAX_CFG_BYTES) return { reason: `its pyvenv.cfg is ${st.size} bytes, too large for a venv's config`, cfg: "bad" };
  let text: string;
  try {
    text = readFileSync(cfg, "utf8");
  } catch (err) {
    return { reason: `its pyvenv.cfg cannot be read (${(err as Error).message})`, cfg: "bad" };
  }
  if (!getCfgValue(parsePyvenvCfg(text), "home")) return { reason: "its pyvenv.cfg has no `home =` line", cfg: "bad" };
  return undefined;
}
