// Stopping the built CLI at an exact moment of its work: right before its
// first OP (a node:fs function, e.g. renameSync) on PATH, through
// test/helpers/fs-fault.cjs; the test changes things, then resumes it.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { Sandbox } from "./hermetic.js";
import { CLI, PROJECT_ROOT } from "./run-cli.js";

const FS_FAULT = join(PROJECT_ROOT, "test", "helpers", "fs-fault.cjs");

/**
 * Starts `venvctl ARGS`, stopped (SIGSTOP) right before its first OP on
 * PATH; answers once it is stopped there, with a promise of how it ends.
 * Linux: it reads the process state from /proc.
 */
export async function startStoppedAt(t: TestContext, args: string[], sb: Sandbox, op: string, path: string) {
  const child: ChildProcess = spawn(process.execPath, ["--require", FS_FAULT, CLI, ...args], {
    cwd: sb.work, env: { ...sb.env, FS_FAULT_STOP_AT: `${op}:${path}` }, stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const ended = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stderr })));
  let exited = false;
  void ended.then(() => (exited = true));
  // A failed assertion must not leave it stopped (and the test runner waiting).
  t.after(() => {
    if (!exited) child.kill("SIGKILL");
  });
  // The state letter in /proc/PID/stat is T once the process has stopped.
  for (;;) {
    if (exited) assert.fail(`venvctl ended before its ${op} of ${path}: ${stderr}`);
    let state = "";
    try {
      state = readFileSync(`/proc/${child.pid}/stat`, "utf8").replace(/^.*\) /s, "")[0] ?? "";
    } catch {
      // not started yet
    }
    if (state === "T") break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { resume: () => child.kill("SIGCONT"), ended };
}
