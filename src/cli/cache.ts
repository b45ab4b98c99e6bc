// `venvctl cache dir|info|prune|verify`: flags and printing (the use cases are
// in commands/cache.ts). Results go to stdout (`--json` for scripts).
import type { Command } from "commander";
import type { Cli } from "./cli.js";
import { plural } from "../util/words.js";
import { printJson, printOutput } from "./options.js";

/** 1536 → "1.5 KiB". */
function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

export function register(program: Command, cli: Cli): void {
  const { ctx } = cli;
  const cache = program.command("cache").description("The cache of wheel files, unpacked wheels and interpreter probes");

  cache.command("dir").description("Print the cache directory ($VENVCTL_CACHE_DIR)").action(async () => {
    const { cacheDir } = await import("../commands/cache.js");
    printOutput(ctx, [cacheDir({}, ctx).dir], []);
  });

  cache.command("info").description("Print the cache's size and entries").option("--json", "print JSON").action(async (o: { json?: boolean }) => {
    const { cacheInfo } = await import("../commands/cache.js");
    const info = cacheInfo({}, ctx);
    if (o.json) {
      return printJson(ctx, { dir: info.dir, size: info.size, wheel_files: info.wheelFiles, unpacked: info.unpacked, interpreters: info.interpreters }, []);
    }
    printOutput(ctx, [
      `cache: ${info.dir}`,
      `size: ${bytes(info.size)}`,
      `wheel files: ${info.wheelFiles.entries} (${bytes(info.wheelFiles.size)})`,
      `unpacked wheels: ${info.unpacked.entries} (${bytes(info.unpacked.size)})`,
      `interpreter probes: ${info.interpreters.entries} (${bytes(info.interpreters.size)})`,
    ], []);
  });

  cache.command("prune")
    .description("Remove entries not used for N days (never one in use)")
    .option("--days <n>", "remove entries unused for this many days", "30")
    .option("--json", "print JSON")
    .action(async (o: { days: string; json?: boolean }) => {
      const { cachePrune } = await import("../commands/cache.js");
      const { UsageError } = await import("../errors.js");
      if (!/^\d+$/.test(o.days)) throw new UsageError(`--days ${o.days} is not a whole number of days`, { hint: "pass 0 or more, e.g. --days 30" });
      const r = cachePrune({ days: Number(o.days) }, ctx);
      if (o.json) return printJson(ctx, r, []);
      printOutput(ctx, [
        ...r.removed.map((e) => `removed ${e.kind} ${e.what}`),
        `${r.removed.length} removed, ${r.kept} kept, ${bytes(r.freed)} freed`,
      ], []);
    });

  cache.command("verify")
    .description("Check every entry against its hashes; name the environments that share a changed file")
    .option("--repair", "rebuild changed entries from their wheels and relink the environments sharing them")
    .option("--json", "print JSON")
    .action(async (o: { repair?: boolean; json?: boolean }) => {
      const { cacheVerify } = await import("../commands/cache.js");
      const r = await cacheVerify({ repair: Boolean(o.repair) }, ctx);
      // Without --repair, any problem fails; with it, one that stays.
      const failed = r.problems.some((p) => !o.repair || !p.repaired);
      if (failed) cli.exitCode = 1;
      if (o.json) return printJson(ctx, r, []);
      const lines: string[] = [];
      for (const p of r.problems) {
        for (const f of p.files) lines.push(`${p.what} (${p.kind} ${p.sha256.slice(0, 12)}): ${f.path} ${f.reason}`);
        if (p.envs.length) lines.push(`  shared by: ${p.envs.join(", ")}`);
        if (p.repaired) lines.push(`  repaired${p.kind === "unpacked" ? `: rebuilt from its wheel${p.envs.length ? `, ${p.envs.length} environment(s) relinked` : ""}` : ": dropped (fetched again when next needed)"}`);
        if (p.unrepaired) lines.push(`  not repaired: ${p.unrepaired}`);
      }
      lines.push(`${plural(r.checked, "entry", "entries")} checked, ${r.problems.length} with problems`);
      printOutput(ctx, lines, []);
    });
}
