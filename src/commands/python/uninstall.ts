// `venvctl python uninstall SPEC...`: removes interpreters venvctl installed
// (their directories hold its record), never pyenv's, uv's or the system's,
// then rehashes the shims. Every SPEC is checked before anything is removed.
import type { Context } from "../../context.js";
import { UsageError, VenvctlError } from "../../errors.js";
import { requestMatches } from "../../interpreters/discovery.js";
import { buildInventory, type Inventory } from "../../interpreters/inventory.js";
import { managedInstalls, removeManagedInstall, type ManagedInstall } from "../../interpreters/python-install.js";
import { describeRequest, parsePythonRequest } from "../../interpreters/request.js";
import { parseVersion } from "../../interpreters/version.js";
import { rehashShims } from "../../shims/rehash.js";
import { tildify } from "../../util/log.js";

export interface PythonUninstallOptions {
  specs: string[];
}

export interface PythonUninstallResult {
  removed: ManagedInstall[];
  notes: string[];
}

export async function pythonUninstall(opts: PythonUninstallOptions, ctx: Context): Promise<PythonUninstallResult> {
  if (opts.specs.length === 0) {
    throw new UsageError("which version? `python uninstall` needs one", { hint: "e.g. `venvctl python uninstall 3.12.7`; `venvctl python list` shows what venvctl installed" });
  }
  const managed = managedInstalls(ctx);
  const chosen = new Map<string, ManagedInstall>();
  let index: Inventory | undefined;
  const inventory = async () => (index ??= await buildInventory(ctx));
  for (const spec of opts.specs) {
    const byName = managed.filter((m) => m.name === spec);
    const req = parsePythonRequest(spec);
    const versionLike = req.kind === "version" || req.kind === "range" || (req.kind === "name" && req.fallback !== undefined);
    if (byName.length === 0 && !versionLike && !(await inventory()).keys.has(spec)) {
      throw new UsageError(`\`${spec}\` is not a version or an install's name`, { hint: "e.g. 3.12.7, 3.12, or cpython-3.12.7-linux-x86_64-gnu (see `venvctl python list`)" });
    }
    const want = req.kind === "name" && req.fallback ? req.fallback : req;
    const matches = byName.length > 0 ? byName : managed.filter((m) => {
      const v = parseVersion(m.record.version);
      return v !== undefined && requestMatches(want, v, "cpython");
    });
    if (matches.length === 0) {
      const index = await inventory();
      const named = index.keys.get(spec);
      const others = index.targets.filter((t) => t === named || (versionLike && requestMatches(want, t.version, t.implementation)));
      const mine = managed.map((m) => m.name).join(", ") || "none";
      if (others.length > 0) {
        throw new VenvctlError(`venvctl did not install ${describeRequest(req)}: ${others.map((t) => `${t.name} is ${whose(t.source)} (${tildify(t.python, ctx.dirs.home)})`).join(", ")}`, {
          hint: `venvctl removes only the interpreters it installed (${mine}); remove others with the tool that installed them (e.g. \`pyenv uninstall\`)`,
        });
      }
      throw new VenvctlError(`no interpreter venvctl installed matches ${describeRequest(req)}`, { hint: `installed by venvctl: ${mine}` });
    }
    for (const m of matches) chosen.set(m.name, m);
  }
  const result: PythonUninstallResult = { removed: [], notes: [] };
  try {
    for (const m of chosen.values()) {
      removeManagedInstall(ctx, m.name);
      result.removed.push(m);
    }
  } finally {
    if (result.removed.length > 0) {
      try {
        await rehashShims(ctx, { ifChanged: true });
      } catch (err) {
        result.notes.push(`warning: ${(err as Error).message}`);
      }
    }
  }
  return result;
}

function whose(source: string): string {
  if (source === "path") return "on PATH";
  if (source === "venvctl") return "in venvctl's versions/ without its install record (put there by hand)";
  return `${source}'s`;
}

export function describePythonUninstall(r: PythonUninstallResult, home: string): string[] {
  return [...r.removed.map((m) => `Removed CPython ${m.record.version} (${tildify(m.dir, home)})`), ...r.notes];
}
