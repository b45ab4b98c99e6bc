// What the environment's own pip does differently from other pips, for the
// commands venvctl answers in its place (freeze, list, show). Each flag names
// the pip release that changed the behaviour (pip's NEWS.rst); venvctl
// follows the pip installed in the environment, or the newest behaviour it
// knows when there is none.
import { comparePep440, parsePep440 } from "../standards/pep440.js";
import type { Grammar } from "../standards/requirement.js";

export interface PipProfile {
  /** The env's pip version, or undefined when pip is not installed. */
  pipVersion: string | undefined;
  /**
   * Which metadata backend pip uses: importlib.metadata on Python 3.11+
   * (pip 22.1+), pkg_resources before, or when the distributor says so.
   */
  backend: "importlib" | "pkg_resources";
  /** pip < 23.0: too old for venvctl to reproduce; hand the command to pip. */
  unsupported: boolean;
  /** 24.2: names and versions from the .dist-info directory name when it has them (pypa/pip#12656). */
  infoDirNameFirst: boolean;
  /** 24.1: no LegacyVersion; list and show print the version as the metadata spells it. */
  rawVersions: boolean;
  /** 24.1: packaging 24 (pre-releases match in markers, extras normalized). */
  modernPackaging: boolean;
  /** How this pip's packaging reads a requirement: legacy specifiers before 24.1, identifier names from 24.1. */
  grammar: Grammar;
  /** 24.0: an .egg-link may be named after the raw project name too (setuptools 69). */
  eggLinkRawName: boolean;
  /** 24.1: show takes Home-page from a "Homepage" Project-URL when the field is empty. */
  homepageFromProjectUrls: boolean;
  /** 24.1: show lists each required name once. */
  dedupRequires: boolean;
  /** What freeze leaves out without --all (besides python, wsgiref, argparse). */
  freezeDevPackages: string[];
  /** Python 3.13+ site.py skips .pth files whose names start with a dot. */
  skipHiddenPth: boolean;
}

/** Projects pip never reports as installed (pip/_internal/utils/compat.py stdlib_pkgs). */
export const STDLIB_PKGS = ["python", "wsgiref", "argparse"];

function atLeast(version: string | undefined, min: string): boolean {
  if (version === undefined) return true; // no pip: the newest behaviour
  const v = parsePep440(version);
  const m = parsePep440(min)!;
  return v !== undefined && comparePep440(v, m) >= 0;
}

export interface ProfileInput {
  pipVersion: string | undefined;
  python: { major: number; minor: number };
  /** importlib.metadata._PIP_USE_IMPORTLIB_METADATA as the probe saw it (null: unknown). */
  importlibFlag: boolean | null | undefined;
  /** The `_PIP_USE_IMPORTLIB_METADATA` environment variable pip would see. */
  envOverride: string | undefined;
}

/** pip's strtobool. */
function strtobool(s: string): boolean | undefined {
  const v = s.toLowerCase();
  if (["y", "yes", "t", "true", "on", "1"].includes(v)) return true;
  if (["n", "no", "f", "false", "off", "0"].includes(v)) return false;
  return undefined;
}

/** The profile of the env's pip on the env's Python. */
export function pipProfile(input: ProfileInput): PipProfile {
  const pv = input.pipVersion;
  const py312 = input.python.major > 3 || (input.python.major === 3 && input.python.minor >= 12);
  const py311 = input.python.major > 3 || (input.python.major === 3 && input.python.minor >= 11);
  // pip/_internal/metadata/__init__.py _should_use_importlib_metadata.
  let importlib: boolean;
  const override = input.envOverride !== undefined ? strtobool(input.envOverride) : undefined;
  if (override !== undefined) importlib = override;
  else if (!py311) importlib = false;
  else importlib = input.importlibFlag !== false;
  // 23.2 stopped leaving out the build backends on Python 3.12+ (pypa/pip#4256);
  // before 23.2 the list had pkg-resources too.
  const dev = !atLeast(pv, "23.2") ? ["pip", "setuptools", "distribute", "wheel", "pkg-resources"]
    : py312 ? ["pip"] : ["pip", "setuptools", "distribute", "wheel"];
  return {
    pipVersion: pv,
    backend: importlib ? "importlib" : "pkg_resources",
    unsupported: !atLeast(pv, "23.0"),
    infoDirNameFirst: atLeast(pv, "24.2"),
    rawVersions: atLeast(pv, "24.1"),
    modernPackaging: atLeast(pv, "24.1"),
    grammar: atLeast(pv, "24.1") ? { identifierNames: true } : { legacySpecifiers: true },
    eggLinkRawName: atLeast(pv, "24.0"),
    homepageFromProjectUrls: atLeast(pv, "24.1"),
    dedupRequires: atLeast(pv, "24.1"),
    freezeDevPackages: dev,
    skipHiddenPth: input.python.major > 3 || (input.python.major === 3 && input.python.minor >= 13),
  };
}
