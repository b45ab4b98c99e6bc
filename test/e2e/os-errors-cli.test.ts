// Operating-system errors end to end: each is `error:` naming the path the
// user gave and the cause in words, a `hint:` fitting the errno, exit 1 (2
// for usage), nothing left behind, and never "internal error" or a hang.
// Permission cases drop privileges themselves (CI runs as root); file-system
// cases mount a small tmpfs where the machine allows it, and say so where not.
import { describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { requireOrSkip } from "../helpers/require.js";
import { CLI, describeResult, runCli, type CliResult } from "../helpers/run-cli.js";
import { unprivileged } from "../helpers/unprivileged.js";
import { buildWheel } from "../helpers/wheel-builder.js";

const PY312 = pyenvPython("3.12");
/** Readable by any user (pyenv's interpreters are under /root, mode 0700). */
const SYSTEM_PYTHON = "/usr/bin/python3.11";
// Hangs are what some of these cases used to do: a limit, generous, to catch one.
const HANG_LIMIT_MS = 60_000;

const BUG = /internal error|this is a bug|\n\s+at /;

/** The common shape: exit code, `error:` line, a `hint:`, no stack trace. */
function assertOsError(r: CliResult, code: number, error: RegExp, hint: RegExp): void {
  assert.equal(r.code, code, describeResult(r));
  assert.doesNotMatch(r.stderr, BUG, describeResult(r));
  assert.match(r.stderr, error, describeResult(r));
  assert.match(r.stderr, hint, describeResult(r));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Mounts a tmpfs with `options` on `dir` for the length of `fn`. Answers
 * false (the test skipped, saying why) where mounting is not allowed.
 */
function withTmpfs(t: TestContext, dir: string, options: string, fn: () => void): boolean {
  mkdirSync(dir, { recursive: true });
  const m = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { encoding: "utf8" });
  if (!requireOrSkip(t, m.status === 0, `mounting a tmpfs is not allowed here (${(m.stderr || m.error?.message || "").trim()})`)) return false;
  try {
    fn();
  } finally {
    spawnSync("umount", [dir]);
  }
  return true;
}

describe("create where the file system says no", () => {
  test("a parent the user cannot write (EACCES): names the env and the directory; nothing made", (t) => {
    if (!requireOrSkip(t, existsSync(SYSTEM_PYTHON), `${SYSTEM_PYTHON} (readable by an unprivileged user) is needed`)) return;
    const sb = makeSandbox(t);
    const locked = join(sb.work, "locked");
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    // root writes anywhere: as root, the CLI runs as nobody.
    const as = unprivileged(t, sb);
    if (!as) return;
    const run = (args: string[]): CliResult => as.run(process.execPath, [as.cli, ...args], { timeoutMs: HANG_LIMIT_MS });
    const r = run(["create", "-p", SYSTEM_PYTHON, "--without-pip", "locked/env"]);
    assertOsError(r, 1,
      new RegExp(`^error: cannot create ${escape(locked)}/env: permission denied \\(EACCES\\)$`, "m"),
      new RegExp(`^hint: you may not write in ${escape(locked)}: .*namei -l ${escape(locked)}.*choose a place you own$`, "m"));
    assert.deepEqual(readdirSync(locked), [], "nothing left in the locked directory");

    // A missing parent under it: the mkdir of the parent is what fails.
    const deeper = run(["create", "-p", SYSTEM_PYTHON, "--without-pip", "locked/a/b/env"]);
    assertOsError(deeper, 1, new RegExp(`^error: cannot create ${escape(locked)}/a/b/env: permission denied \\(EACCES\\)$`, "m"), /^hint: you may not write in /m);
    assert.deepEqual(readdirSync(locked), []);
  });

  test("through a file (ENOTDIR): the hint names the file; nothing made", (t) => {
    if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
    const sb = makeSandbox(t);
    writeFileSync(join(sb.work, "afile"), "not a directory\n");
    for (const target of ["afile/env", "afile/sub/env"]) {
      const r = runCli(["create", "-p", PY312!, "--without-pip", target], { cwd: sb.work, env: sb.env, timeoutMs: HANG_LIMIT_MS });
      assertOsError(r, 1,
        new RegExp(`^error: cannot create ${escape(join(sb.work, target))}: not a directory \\(ENOTDIR\\)$`, "m"),
        new RegExp(`^hint: ${escape(join(sb.work, "afile"))} is a file, not a directory`, "m"));
      assert.deepEqual(readdirSync(sb.work), ["afile"], `${target}: nothing left`);
    }
  });

  // A small tmpfs each: full in the middle of seeding pip, out of inodes, read-only.
  const mounts: Array<{ what: string; options: string; words: string; hint: (dir: string) => RegExp }> = [
    {
      what: "a full file system (ENOSPC), in the middle of seeding pip",
      options: "size=1m",
      words: "no space left on device \\(ENOSPC\\)",
      hint: (dir) => new RegExp(`^hint: the file system holding ${escape(dir)} is full: .*df -h ${escape(dir)}`, "m"),
    },
    {
      what: "out of inodes (ENOSPC from nr_inodes)",
      options: "size=64m,nr_inodes=24",
      words: "no space left on device \\(ENOSPC\\)",
      hint: () => /^hint: .*no space or no inodes left.*df -i/m,
    },
    {
      what: "a read-only file system (EROFS)",
      options: "ro,size=1m",
      words: "read-only file system \\(EROFS\\)",
      hint: (dir) => new RegExp(`^hint: ${escape(dir)} is on a file system mounted read-only`, "m"),
    },
  ];
  for (const m of mounts) {
    test(`${m.what}: names the env; no partial env left`, (t) => {
      if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
      const sb = makeSandbox(t);
      const dir = join(sb.work, "mnt");
      withTmpfs(t, dir, m.options, () => {
        const r = runCli(["create", "-p", PY312!, "mnt/env"], { cwd: sb.work, env: sb.env, timeoutMs: HANG_LIMIT_MS });
        assertOsError(r, 1, new RegExp(`^error: cannot create ${escape(dir)}/env: ${m.words}$`, "m"), m.hint(dir));
        assert.deepEqual(readdirSync(dir), [], "the partial build is removed");
      });
    });
  }

  test("create under /proc: an error, not an endless mkdir", (t) => {
    if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
    if (!requireOrSkip(t, existsSync("/proc/self"), "/proc is needed")) return;
    const sb = makeSandbox(t);
    const r = runCli(["create", "-p", PY312!, "--without-pip", "/proc/venvctl-test/env"], { cwd: sb.work, env: sb.env, timeoutMs: HANG_LIMIT_MS });
    assertOsError(r, 1,
      /^error: cannot create \/proc\/venvctl-test\/env: no such file or directory \(ENOENT\)$/m,
      /^hint: \/proc does not take new directories \(a pseudo file system/m);
  });
});

describe("pseudo file systems: refused, never a hang", () => {
  test("VENVCTL_CACHE_DIR or VENVCTL_ROOT under /proc or /sys: refused at once, naming the variable", (t) => {
    if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
    if (!requireOrSkip(t, existsSync("/proc/self"), "/proc is needed")) return;
    const sb = makeSandbox(t);
    const cases: Array<[string, string, string[], string]> = [
      ["VENVCTL_CACHE_DIR", "/proc/venvctl-test/cache", ["create", "-p", PY312!, "env"], "proc"],
      ["VENVCTL_ROOT", "/proc/venvctl-test/root", ["create", "-p", PY312!, "env"], "proc"],
      ["VENVCTL_CACHE_DIR", "/sys/venvctl-test", ["version"], "sysfs"],
    ];
    for (const [variable, dir, args, fs] of cases) {
      const r = runCli(args, { cwd: sb.work, env: { ...sb.env, [variable]: dir }, timeoutMs: HANG_LIMIT_MS });
      assertOsError(r, 1,
        new RegExp(`^error: venvctl's (cache|root) directory ${escape(dir)} \\(from ${variable}\\) is on the ${fs} pseudo file system`, "m"),
        new RegExp(`^hint: set ${variable} to a directory on a disk$`, "m"));
      assert.deepEqual(readdirSync(sb.work), [], `${variable}=${dir}: nothing made`);
    }
  });
});

describe("the working directory and the arguments", () => {
  /** Runs the CLI from a shell whose working directory is removed first. */
  const inDeletedDir = (sb: Sandbox, args: string[]): CliResult => {
    const gone = join(sb.work, "gone");
    mkdirSync(gone);
    const r = spawnSync("/bin/sh", ["-c", 'cd "$1" && rmdir "$1" && shift && exec "$@"', "sh", gone, process.execPath, CLI, ...args], {
      env: sb.env, encoding: "utf8", timeout: HANG_LIMIT_MS,
    });
    return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
  };

  test("any command in a deleted working directory: names it (from $PWD), says what to do", (t) => {
    const sb = makeSandbox(t);
    for (const args of [["version"], ["create", "env"], ["install", "requests"], ["freeze"]]) {
      const r = inDeletedDir(sb, args);
      assertOsError(r, 1,
        new RegExp(`^error: cannot read the current directory ${escape(join(sb.work, "gone"))}: no such file or directory \\(ENOENT\\)$`, "m"),
        /^hint: the directory was removed .*`cd` to one that exists/m);
      assert.deepEqual(readdirSync(sb.work), [], `${args[0]}: nothing made`);
    }
  });

  /** Runs the CLI with arguments given as shell printf formats (bytes Node cannot be handed directly). */
  const withBytes = (sb: Sandbox, args: string[]): CliResult => {
    const words = args.map((_, i) => `"$(printf '%b' "$${i + 3}")"`).join(" ");
    const r = spawnSync("/bin/sh", ["-c", `exec "$1" "$2" ${words}`, "sh", process.execPath, CLI, ...args], {
      cwd: sb.work, env: sb.env, encoding: "utf8", timeout: HANG_LIMIT_MS,
    });
    return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
  };

  test("a non-UTF-8 path or prompt: refused (exit 2), nothing made under another name", (t) => {
    if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
    const sb = makeSandbox(t);
    const bad = withBytes(sb, ["create", "-p", PY312!, "--without-pip", "x\\0377"]);
    assertOsError(bad, 2, /^error: argument \$'x\\xff' is not valid UTF-8$/m, /^hint: venvctl reads its arguments as UTF-8 and would act on another name/m);
    const prompt = withBytes(sb, ["create", "-p", PY312!, "--without-pip", "--prompt", "caf\\0351", "env"]);
    assertOsError(prompt, 2, /^error: argument \$'caf\\xe9' is not valid UTF-8$/m, /^hint: /m);
    assert.deepEqual(readdirSync(sb.work), [], "neither x\\xff nor x\\uFFFD, nor env, was made");

    // U+FFFD typed as UTF-8 is a name like any other.
    const real = withBytes(sb, ["create", "-p", PY312!, "--without-pip", "y\\0357\\0277\\0275"]);
    assert.equal(real.code, 0, describeResult(real));
    assert.deepEqual(readdirSync(sb.work), ["y\uFFFD"]);
  });
});

describe("requirements whose paths cannot be looked at", () => {
  /** A file in the way, a symlink loop, and a name longer than any file system takes. */
  const paths = (sb: Sandbox) => {
    writeFileSync(join(sb.work, "afile"), "");
    symlinkSync("loop", join(sb.work, "loop"));
    return [
      { dir: "afile", code: "ENOTDIR", words: "not a directory" },
      { dir: "loop", code: "ELOOP", words: "too many levels of symbolic links" },
      { dir: "n".repeat(300), code: "ENAMETOOLONG", words: "file name too long" },
    ];
  };

  test("a requirement naming such a path: a usage error with the cause, not a crash", (t) => {
    const sb = makeSandbox(t);
    for (const { dir, code, words } of paths(sb)) {
      // (An archive name, pkg.whl, is pip's to try, as pip does with a missing file.)
      for (const req of [`${dir}/pkg`, `./${dir}/pkg[extra]`]) {
        const r = runCli(["install", req], { cwd: sb.work, env: sb.env, timeoutMs: HANG_LIMIT_MS });
        assertOsError(r, 2,
          new RegExp(`^error: Invalid requirement: '${escape(req)}'`, "m"),
          new RegExp(`^hint: it looks like a path, which cannot be reached: ${words} \\(${code}\\)`, "m"));
      }
    }
  });

  test("a -r file (or one it includes) whose stat fails: the file, the cause, a hint", (t) => {
    const sb = makeSandbox(t);
    for (const { dir, code, words } of paths(sb)) {
      const r = runCli(["install", "-r", `${dir}/r.txt`], { cwd: sb.work, env: sb.env, timeoutMs: HANG_LIMIT_MS });
      assertOsError(r, 2,
        new RegExp(`^error: ${escape(dir)}/r\\.txt: could not open requirements file ${escape(dir)}/r\\.txt: ${words} \\(${code}\\)$`, "m"),
        /^hint: /m);
      writeFileSync(join(sb.work, "top.txt"), `-r ${dir}/nested.txt\n`);
      const nested = runCli(["install", "-r", "top.txt"], { cwd: sb.work, env: sb.env, timeoutMs: HANG_LIMIT_MS });
      assertOsError(nested, 2, new RegExp(`^error: top\\.txt:1: could not open requirements file ${escape(dir)}/nested\\.txt: ${words}`, "m"), /^hint: /m);
    }
  });
});

describe("uninstall", () => {
  test("without -y and no terminal on stdin: says -y is needed (exit 2); pip does not run", (t) => {
    if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
    const sb = makeSandbox(t);
    const made = runCli(["create", "-p", PY312!, "env"], { cwd: sb.work, env: sb.env });
    assert.equal(made.code, 0, describeResult(made));
    const site = join(sb.work, "env", "lib", "python3.12", "site-packages");
    const before = readdirSync(site).filter((n) => n.startsWith("pip"));
    const r = runCli(["uninstall", "-p", "env", "pip"], { cwd: sb.work, env: sb.env, input: "" });
    assertOsError(r, 2,
      /^error: uninstall asks for confirmation, and stdin is not a terminal to answer on$/m,
      /^hint: pass -y \(--yes\) to uninstall without asking$/m);
    assert.doesNotMatch(r.stderr, /Traceback|EOFError|Uninstalling/);
    assert.deepEqual(readdirSync(site).filter((n) => n.startsWith("pip")), before, "pip is still installed");
  });
});

describe("the ZIP reader", () => {
  test("a seed wheel whose entry inflates past its declared size: a bad wheel, nothing written", (t) => {
    if (!requireOrSkip(t, PY312 !== undefined, "pyenv 3.12 is needed")) return;
    const sb = makeSandbox(t);
    const seeds = join(sb.dir, "seeds");
    // 64 MiB of zeros deflate to 64 KiB; the headers will say 0 bytes.
    const wheel = buildWheel(seeds, {
      name: "pip",
      version: "99.0",
      files: { "pip/__init__.py": "", "pip/bomb.bin": Buffer.alloc(64 * 1024 * 1024) },
    });
    writeFileSync(wheel, declareSize(readFileSync(wheel), "pip/bomb.bin", 0));
    const r = runCli(["create", "-p", PY312!, "--seed-dir", seeds, "env"], { cwd: sb.work, env: sb.env, timeoutMs: HANG_LIMIT_MS });
    assertOsError(r, 1,
      /^error: pip-99\.0-py3-none-any\.whl is not a valid wheel: bad ZIP archive: pip\/bomb\.bin: inflates to more than the 0 bytes the directory says$/m,
      /^/m);
    assert.deepEqual(readdirSync(sb.work), [], "no env, no build directory");
    const wheels = join(sb.cache, "wheels");
    assert.ok(!existsSync(wheels) || readdirSync(wheels).every((n) => n === "keys"), "no cache entry");
  });
});

/** The archive with `name`'s uncompressed size set to `size` in its local and central headers (a lying header). */
function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const bytes = Buffer.from(name, "utf8");
  let patched = 0;
  for (let at = out.indexOf(bytes); at >= 0; at = out.indexOf(bytes, at + 1)) {
    // The name follows a local header's 30 bytes, or a central entry's 46.
    for (const [header, signature, sizeField] of [[30, 0x04034b50, 22], [46, 0x02014b50, 24]] as const) {
      if (at >= header && out.readUInt32LE(at - header) === signature) {
        out.writeUInt32LE(size, at - header + sizeField);
        patched++;
      }
    }
  }
  assert.equal(patched, 2, "both headers patched");
  return out;
}
