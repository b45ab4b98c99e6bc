// Skips that say why, and that CI turns into failures: .ci/run sets
// VENVCTL_TEST_REQUIRE_ALL=1, so a required test whose tool is missing fails.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { TestContext } from "node:test";
import assert from "node:assert/strict";

/** Finds an executable on PATH (the test runner's PATH). */
export function which(cmd: string, path = process.env.PATH ?? ""): string | undefined {
  if (cmd.includes("/")) return isExecutable(cmd) ? cmd : undefined;
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, cmd);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const REQUIRE_ALL = process.env.VENVCTL_TEST_REQUIRE_ALL === "1";

/**
 * Answers whether the test may go on. When `ok` is false the test is skipped
 * with `reason` — or, under VENVCTL_TEST_REQUIRE_ALL=1 (CI), fails with it.
 */
export function requireOrSkip(t: TestContext, ok: boolean, reason: string): boolean {
  if (ok) return true;
  if (REQUIRE_ALL) assert.fail(`required but unavailable: ${reason}`);
  t.skip(reason);
  return false;
}
