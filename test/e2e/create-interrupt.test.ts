// Creation is atomic: a Ctrl-C at any moment leaves either no environment
// (or, with --clear, the old one intact) or a complete one, and never a
// temporary directory beside it. Checked as a property: `venvctl create` is
// interrupted with SIGINT at many different moments of its run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { pyenvPython } from "../helpers/interpreters.js";
import { describeResult, runCli, CLI } from "../helpers/run-cli.js";

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
  const dir = join(sb.work, "env");
  const r = runCli(["create", "--without-pip", "-p", PY312, dir], { cwd: sb.work, env: sb.env });
  assert.equal(r.code, 0, describeResult(r));
  const marker = join(dir, "lib", "python3.12", "site-packages", "old-marker.py");
  writeFileSync(marker, "# the old env\n");
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
