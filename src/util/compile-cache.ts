// V8's code cache for venvctl's own bundles, under `<cache>/v8/`: a command
// that loads ~600 KB of JavaScript spends 15–20 ms of its start compiling it;
// from the cache that is a read. Node 22.1+ has this built in
// (module.enableCompileCache); on Node 20 venvctl keeps one itself, for its
// own dist/ files only, through the CommonJS loader's _compile.
//
// An entry is named by what identifies the file's bytes without hashing
// them: its inode, size, mtime and ctime (npm sets every mtime of a package
// alike, and V8's own check compares only the source's length, so the
// others matter), under a directory per V8 version. A missing or rejected
// entry is written at exit, beside and renamed into place. Nothing here may
// fail a command: every error means "compile as usual". Only the `v8`
// directory is made, and only inside a cache directory that exists (never a
// recursive mkdir: on /proc that would not return; context.ts refuses such
// a cache before any command runs). NODE_DISABLE_COMPILE_CACHE=1 turns it
// off, as it does Node's own.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { resolveDirs } from "./dirs.js";

interface CompilingModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

/** What the process tells the cache (main.ts reads it: only it and context.ts touch `process`). */
export interface CompileCacheHost {
  env: Record<string, string | undefined>;
  /** The V8 version and the CPU architecture: an entry is for one V8 on one machine. */
  v8: string;
  arch: string;
  pid: number;
  /** Runs `f` when the process exits. */
  atExit(f: () => void): void;
}

/** Turns the code cache on for the files in `distDir` (the directory main.cjs is in). */
export function enableCompileCache(distDir: string, host: CompileCacheHost): void {
  const env = host.env;
  if (env.NODE_DISABLE_COMPILE_CACHE) return;
  let dir: string;
  try {
    const cache = resolveDirs(env, env.HOME || homedir()).cache;
    if (!statSync(cache).isDirectory()) return;
    dir = join(cache, "v8");
    mkdirOnce(dir);
  } catch {
    return;
  }
  const builtIn = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (builtIn) {
    try {
      builtIn(dir);
    } catch {
      // Compiled as usual.
    }
    return;
  }
  hookCompile(distDir, join(dir, `v8-${host.v8}-${host.arch}`), host);
}

function mkdirOnce(dir: string): void {
  try {
    mkdirSync(dir, 0o700);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
}

function hookCompile(distDir: string, dir: string, host: CompileCacheHost): void {
  const proto = (Module as unknown as { prototype: CompilingModule }).prototype;
  const original = proto._compile;
  const prefix = distDir.endsWith("/") || distDir.endsWith("\\") ? distDir : `${distDir}${distDir.includes("\\") ? "\\" : "/"}`;
  /** dist/vendor/tar.cjs → vendor.tar.cjs, as the bundles are named after their paths. */
  const entryName = (filename: string) => filename.slice(prefix.length).replace(/[\\/]/g, ".");
  const toWrite: Array<{ name: string; file: string; script: Script }> = [];
  proto._compile = function (this: CompilingModule, content: string, filename: string) {
    if (!filename.startsWith(prefix)) return original.call(this, content, filename);
    let file: string;
    let cachedData: Buffer | undefined;
    try {
      const st = statSync(filename, { bigint: true });
      file = join(dir, `${entryName(filename)}-${st.ino}-${st.size}-${st.mtimeNs}-${st.ctimeNs}`);
      try {
        cachedData = readFileSync(file);
      } catch {
        cachedData = undefined;
      }
    } catch {
      return original.call(this, content, filename);
    }
    const script = new Script((Module as unknown as { wrap(s: string): string }).wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) toWrite.push({ name: entryName(filename), file, script });
    const fn = script.runInThisContext() as (...args: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
  };
  host.atExit(() => {
    if (!toWrite.length) return;
    try {
      mkdirOnce(dir);
    } catch {
      return;
    }
    // At exit, the functions the command ran are compiled too, and go in with the rest.
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // Nothing to replace.
    }
    for (const { name, file, script } of toWrite) {
      const tmp = `${file}.${host.pid}.tmp`;
      try {
        const data = script.createCachedData();
        const fd = openSync(tmp, "wx", 0o600);
        try {
          for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, file);
        // The same bundle's entries for its earlier builds are of no more use.
        for (const n of names) if (n.startsWith(`${name}-`) && !n.endsWith(".tmp") && join(dir, n) !== file) rmSync(join(dir, n), { force: true });
      } catch {
        rmSync(tmp, { force: true });
      }
    }
  });
}
