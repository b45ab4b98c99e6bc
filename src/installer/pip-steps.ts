// What the commands that change an environment (install, reinstall,
// uninstall, sync) do around pip's run: seed pip first into a venv made
// without it, and rehash the shims after a base interpreter gained or lost
// commands. Here, above pip/, because it reaches into venv/ and shims/.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError } from "../errors.js";
import { describeTarget, envPipVersion, targetSysPath, type PackageTarget } from "../environments/target.js";
import { clearListingCache } from "../environments/listing.js";
import { debug, tildify, warn } from "../util/log.js";

/**
 * Makes sure `python -m pip` works in the target: a venv without pip (made
 * with --without-pip) gets the pip its interpreter bundles (and setuptools up
 * to 3.11, as `venvctl create` seeds), installed natively; a base
 * interpreter without pip is an error (venvctl does not write into it
 * unasked).
 */
export async function ensurePip(ctx: Context, target: PackageTarget): Promise<void> {
  if (envPipVersion(targetSysPath(target, ctx)) !== undefined) return;
  const where = describeTarget(target, ctx.dirs.home);
  if (target.kind !== "venv" || !target.envDir) {
    throw new VenvctlError(`${where} has no pip`, {
      hint: `install it with \`${tildify(target.python, ctx.dirs.home)} -m ensurepip\`, or pass -p with an environment that has pip`,
    });
  }
  ctx.stderr.write(`${capitalize(where)} has no pip: seeding it from the bundled wheel\n`);
  const { seedEnvironment } = await import("../venv/seed.js");
  const { venvLayout } = await import("../venv/layout.js");
  const seedDir = ctx.env.VENVCTL_SEED_DIR ? resolve(ctx.cwd, ctx.env.VENVCTL_SEED_DIR) : undefined;
  const result = await seedEnvironment(ctx, target.interpreter, venvLayout(target.interpreter, target.envDir), { seedDir, linkMode: "auto" }, (p) => p);
  for (const w of result.warnings) warn(ctx, w);
  ctx.stderr.write(`Seeded ${result.seeded.map((s) => `${s.name} ${s.version}`).join(", ")}\n`);
  clearListingCache();
}

/**
 * After pip changed a base interpreter (not a venv), rewrites the shims when
 * the set of commands changed, so a new console script gets one. Shims that
 * were never made are left unmade; a failure is a warning (pip's work stands).
 */
export async function rehashAfterChange(ctx: Context, target: PackageTarget): Promise<void> {
  if (target.kind !== "interpreter") return;
  try {
    const { shimsDir } = await import("../shims/shim-set.js");
    if (!existsSync(shimsDir(ctx))) {
      debug(ctx, "no shims to rehash (run `venvctl rehash` to make them)");
      return;
    }
    const { rehashShims } = await import("../shims/rehash.js");
    const result = await rehashShims(ctx, { ifChanged: true });
    if (result.changed) ctx.stderr.write(`Rehashed the shims in ${tildify(result.dir, ctx.dirs.home)}\n`);
  } catch (err) {
    warn(ctx, `could not rehash the shims: ${(err as Error).message} (run \`venvctl rehash\`)`);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
