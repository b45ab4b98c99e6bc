// `venvctl __complete KIND`: the values the shell completions ask for at
// TAB time, read natively (a directory listing, the inventory, installed
// metadata): no Python is started for them. Never fails: a completion that
// cannot be answered offers nothing.
import type { Context } from "../context.js";
import { openEnvironment } from "../environments/environment.js";
import { resolveTarget } from "../environments/target.js";
import { buildInventory } from "../interpreters/inventory.js";
import { shimsDir } from "../shims/shim-set.js";
import { listNames } from "../util/fs.js";
import { debug } from "../util/log.js";

export type CompleteKind = "versions" | "dists" | "commands";

export interface CompleteOptions {
  kind: CompleteKind;
  /** For dists: the -p given on the line. */
  python?: string | undefined;
}

/** The values, sorted and unique; empty when they cannot be known. */
export async function complete(opts: CompleteOptions, ctx: Context): Promise<string[]> {
  try {
    const values = await valuesOf(opts, ctx);
    return [...new Set(values)].sort();
  } catch (err) {
    debug(ctx, `completion of ${opts.kind}: ${(err as Error).message}`);
    return [];
  }
}

async function valuesOf(opts: CompleteOptions, ctx: Context): Promise<string[]> {
  switch (opts.kind) {
    case "versions": {
      // Each interpreter's name, and the minor version that selects the newest of it.
      const inventory = await buildInventory(ctx);
      const out = ["system"];
      for (const t of inventory.targets) {
        out.push(t.name);
        if (t.implementation === "cpython" && !t.version.pre) out.push(`${t.version.major}.${t.version.minor}${t.freeThreaded ? "t" : ""}`);
      }
      return out;
    }
    case "dists": {
      const target = await resolveTarget(ctx, opts.python);
      const env = openEnvironment(ctx, target, { need: "name-version" });
      return env.installed.dists.map((d) => d.rawName);
    }
    case "commands":
      return listNames(shimsDir(ctx)).filter((n) => !n.startsWith("."));
  }
}
