// Asserting that a command fails the way a user is told: with a VenvctlError
// (rendered as `error:` + `hint:`), not a bug's stack trace.
import assert from "node:assert/strict";
import { VenvctlError } from "../../src/errors.js";

/** Awaits `p`, requires it to reject with a VenvctlError whose message matches, and answers the error. */
export async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<VenvctlError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof VenvctlError, `a VenvctlError, not ${String(err)}`);
    assert.match(err.message, pattern);
    return err;
  }
  assert.fail("expected an error");
}
