// The no-op decision for `install` and `sync`: everything that could make
// pip do something even though each named requirement looks satisfied —
// options, pip's own settings, a system-managed interpreter, what venvctl
// does not read the way pip does — and then the satisfaction check itself.
// No Python runs here: the probe's marker variables are cached with it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Context } from "../context.js";
import type { PackageTarget } from "../environments/target.js";
import { openEnvironment, type OpenedEnvironment } from "../environments/environment.js";
import { pipSettingsAskingForChange } from "../pip/settings.js";
import type { ParsedRequirements } from "../pip/requirements-file.js";
import { checkSatisfied, InstalledIndex, shadowedNames, type MarkerContext, type Satisfaction } from "./satisfaction.js";

/** The target opened for checking requirements against it. */
export interface CheckedEnvironment {
  opened: OpenedEnvironment;
  index: InstalledIndex;
  /** The target's marker variables; undefined when the probe has none. */
  markers: MarkerContext | undefined;
}

/** Scans the target's distributions (names and versions now, metadata as needed). */
export function openForCheck(ctx: Pick<Context, "env" | "cwd">, target: PackageTarget): CheckedEnvironment {
  const opened = openEnvironment(ctx, target, { need: "name-version" });
  // pkg_resources (pip's backend before Python 3.11) may pick another of two
  // distributions with one name; importlib takes the first, as venvctl does.
  const shadowed = opened.profile.backend === "pkg_resources" ? shadowedNames(opened.sysPath) : new Set<string>();
  const env = target.interpreter.info.marker_env;
  return { opened, index: new InstalledIndex(opened.installed, shadowed), markers: env ? { env } : undefined };
}

/**
 * What about the environment keeps venvctl from answering for pip, whatever
 * the requirements: undefined when nothing does.
 */
export function environmentDoubt(ctx: Pick<Context, "env" | "dirs" | "platform">, checked: CheckedEnvironment): string | undefined {
  const { opened } = checked;
  const target = opened.target;
  if (!checked.markers) return "the interpreter's probe has no marker variables";
  if (opened.profile.unsupported) return `pip ${opened.profile.pipVersion} is older than 23.0`;
  if (opened.installed.unsupported) return opened.installed.unsupported;
  // PEP 668: pip refuses to install into a system-managed interpreter, even when nothing would change.
  if (target.kind === "interpreter") {
    const stdlib = target.interpreter.info.sys_paths.stdlib;
    if (stdlib && existsSync(join(stdlib, "EXTERNALLY-MANAGED"))) return "the interpreter is externally managed (PEP 668): pip decides";
  }
  return pipSettingsAskingForChange(ctx, target.prefix, target.kind === "venv");
}

/** What in the parsed files (beyond the requirements themselves) needs pip. */
export function inputsDoubt(inputs: ParsedRequirements): string | undefined {
  if (inputs.unread.length) return `pip reads the requirements file ${inputs.unread[0]!.file}: ${inputs.unread[0]!.why}`;
  const hashes = inputs.options.find((o) => o.name === "--require-hashes");
  if (hashes) return `${hashes.source.file} line ${hashes.source.line} asks for --require-hashes`;
  return undefined;
}

/** The whole no-op decision for these inputs. */
export function decideNoOp(
  ctx: Pick<Context, "env" | "dirs" | "platform">,
  checked: CheckedEnvironment,
  inputs: ParsedRequirements,
  noDeps: boolean,
): Satisfaction {
  const doubt = inputsDoubt(inputs) ?? environmentDoubt(ctx, checked);
  if (doubt) return { satisfied: false, reason: doubt };
  return checkSatisfied({ entries: inputs.entries, installed: checked.index, markers: checked.markers!, noDeps, grammar: checked.opened.profile.grammar });
}
