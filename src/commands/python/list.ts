// `venvctl python list [--available] [--json]`: the installed interpreters,
// from every source (as `versions` lists them), which of them venvctl
// installed, and with --available the builds that can be installed here.
import type { Context } from "../../context.js";
import { availableFor, installName } from "../../interpreters/downloads.js";
import { hostPlatform, platformKey } from "../../interpreters/platform.js";
import { downloadsList, managedInstalls } from "../../interpreters/python-install.js";
import { formatVersion } from "../../interpreters/version.js";
import { interpreterInDir, sameFileKey } from "../../interpreters/discovery.js";
import { formatVersionsTable, versions, type VersionsEntry } from "../versions.js";

export interface PythonListOptions {
  available: boolean;
}

export interface AvailableBuild {
  /** The directory it installs into: cpython-3.12.7-linux-x86_64-gnu. */
  name: string;
  version: string;
  build?: string | undefined;
  url: string;
  sha256: string;
  installed: boolean;
}

export interface PythonListResult {
  installed: Array<VersionsEntry & { managed: boolean }>;
  /** With --available: what can be installed on this platform, newest first. */
  available?: AvailableBuild[] | undefined;
  platform: string;
}

export async function pythonList(opts: PythonListOptions, ctx: Context): Promise<PythonListResult> {
  const managed = managedInstalls(ctx);
  // The interpreter of each install venvctl made (bin/python3; python.exe at the top on Windows).
  const managedPythons = new Set(managed.flatMap((m) => {
    const python = interpreterInDir(ctx, m.dir);
    return python ? [sameFileKey(ctx, python)] : [];
  }));
  const { interpreters } = await versions({ json: true }, ctx);
  const installed = interpreters.map((i) => ({
    ...i,
    managed: i.source === "venvctl" && managedPythons.has(sameFileKey(ctx, i.path)),
  }));
  const platform = hostPlatform(ctx);
  const result: PythonListResult = { installed, platform: platformKey(platform) };
  if (opts.available) {
    const names = new Set(managed.map((m) => m.name));
    result.available = availableFor(await downloadsList(ctx), platform).map((d) => ({
      name: installName(d), version: formatVersion(d.version), build: d.build, url: d.url, sha256: d.sha256, installed: names.has(installName(d)),
    }));
  }
  return result;
}

/** The text `python list` prints on stdout: `versions`' table, then what can be downloaded. */
export function formatPythonList(r: PythonListResult, home: string): string[] {
  const lines = formatVersionsTable({ interpreters: r.installed }, home);
  for (const a of r.available ?? []) {
    if (!a.installed) lines.push(`  ${a.name}  <download available>`);
  }
  return lines;
}
