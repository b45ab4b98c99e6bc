// Operating-system errors as the user reads them: the errno table (every
// entry has words and a hint), rendering at the top (`error:`, never "a
// bug"), call sites naming the user's path, and the helpers that used to
// crash or hang on them: ensureDir, removeOwnedTree, the requirements parser.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isSystemError, osError, renderError, VenvctlError, withPath, type SystemError } from "../../src/errors.js";
import { commandLineRequirement, emptyParse, readRequirementsFile } from "../../src/pip/requirements-file.js";
import { pseudoFileSystemOf } from "../../src/util/dirs.js";
import { ensureDir, removeOwnedTree } from "../../src/util/fs.js";
import { makeSandbox } from "../helpers/hermetic.js";

/** The error a real failing call throws. */
function thrown(fn: () => unknown): SystemError {
  try {
    fn();
  } catch (err) {
    assert.ok(isSystemError(err), `a system error: ${String(err)}`);
    return err;
  }
  assert.fail("expected the call to fail");
}

test("a system error that reaches the top is an `error:` with the path, the cause and a hint, not a bug", (t) => {
  const sb = makeSandbox(t);
  const file = join(sb.work, "afile");
  writeFileSync(file, "");
  const err = thrown(() => mkdirSync(join(file, "env")));
  const { text, exitCode } = renderError(err);
  assert.equal(exitCode, 1);
  assert.equal(text, [
    `error: cannot create directory ${file}/env: not a directory (ENOTDIR)`,
    `hint: ${file} is a file, not a directory, so nothing can be below it; choose another path`,
    "",
  ].join("\n"));
  // A bug is still a bug.
  assert.match(renderError(new TypeError("x is undefined")).text, /^error: internal error \(this is a bug in venvctl\)/);
});

test("every errno the table words has words and a hint; others use libuv's words", () => {
  const codes = ["EACCES", "EPERM", "ENOENT", "ENOTDIR", "EISDIR", "EEXIST", "ENOTEMPTY", "ENOSPC", "EDQUOT", "EROFS",
    "ELOOP", "ENAMETOOLONG", "EMFILE", "ENFILE", "EIO", "EBUSY", "EXDEV", "EMLINK", "EFBIG", "ETXTBSY", "ENOMEM"];
  for (const code of [...codes, "ESOMETHINGNEW"]) {
    const err = Object.assign(new Error(`${code}: something went wrong, open '/x/y'`), { code, errno: -1, syscall: "open", path: "/x/y" });
    const e = osError(err);
    assert.match(e.message, new RegExp(`^cannot open /x/y: [a-z][^()]+ \\(${code}\\)$`), code);
    assert.ok(e.hint && e.hint.length > 20, `${code} has a hint`);
    assert.doesNotMatch(renderError(err).text, /bug/, code);
  }
  const odd = Object.assign(new Error("ESOMETHINGNEW: something went wrong, open '/x/y'"), { code: "ESOMETHINGNEW", errno: -1, syscall: "open", path: "/x/y" });
  assert.equal(osError(odd).message, "cannot open /x/y: something went wrong (ESOMETHINGNEW)");
});

test("a call site names the user's path; the failing call is the `Caused by:`", (t) => {
  const sb = makeSandbox(t);
  const err = thrown(() => mkdirSync(join(sb.work, "missing", ".env.venvctl-build-1")));
  const { text } = renderError(withPath(err, "create", join(sb.work, "missing", "env")));
  assert.equal(text.split("\n")[0], `error: cannot create ${sb.work}/missing/env: no such file or directory (ENOENT)`);
  assert.equal(text.split("\n")[1], `  Caused by: mkdir ${sb.work}/missing/.env.venvctl-build-1`);
  assert.match(text, /^hint: /m);
  // Not a system error: returned as it is.
  const other = new VenvctlError("something else");
  assert.equal(withPath(other, "create", "/x"), other);
});

test("a VenvctlError caused by a system error: the cause in words, and its hint when it has none", () => {
  const cause = Object.assign(new Error("EROFS: read-only file system, open '/mnt/ro/x'"), { code: "EROFS", errno: -30, syscall: "open", path: "/mnt/ro/x" });
  const { text } = renderError(new VenvctlError("cannot write the shims", { cause }));
  assert.match(text, /^ {2}Caused by: open \/mnt\/ro\/x: read-only file system \(EROFS\)$/m);
  assert.match(text, /^hint: .* is on a file system mounted read-only/m);
});

test("ensureDir: makes what is missing, answers it; under /proc it fails at once instead of spinning", (t) => {
  const sb = makeSandbox(t);
  const deep = join(sb.work, "a", "b", "c");
  assert.deepEqual(ensureDir(deep), [join(sb.work, "a"), join(sb.work, "a", "b"), deep]);
  assert.ok(statSync(deep).isDirectory());
  assert.deepEqual(ensureDir(deep), [], "nothing new the second time");
  // Node's recursive mkdir never returns here; ours throws mkdir's ENOENT.
  if (existsSync("/proc/self")) {
    const err = thrown(() => ensureDir("/proc/venvctl-test/cache"));
    assert.equal(err.code, "ENOENT");
    assert.match(osError(err).hint ?? "", /^\/proc does not take new directories/);
  }
});

test("ensureDir: a failure half-way removes what it made; a file in the way is ENOTDIR or EEXIST", (t) => {
  const sb = makeSandbox(t);
  const err = thrown(() => ensureDir(join(sb.work, "a", "b", "n".repeat(300))));
  assert.equal(err.code, "ENAMETOOLONG");
  assert.deepEqual(readdirSync(sb.work), [], "a and a/b removed again");
  writeFileSync(join(sb.work, "afile"), "");
  assert.equal(thrown(() => ensureDir(join(sb.work, "afile", "x"))).code, "ENOTDIR");
  assert.equal(thrown(() => ensureDir(join(sb.work, "afile"))).code, "EEXIST");
});

test("removeOwnedTree: a path through a file does not exist, so there is nothing to remove (no throw)", (t) => {
  const sb = makeSandbox(t);
  writeFileSync(join(sb.work, "afile"), "");
  removeOwnedTree(join(sb.work, "afile", ".env.venvctl-build-1"));
  assert.deepEqual(readdirSync(sb.work), ["afile"]);
});

test("pseudoFileSystemOf: /proc and /sys (also below a missing path), not a disk or /dev/shm", (t) => {
  const sb = makeSandbox(t);
  if (existsSync("/proc/self")) {
    assert.equal(pseudoFileSystemOf("/proc"), "proc");
    assert.equal(pseudoFileSystemOf("/proc/venvctl-test/cache"), "proc");
  }
  if (existsSync("/sys/kernel")) assert.equal(pseudoFileSystemOf("/sys/venvctl-test"), "sysfs");
  assert.equal(pseudoFileSystemOf(join(sb.work, "missing", "cache")), undefined);
  if (existsSync("/dev/shm")) assert.equal(pseudoFileSystemOf("/dev/shm/venvctl"), undefined);
});

test("the requirements parser on random lines with unreachable paths: only its own errors, never a crash", (t) => {
  // Fuzzing found 87 crashes here, all stat failing with ENOTDIR, ELOOP or
  // ENAMETOOLONG where pip's os.path.isdir/isfile answer False.
  const sb = makeSandbox(t);
  writeFileSync(join(sb.work, "afile"), "");
  symlinkSync("loop", join(sb.work, "loop"));
  mkdirSync(join(sb.work, "d"));
  const atoms = ["afile", "afile/x", "loop", "loop/x", "d", "n".repeat(300), "./", "../", ".whl", ".tar.gz", ".zip",
    "[e]", "@", " ", "==1", ";", "-r ", "-c ", "-e ", "#", "\\", "foo", "file:", "/"];
  let seed = 20261126;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const file = join(sb.work, "r.txt");
  for (let i = 0; i < 3000; i++) {
    let line = "";
    for (let k = 1 + rnd(6); k > 0; k--) line += rnd(3) ? atoms[rnd(atoms.length)] : String.fromCharCode(32 + rnd(95));
    writeFileSync(file, line + "\n");
    for (const read of [
      () => readRequirementsFile("r.txt", false, { cwd: sb.work, env: {} }, emptyParse()),
      () => commandLineRequirement(line, false, sb.work),
    ]) {
      try {
        read();
      } catch (err) {
        assert.ok(err instanceof VenvctlError, `${JSON.stringify(line)}: ${(err as Error).stack}`);
      }
    }
  }
});
