// Getting wheels into venvctl's store: the store itself, temporary
// directories beside it, and what venvctl's own resolution chose, fetched by
// venvctl: wheels from the
// index in parallel (each checked against the index's hash) into the store,
// and sdists built once by `pip wheel --no-deps`, the built wheel kept in the
// store by the sdist's sha256 (so the resolver's build for metadata is the
// installer's wheel, and the next install builds nothing).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Context } from "../context.js";
import { VenvctlError, withPath } from "../errors.js";
import type { PackageTarget } from "../environments/target.js";
import type { IndexClient } from "../index/client.js";
import type { IndexFile } from "../index/files.js";
import { PipFetchError } from "../pip/fetch.js";
import type { ResolvedDist } from "../pip/report.js";
import { indexArgs, runPip, type IndexOptions } from "../pip/runner.js";
import { WheelStore, type StoredWheel } from "../wheel/store.js";
import { ensureDir } from "../util/fs.js";
import { debug } from "../util/log.js";
import { ensurePip } from "./pip-steps.js";

/** The wheel store of this venvctl (`$VENVCTL_CACHE_DIR`). */
export function openStore(ctx: Pick<Context, "dirs" | "env" | "stderr">): WheelStore {
  return new WheelStore(ctx.dirs.cache, (m) => debug(ctx, m));
}

/** A new temporary directory in the cache (pip's downloads land there: the store moves them in, same file system). */
export function fetchDir(ctx: Pick<Context, "dirs">, tag: string): string {
  const parent = join(ctx.dirs.cache, "tmp");
  ensureDir(parent);
  return mkdtempSync(join(parent, `${tag}-`));
}

/** What venvctl's own resolution fetches with: its index client and the file of each chosen distribution. */
export interface IndexFetch {
  client: IndexClient;
  files: ReadonlyMap<ResolvedDist, IndexFile>;
  /** Wheels the install began fetching while the resolver worked. */
  early?: EarlyFetches | undefined;
}

/**
 * Wheels fetched into the store while the resolver is still at work: each
 * is started when the resolver pins a candidate whose wheel (by the index's
 * sha256) the store lacks. With a cold cache the resolver mostly waits on
 * the network; the downloads, their checks and unpacking fill that time.
 * A pin undone by backtracking leaves its wheel in the store, as a
 * download pip makes for a candidate it drops stays in its cache. A failure
 * is reported when (and only if) the wheel is wanted.
 */
export class EarlyFetches {
  private readonly started = new Map<string, Promise<StoredWheel>>();
  /** The file names downloaded so far. */
  private readonly names = new Set<string>();
  private tmp: string | undefined;

  constructor(private readonly ctx: Context, private readonly store: WheelStore) {}

  /** Starts fetching `file` into the store, unless it is not a wheel, has no sha256 to look it up by, or is there already. */
  start(file: IndexFile, client: IndexClient): void {
    const sha256 = file.hashes.sha256;
    if (file.kind !== "wheel" || !sha256 || this.started.has(file.url) || this.store.get(sha256)) return;
    // Each download under its own name in one directory (a directory each
    // costs a mkdir per wheel); a second file of the same name, from another
    // index, in a directory of its own.
    const dir = this.names.has(file.filename) ? join(this.tmpDir(), String(this.started.size)) : this.tmpDir();
    this.names.add(file.filename);
    debug(this.ctx, `fetching ${file.filename} while resolving (pinned)`);
    const p = (async () => {
      ensureDir(dir);
      const got = await client.download(file, dir);
      return this.store.addByMove(got.path, got.sha256);
    })();
    p.catch(() => undefined);
    this.started.set(file.url, p);
  }

  /** The fetch started for `file`, if one was. */
  take(file: IndexFile): Promise<StoredWheel> | undefined {
    return this.started.get(file.url);
  }

  /** Waits for every fetch to end (the client closed first cuts short what nobody wants), and removes the downloads' directory. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.started.values());
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
  }

  private tmpDir(): string {
    return (this.tmp ??= fetchDir(this.ctx, "early"));
  }
}

/**
 * An sdist from the index as a wheel in the store: downloaded (checked
 * against the index's hashes), and built by \`pip wheel --no-deps\` unless
 * the store has a build of that very archive (by its sha256).
 */
export async function buildFromIndex(ctx: Context, target: PackageTarget, file: IndexFile, client: IndexClient, index: IndexOptions): Promise<{ wheel: StoredWheel; sdistSha256: string }> {
  const store = openStore(ctx);
  const known = file.hashes.sha256;
  const before = known ? store.builtFrom({ sdistSha256: known }) : undefined;
  if (before) return { wheel: before, sdistSha256: known! };
  const tmp = fetchDir(ctx, "build");
  try {
    const got = await client.download(file, tmp);
    const built = store.builtFrom({ sdistSha256: got.sha256 });
    if (built) return { wheel: built, sdistSha256: got.sha256 };
    await ensurePip(ctx, target);
    const dest = join(tmp, "built");
    ensureDir(dest);
    // The user's index options: build isolation fetches the build backend from them.
    const code = await runPip(ctx, target, ["wheel", "--no-deps", "--quiet", "--wheel-dir", dest, ...indexArgs(index), got.path], { why: `building ${file.filename} into a wheel` });
    if (code !== 0) throw new PipFetchError("wheel", code);
    const made = readdirSync(dest).filter((f) => f.endsWith(".whl"));
    if (made.length !== 1) throw new VenvctlError(`pip wheel made ${made.length} wheels from ${file.filename}`, { hint: `try \`pip wheel --no-deps ${got.path}\` to see what it makes` });
    const stored = await store.addByMove(join(dest, made[0]!));
    store.recordBuild({ sdistSha256: got.sha256 }, stored.sha256);
    debug(ctx, `built ${file.filename} (sha256 ${got.sha256.slice(0, 12)}…) into ${made[0]}, kept in the store`);
    return { wheel: stored, sdistSha256: got.sha256 };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** An sdist's METADATA for the resolver, from its build (buildFromIndex). */
export async function builtMetadata(ctx: Context, target: PackageTarget, file: IndexFile, client: IndexClient, index: IndexOptions): Promise<string> {
  const { wheel } = await buildFromIndex(ctx, target, file, client, index);
  const { wheelMetadata } = await import("../index/archive-metadata.js");
  let data: Buffer;
  try {
    data = readFileSync(wheel.path);
  } catch (err) {
    throw withPath(err, "read", wheel.path);
  }
  return wheelMetadata(data, file.project);
}

/** The store's wheels for `dists` (each in `native.files`): downloaded or built. */
export async function fetchFromIndex(
  ctx: Context,
  target: PackageTarget,
  dists: readonly ResolvedDist[],
  native: IndexFetch,
  index: IndexOptions,
): Promise<Map<ResolvedDist, StoredWheel>> {
  const out = new Map<ResolvedDist, StoredWheel>();
  if (!dists.length) return out;
  debug(ctx, `fetching from the index: ${dists.map((d) => d.fileName).join(", ")}`);
  const store = openStore(ctx);
  const tmp = fetchDir(ctx, "fetch");
  try {
    await Promise.all(dists.map(async (d) => {
      const file = native.files.get(d)!;
      if (file.kind === "sdist") {
        out.set(d, (await buildFromIndex(ctx, target, file, native.client, index)).wheel);
        return;
      }
      const early = native.early?.take(file);
      if (early) {
        out.set(d, await early);
        return;
      }
      const got = await native.client.download(file, tmp);
      out.set(d, await store.addByMove(got.path, got.sha256));
    }));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}
