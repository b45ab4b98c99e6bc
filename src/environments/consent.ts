// Whether a command may change a target environment's packages: a base
// interpreter only when the user asked for it (-p, --system), one its
// distributor manages (PEP 668) only with --break-system-packages; and the
// pip options that make pip install somewhere else instead.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Context } from "../context.js";
import { UsageError, VenvctlError } from "../errors.js";
import { tildify } from "../util/log.js";
import { resolveTarget, type PackageTarget } from "./target.js";

type Ctx = Pick<Context, "env" | "dirs" | "platform" | "cwd" | "stderr">;

/** What a package-changing command was told about changing a base interpreter. */
export interface ChangeConsent {
  /** --system: the selected base interpreter may be changed. */
  system: boolean;
  /** --break-system-packages (pip's flag, ours too). */
  breakSystemPackages: boolean;
  /** What goes to pip after `--` (where --break-system-packages may be too). */
  pipArgs: readonly string[];
  /** A dry run changes nothing: only which environment it plans for is checked. */
  dryRun?: boolean | undefined;
}

/**
 * The pip option after `--` that makes pip install somewhere other than the
 * environment (--target, --prefix, --root), if there is one. pip then skips
 * its PEP 668 check, and so does venvctl.
 */
export function installsElsewhere(pipArgs: readonly string[]): string | undefined {
  return pipArgs.find((a) => /^(?:-t|--target|--prefix|--root)(?:=|$)|^-t./.test(a));
}

/**
 * pip's --break-system-packages when the user gave it to venvctl for an
 * externally managed target (only then: pips before 23.0.1 do not know it).
 */
export function consentPipArgs(target: PackageTarget, consent: ChangeConsent): string[] {
  if (!consent.breakSystemPackages || consent.pipArgs.includes("--break-system-packages")) return [];
  return externallyManaged(target) ? ["--break-system-packages"] : [];
}

/**
 * The environment `install`, `uninstall`, `sync` or `reinstall` may change.
 * A base interpreter's packages change only when the user asked for that
 * interpreter: by -p, or by --system for the one the selection chooses (as uv
 * asks for --system). One its distributor manages (PEP 668
 * EXTERNALLY-MANAGED) is refused as pip refuses it, unless
 * --break-system-packages.
 */
export async function resolveTargetToChange(ctx: Ctx, python: string | undefined, verb: string, consent: ChangeConsent): Promise<PackageTarget> {
  const target = await resolveTarget(ctx, python);
  if (target.kind !== "interpreter") return target;
  // Installing elsewhere, or pip's `--dry-run --report`: the interpreter's packages stay as they are.
  const p = consent.pipArgs;
  if (installsElsewhere(p) || (p.includes("--dry-run") && p.some((a) => a.startsWith("--report")))) return target;
  if (target.origin !== "--python" && !consent.system) {
    throw new UsageError(`no virtual environment here: \`${verb}\` would change the packages of the interpreter ${tildify(target.python, ctx.dirs.home)}`, {
      hint: "make one with `venvctl create` (used from this directory on), activate one, or pass --system to change that interpreter's own packages",
    });
  }
  const marker = consent.dryRun ? undefined : externallyManaged(target);
  if (marker && !consent.breakSystemPackages && !p.includes("--break-system-packages")) {
    throw new VenvctlError(`the interpreter ${tildify(target.python, ctx.dirs.home)} is externally managed (PEP 668: ${marker.file})`, {
      cause: marker.message,
      hint: "make a virtual environment with `venvctl create`; or pass --break-system-packages if you mean to change the distribution's packages",
    });
  }
  return target;
}

/**
 * The interpreter's PEP 668 marker: `EXTERNALLY-MANAGED` in its stdlib
 * directory (a venv is never externally managed), with the `Error` message
 * of its `[externally-managed]` section as pip shows it.
 */
export function externallyManaged(target: PackageTarget): { file: string; message: string } | undefined {
  if (target.kind !== "interpreter") return undefined;
  const stdlib = target.interpreter.info.sys_paths.stdlib;
  if (!stdlib) return undefined;
  const file = join(stdlib, "EXTERNALLY-MANAGED");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return { file, message: externallyManagedMessage(text) };
}

/** The `Error` value of the `[externally-managed]` section (configparser: continuation lines are indented). */
function externallyManagedMessage(text: string): string {
  const fallback = "this environment is externally managed";
  let inSection = false;
  const out: string[] = [];
  let inError = false;
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[(.*)\]\s*$/.exec(line);
    if (section) {
      if (inError) break;
      inSection = section[1]!.trim() === "externally-managed";
      continue;
    }
    if (!inSection) continue;
    if (inError) {
      if (/^\s+\S/.test(line) || line.trim() === "") {
        out.push(line.trim());
        continue;
      }
      break;
    }
    const kv = /^(\w[\w-]*)\s*[=:]\s*(.*)$/.exec(line);
    if (kv && kv[1]!.toLowerCase() === "error") {
      inError = true;
      if (kv[2]!.trim()) out.push(kv[2]!.trim());
    }
  }
  return out.join("\n").trim() || fallback;
}
