// `venvctl create [DIR...]`: one interpreter, one or more venvs.
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { withPath } from "../errors.js";
import type { Source } from "../interpreters/discovery.js";
import { findInterpreter } from "../interpreters/selection.js";
import { parsePythonRequest } from "../interpreters/request.js";
import { userPath } from "../platform/windows-paths.js";
import { createVenv, type CreateVenvResult, type OnExisting } from "../venv/create.js";
import type { LinkMode } from "../venv/seed.js";

export interface CreateOptions {
  dirs: string[];
  /** -p/--python SPEC; undefined = the selection chain. */
  python?: string | undefined;
  onExisting: OnExisting;
  systemSitePackages: boolean;
  /** undefined: venv's default on the interpreter's OS. */
  symlinks?: boolean | undefined;
  withPip: boolean;
  prompt?: string | undefined;
  upgradeDeps: boolean;
  seedDir?: string | undefined;
  linkMode: LinkMode;
}

export interface CreateResult {
  envs: CreateVenvResult[];
  source: Source;
}

/** Creates each directory's venv with the one interpreter the request names. */
export async function create(opts: CreateOptions, ctx: Context): Promise<CreateResult> {
  const found = await findInterpreter(ctx, parsePythonRequest(opts.python));
  const envs: CreateVenvResult[] = [];
  const seedDir = opts.seedDir ?? (ctx.env.VENVCTL_SEED_DIR || undefined);
  for (const dir of opts.dirs) {
    // A verbatim path (\\?\C:\...) is written in its plain form where that names the same directory.
    const envDir = userPath(ctx, resolve(ctx.cwd, dir));
    // A failed system call is named by the directory the user gave, not by
    // the build beside it where it happened (that one is the `Caused by:`).
    const created = createVenv(ctx, found.interpreter, {
      envDir,
      onExisting: opts.onExisting,
      systemSitePackages: opts.systemSitePackages,
      symlinks: opts.symlinks,
      prompt: opts.prompt,
      seed: opts.withPip ? { seedDir: seedDir ? resolve(ctx.cwd, seedDir) : undefined, linkMode: opts.linkMode } : undefined,
      upgradeDeps: opts.upgradeDeps,
    }).catch((err: unknown) => {
      throw withPath(err, opts.onExisting === "upgrade" ? "upgrade" : "create", envDir);
    });
    envs.push(await created);
  }
  return { envs, source: found.source };
}
