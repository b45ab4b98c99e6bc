// `venvctl reinstall NAME...`: pip's `install --upgrade --no-deps
// --force-reinstall`, pinned to the installed version unless a version is
// given, so a package whose files were damaged gets them back unchanged. An
// editable or direct-URL install is reinstalled from where it came from.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context } from "../context.js";
import { UsageError, VenvctlError } from "../errors.js";
import { openEnvironment } from "../environments/environment.js";
import { directReference } from "../pip/freeze.js";
import type { InstalledDist } from "../environments/installed-dist.js";
import { ensurePip, rehashAfterChange } from "../installer/pip-steps.js";
import { indexArgs, runPip, type IndexOptions } from "../pip/runner.js";
import { commandLineRequirement, readInputs } from "../pip/requirements-file.js";
import { InstalledIndex, markerMayHold } from "../plans/satisfaction.js";
import { openForCheck } from "../plans/install-check.js";
import type { ChangeResult } from "../wheel/transaction.js";
// native-install.js (the installer, the store, pip's report) is loaded once
// the answer is not "nothing to do": that answer stays as quick as it was.
import type { PlacementOptions } from "../installer/native-install.js";
import { debug } from "../util/log.js";
import { consentPipArgs, resolveTargetToChange } from "../environments/consent.js";
import { describeTarget, type PackageTarget } from "../environments/target.js";

export interface ReinstallOptions {
  python?: string | undefined;
  /** NAME or NAME==VERSION (any PEP 508 requirement naming a project). */
  names: string[];
  /** -r FILE: its named requirements are reinstalled too. */
  requirementFiles: string[];
  index: IndexOptions;
  pipArgs: string[];
  /** --system: a base interpreter the selection chooses may be changed. */
  system: boolean;
  breakSystemPackages: boolean;
  /** --link-mode / VENVCTL_LINK_MODE, and --compile. */
  placement: PlacementOptions;
}

export interface ReinstallResult {
  target: PackageTarget;
  exitCode: number;
  /** What pip was asked for, by project: `foo==1.2`, `-e /src/foo`. */
  requested: string[];
  /** What venvctl's installer did, when it did the work. */
  change?: ChangeResult | undefined;
}

/** The requirement that reinstalls `dist` as it is now. */
function asInstalled(dist: InstalledDist, extras: readonly string[]): string[] {
  const editable = dist.editableLocation;
  if (editable) return ["-e", editable];
  const du = dist.directUrl;
  if (du) return [directReference(du, dist.rawName)];
  const v = dist.version;
  const x = extras.length ? `[${extras.join(",")}]` : "";
  return [`${dist.rawName}${x}${v.legacy ? "===" : "=="}${v.text}`];
}

export async function reinstall(opts: ReinstallOptions, ctx: Context): Promise<ReinstallResult> {
  if (!opts.names.length && !opts.requirementFiles.length) {
    throw new UsageError("nothing to reinstall", { hint: "give package names (`venvctl reinstall requests`) or -r FILE" });
  }
  const named = opts.names.map((n) => {
    const e = commandLineRequirement(n, false, ctx.cwd);
    if (e.spec.kind !== "named" || e.spec.req.url) {
      throw new UsageError(`reinstall takes project names, optionally with a version: ${n}`, {
        hint: "to install from a path or URL, use `venvctl install --force-reinstall`",
      });
    }
    return { text: n, req: e.spec.req };
  });
  const fromFiles = readInputs({ requirementFiles: opts.requirementFiles }, { cwd: ctx.cwd, env: ctx.env });
  const target = await resolveTargetToChange(ctx, opts.python, "reinstall", opts);
  const where = describeTarget(target, ctx.dirs.home);
  const opened = openEnvironment(ctx, target, { need: "name-version" });
  const index = new InstalledIndex(opened.installed);
  const markerEnv = target.interpreter.info.marker_env;

  const requested: string[] = [];
  for (const { text, req } of named) {
    const dist = index.get(req.name);
    if (!dist) {
      throw new VenvctlError(`${req.name} is not installed in ${where}`, { hint: `install it with \`venvctl install ${text}\`` });
    }
    // A version given is the user's; otherwise the installed one.
    requested.push(...(req.specifiers.length ? [text] : asInstalled(dist, req.extras)));
  }
  // From files: named requirements without a version are pinned to the
  // installed one through a constraints file; the files go to pip as they are.
  const pins: string[] = [];
  for (const e of fromFiles.entries) {
    if (e.constraint || e.spec.kind !== "named" || e.spec.req.url || e.spec.req.specifiers.length) continue;
    if (e.marker && markerEnv && !markerMayHold(e.marker, { env: markerEnv }, "")) continue;
    const dist = index.get(e.spec.req.name);
    if (!dist) {
      throw new VenvctlError(`${e.spec.req.name} (${e.source!.file} line ${e.source!.line}) is not installed in ${where}`, {
        hint: `install it with \`venvctl install -r ${e.source!.file}\``,
      });
    }
    if (dist.editable || dist.directUrl) {
      throw new VenvctlError(`${dist.rawName} is installed ${dist.editable ? "in editable mode" : "from a URL"}; ${e.source!.file} line ${e.source!.line} names it from the index`, {
        hint: `reinstall it by name: \`venvctl reinstall ${dist.rawName}\``,
      });
    }
    const v = dist.version;
    pins.push(`${dist.rawName}${v.legacy ? "===" : "=="}${v.text}`);
  }

  const args = ["install", "--upgrade", "--no-deps", "--force-reinstall", ...indexArgs(opts.index), ...requested];
  for (const f of opts.requirementFiles) args.push("-r", f);
  let tmp: string | undefined;
  try {
    if (pins.length) {
      tmp = mkdtempSync(join(tmpdir(), "venvctl-reinstall-"));
      const constraints = join(tmp, "installed-versions.txt");
      writeFileSync(constraints, pins.join("\n") + "\n");
      debug(ctx, `pinning ${pins.join(", ")} (from -r) with ${constraints}`);
      args.push("-c", constraints);
    }
    args.push(...opts.pipArgs, ...consentPipArgs(target, opts));
    ctx.stderr.write(`Reinstalling in ${where}\n`);
    // What pip would be asked for, as requirements venvctl's installer reads.
    const inputs = { ...fromFiles, entries: [...requested.filter((r) => r !== "-e").map((r) => commandLineRequirement(r, false, ctx.cwd)), ...pins.map((p) => commandLineRequirement(p, false, ctx.cwd)), ...fromFiles.entries] };
    const checked = openForCheck(ctx, target);
    const { installInputs, nativeBlocker } = await import("../installer/native-install.js");
    const blocker = requested.includes("-e") ? "editable installs are pip's" : nativeBlocker(ctx, target, checked, inputs, { pipArgs: opts.pipArgs, editables: [] });
    if (blocker === undefined) {
      const outcome = await installInputs(ctx, target, checked, inputs, {
        resolveArgs: args, cacheOnly: true, noDeps: true, force: true, upgrade: true, index: opts.index, placement: opts.placement, why: "reinstall",
      });
      if (outcome.kind === "pip-failed") return { target, exitCode: outcome.exitCode, requested: [...requested, ...pins] };
      return { target, exitCode: 0, requested: [...requested, ...pins], change: outcome.kind === "installed" ? outcome.change : undefined };
    }
    debug(ctx, `pip reinstalls (not venvctl): ${blocker}`);
    await ensurePip(ctx, target);
    const exitCode = await runPip(ctx, target, args, { why: "reinstall" });
    if (exitCode === 0) await rehashAfterChange(ctx, target);
    return { target, exitCode, requested: [...requested, ...pins] };
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
