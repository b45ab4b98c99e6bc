// Creation is atomic: a Ctrl-C at any moment leaves either no environment
// (or, with --clear, the old one intact) or a complete one, and never a
// temporary directory beside it. Checked as a property: `venvctl create` is
// interrupted with SIGINT at many different moments of its run. A SIGKILL
// cannot be answered: after one the target is absent, the old env or the new
// one, and the next run settles what the killed one left, leaving nothing
// beside the target — checked with kills at every change to the file system
// (test/helpers/fs-fault.cjs) and at moments in time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { describeResult, runCli, CLI, PROJECT_ROOT } from "../helpers/run-cli.js";
import { startStoppedAt } from "../helpers/stopped-cli.js";

const PY312 = pyenvPython("3.12")!;

/** Runs `venvctl ARGS`, sends SIGINT after `delayMs`, and answers the exit code. */
function interruptAfter(args: string[], sb: Sandbox, delayMs: number): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: sb.work, env: sb.env, stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGINT"), delayMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Whether `dir` is a whole venv: config, interpreter link, activation, and pip when seeded. */
function isComplete(dir: string, seeded: boolean): boolean {
  const needed = ["pyvenv.cfg", "bin/python", "bin/python3", "bin/activate", "bin/activate.fish", "bin/activate.csh", ".gitignore"];
  if (seeded) needed.push("bin/pip", "lib/python3.12/site-packages/pip/__init__.py");
  return needed.every((p) => existsSync(join(dir, p)));
}

/** The delays to interrupt at: from before start-up is over to after the run has ended. */
function delays(totalMs: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.round((i * totalMs * 1.3) / (count - 1)));
}

/**
 * Makes work/env, the old env the --clear tests replace, with a file that
 * tells it from the new one; answers both paths.
 */
function makeOldEnv(sb: Sandbox, seeded = false): { dir: string; marker: string } {
  const dir = join(sb.work, "env");
  const r = runCli(["create", ...(seeded ? [] : ["--without-pip"]), "-p", PY312, dir], { cwd: sb.work, env: sb.env });
  assert.equal(r.code, 0, describeResult(r));
  const marker = join(dir, "lib", "python3.12", "site-packages", "old-marker.py");
  writeFileSync(marker, "# the old env\n");
  return { dir, marker };
}

/** How long an uninterrupted run takes here (the machine is shared: measured, not assumed). */
function measure(args: string[], sb: Sandbox): number {
  const start = Date.now();
  const r = runCli(args, { cwd: sb.work, env: sb.env });
  assert.equal(r.code, 0, describeResult(r));
  return Date.now() - start;
}

test("Ctrl-C at any moment of create leaves nothing, or a complete environment", async (t) => {
  const sb = makeSandbox(t);
  // Warm the probe and the wheel cache, so the interrupted runs do only the
  // building, and time a warm run to spread the interrupts over.
  measure(["create", "-p", PY312, "warm"], sb);
  const total = measure(["create", "-p", PY312, "warm2"], sb);
  const outcomes = { none: 0, complete: 0 };
  for (const [i, delay] of delays(total, 24).entries()) {
    const dir = `env${i}`;
    const { code, signal } = await interruptAfter(["create", "-p", PY312, dir], sb, delay);
    const target = join(sb.work, dir);
    if (existsSync(target)) {
      assert.ok(isComplete(target, true), `interrupted after ${delay} ms (exit ${code}): ${dir} exists but is not complete: ${readdirSync(target).join(", ")}`);
      outcomes.complete++;
    } else {
      // Cut short: by venvctl's handler (exit 130), or by the signal itself
      // when it came before Node had started running venvctl.
      assert.ok(code === 130 || (code === null && signal === "SIGINT"),
        `interrupted after ${delay} ms: no env, so the run must have been cut short (exit ${code}, signal ${signal})`);
      outcomes.none++;
    }
    const litter = readdirSync(sb.work).filter((n) => n.startsWith("."));
    assert.deepEqual(litter, [], `interrupted after ${delay} ms: nothing left beside the target`);
  }
  t.diagnostic(`interrupted runs: ${outcomes.none} left nothing, ${outcomes.complete} completed (an uninterrupted run took ${total} ms)`);
  assert.ok(outcomes.none > 0, "some runs were interrupted before the rename (else the property was not exercised)");
});

test("Ctrl-C during create --clear leaves the old environment intact, or the new one complete", async (t) => {
  const sb = makeSandbox(t);
  measure(["create", "-p", PY312, "warm"], sb);
  const total = measure(["create", "-p", PY312, "warm2"], sb);
  const { dir, marker } = makeOldEnv(sb);
  let replaced = 0;
  for (const delay of delays(total, 16)) {
    await interruptAfter(["create", "--clear", "-p", PY312, dir], sb, delay);
    assert.ok(existsSync(join(dir, "pyvenv.cfg")), `after ${delay} ms: a venv is always there`);
    if (existsSync(marker)) {
      assert.equal(readFileSync(marker, "utf8"), "# the old env\n", `after ${delay} ms: the old env is intact`);
      assert.ok(isComplete(dir, false), `after ${delay} ms: the old env is whole`);
    } else {
      assert.ok(isComplete(dir, true), `after ${delay} ms: the new env is complete`);
      replaced++;
      writeFileSync(marker, "# the old env\n"); // the next round replaces this one
    }
    assert.deepEqual(readdirSync(sb.work).filter((n) => n.startsWith(".")), [], `after ${delay} ms: nothing left beside it`);
  }
  t.diagnostic(`${replaced} of 16 interrupted --clear runs completed the swap`);
});

const FS_FAULT = join(PROJECT_ROOT, "test", "helpers", "fs-fault.cjs");
/** The name of the marker venvctl writes into a directory it sets beside a target (src/util/owned-dir.ts). */
const OWNER_MARKER = ".venvctl-owner";

/** Runs `venvctl ARGS` with test/helpers/fs-fault.cjs preloaded and FS_FAULT_* set. */
function runWithFault(args: string[], sb: Sandbox, fault: Record<string, string>) {
  return spawnSync(process.execPath, ["--require", FS_FAULT, CLI, ...args], {
    cwd: sb.work, env: { ...sb.env, ...fault }, encoding: "utf8", timeout: 120_000,
  });
}


/** Entries beside the targets: anything hidden in the working directory. */
function siblings(sb: Sandbox): string[] {
  return readdirSync(sb.work).filter((n) => n.startsWith("."));
}

test("SIGKILL before any change create --clear makes: the target is absent, old or new, and the next run restores it and leaves nothing beside it", (t) => {
  const sb = makeSandbox(t);
  const { dir, marker } = makeOldEnv(sb);
  const seen = { absent: 0, old: 0, new: 0 };
  let n = 1;
  for (; n < 500; n++) {
    const r = runWithFault(["create", "--clear", "--without-pip", "-p", PY312, dir], sb, { FS_FAULT_KILL_AT: String(n) });
    if (r.signal !== "SIGKILL") {
      assert.equal(r.status, 0, `not killed at change ${n}, so it must have finished: ${r.stderr}`);
      break;
    }
    // Right after the kill.
    let state: keyof typeof seen;
    if (!existsSync(dir)) state = "absent";
    else if (existsSync(marker)) {
      assert.equal(readFileSync(marker, "utf8"), "# the old env\n", `killed at change ${n}: the old env is intact`);
      assert.ok(isComplete(dir, false), `killed at change ${n}: the old env is whole`);
      state = "old";
    } else {
      assert.ok(isComplete(dir, false), `killed at change ${n}: the target is the new env, complete: ${readdirSync(dir).join(", ")}`);
      state = "new";
    }
    seen[state]++;
    // The next run: every other time a create of the target itself, else a
    // create of another directory beside it.
    const next = n % 2 ? ["create", "--without-pip", "-p", PY312, dir] : ["create", "--without-pip", "-p", PY312, "other"];
    const rn = runCli(next, { cwd: sb.work, env: sb.env });
    if (n % 2) {
      assert.equal(rn.code, 1, describeResult(rn));
      assert.match(rn.stderr, /already a virtual environment/, `killed at change ${n} (${state}): the next run sees the venv`);
    } else {
      assert.equal(rn.code, 0, describeResult(rn));
      rmSync(join(sb.work, "other"), { recursive: true });
    }
    assert.deepEqual(siblings(sb), [], `killed at change ${n} (${state}): the next run leaves nothing beside the target`);
    assert.ok(!existsSync(join(dir, OWNER_MARKER)), `killed at change ${n} (${state}): no marker left in the target`);
    assert.ok(isComplete(dir, false), `killed at change ${n} (${state}): after the next run the target is a whole venv`);
    if (existsSync(marker)) assert.equal(readFileSync(marker, "utf8"), "# the old env\n");
    else writeFileSync(marker, "# the old env\n"); // the next round replaces this one
  }
  t.diagnostic(`killed at each of ${n - 1} changes: right after, the target was absent ${seen.absent}, old ${seen.old}, new ${seen.new} times`);
  assert.ok(seen.absent > 0 && seen.old > 0 && seen.new > 0, "every state of the swap was exercised");
});

test("SIGKILL before any change a plain create makes: nothing or a complete env, and the next run leaves nothing beside it", (t) => {
  const sb = makeSandbox(t);
  let n = 1;
  for (; n < 500; n++) {
    const dir = join(sb.work, `env${n}`);
    const r = runWithFault(["create", "--without-pip", "-p", PY312, dir], sb, { FS_FAULT_KILL_AT: String(n) });
    if (r.signal !== "SIGKILL") {
      assert.equal(r.status, 0, `not killed at change ${n}, so it must have finished: ${r.stderr}`);
      break;
    }
    if (existsSync(dir)) assert.ok(isComplete(dir, false), `killed at change ${n}: ${dir} exists, so it is complete`);
    const rn = runCli(["create", "--without-pip", "-p", PY312, "other"], { cwd: sb.work, env: sb.env });
    assert.equal(rn.code, 0, describeResult(rn));
    rmSync(join(sb.work, "other"), { recursive: true });
    assert.deepEqual(siblings(sb), [], `killed at change ${n}: the next run leaves nothing beside the target`);
  }
  assert.ok(n > 5, `the property was exercised (${n - 1} kills)`);
});

test("SIGKILL at any moment of create --clear (seeding pip): the next run leaves the old env or the new one, and nothing beside it", async (t) => {
  const sb = makeSandbox(t);
  measure(["create", "-p", PY312, "warm"], sb);
  const total = measure(["create", "-p", PY312, "warm2"], sb);
  const { dir, marker } = makeOldEnv(sb, true);
  let replaced = 0;
  for (const delay of delays(total, 24)) {
    await killAfter(["create", "--clear", "-p", PY312, dir], sb, delay);
    if (existsSync(dir)) assert.ok(isComplete(dir, true), `killed after ${delay} ms: the target is a whole env`);
    const rn = runCli(["create", "--without-pip", "-p", PY312, "other"], { cwd: sb.work, env: sb.env });
    assert.equal(rn.code, 0, describeResult(rn));
    rmSync(join(sb.work, "other"), { recursive: true });
    assert.deepEqual(siblings(sb), [], `killed after ${delay} ms: the next run leaves nothing beside the target`);
    assert.ok(isComplete(dir, true), `killed after ${delay} ms: after the next run the target is a whole env`);
    if (existsSync(marker)) {
      assert.equal(readFileSync(marker, "utf8"), "# the old env\n", `killed after ${delay} ms: the old env is intact`);
    } else {
      replaced++;
      writeFileSync(marker, "# the old env\n");
    }
  }
  t.diagnostic(`${replaced} of 24 killed --clear runs had completed the swap (an uninterrupted run took ${total} ms)`);
});

/** Runs `venvctl ARGS` and SIGKILLs it after `delayMs`. */
function killAfter(args: string[], sb: Sandbox, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: sb.work, env: sb.env, stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}


test("a venv that became something else while --clear built its replacement is not deleted", async (t) => {
  const sb = makeSandbox(t);
  const { dir } = makeOldEnv(sb);
  // Stopped right before the old env is moved aside (so after it was checked
  // before the swap): the user's files arrive, the check after the move sees them.
  const run = await startStoppedAt(t, ["create", "--clear", "--without-pip", "-p", PY312, dir], sb, "renameSync", dir);
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "main.py"), "print('mine')\n");
  run.resume();
  const { code, stderr } = await run.ended;
  assert.equal(code, 1, stderr);
  assert.match(stderr, /^error: refusing to clear .*env: it is no longer a virtual environment \(it holds src, which a venv does not\)$/m);
  assert.match(stderr, /^hint: /m);
  assert.equal(readFileSync(join(dir, "src", "main.py"), "utf8"), "print('mine')\n");
  assert.ok(isComplete(dir, false), "the old env is back in place");
  assert.ok(!existsSync(join(dir, OWNER_MARKER)), "no marker left in it");
  assert.deepEqual(siblings(sb), []);
});

test("a live run's build and its old env are left alone by other runs", async (t) => {
  const sb = makeSandbox(t);
  const { dir } = makeOldEnv(sb);
  const run = await startStoppedAt(t, ["create", "--clear", "--without-pip", "-p", PY312, dir], sb, "renameSync", dir);
  const before = siblings(sb);
  assert.equal(before.length, 1, `its build is beside the target: ${before.join(", ")}`);
  assert.ok(existsSync(join(dir, OWNER_MARKER)), "the old env carries the live run's marker");
  // Two other runs that settle what killed runs left: a create beside it,
  // and one of the target itself (refused: it is a venv).
  const r1 = runCli(["create", "--without-pip", "-p", PY312, "other"], { cwd: sb.work, env: sb.env });
  assert.equal(r1.code, 0, describeResult(r1));
  const r2 = runCli(["create", "--clear", "--without-pip", "-p", PY312, dir], { cwd: sb.work, env: sb.env });
  assert.equal(r2.code, 1, describeResult(r2));
  assert.match(r2.stderr, /is being replaced by another venvctl run/);
  assert.deepEqual(siblings(sb), before, "the live run's build is still there");
  assert.ok(existsSync(join(dir, OWNER_MARKER)), "and its marker in the target");
  run.resume();
  const { code, stderr } = await run.ended;
  assert.equal(code, 0, stderr);
  assert.deepEqual(siblings(sb), []);
  assert.ok(isComplete(dir, false) && !existsSync(join(dir, OWNER_MARKER)), "the new env is complete, with no marker left in it");
});
