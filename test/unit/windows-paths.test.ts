// Verbatim Windows paths (\\?\...) and their plain forms: written plain
// where that names the same file, as uv's dunce::simplified decides.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simplifyWindowsPath, userPath } from "../../src/platform/windows-paths.js";

test("a verbatim drive or UNC path becomes its plain form", () => {
  assert.equal(simplifyWindowsPath("\\\\?\\C:\\Users\\Zoë\\my env (x)\\.venv"), "C:\\Users\\Zoë\\my env (x)\\.venv");
  assert.equal(simplifyWindowsPath("\\\\?\\UNC\\server\\share\\envs\\a"), "\\\\server\\share\\envs\\a");
  assert.equal(simplifyWindowsPath("\\\\?\\unc\\server\\share"), "\\\\server\\share");
});

test("it stays verbatim where the plain form would name another file, or none", () => {
  const long = `\\\\?\\C:\\${"d".repeat(120)}\\${"e".repeat(140)}`;
  for (const p of [long, "\\\\?\\C:\\envs\\CON", "\\\\?\\C:\\envs\\nul.txt\\x", "\\\\?\\C:\\envs\\trailing.", "\\\\?\\C:\\envs\\space \\x", "\\\\?\\C:\\a/b\\c", "\\\\?\\C:\\a\\..\\b", "\\\\?\\Volume{1b3b1146-4076-11e1-84aa-806e6f6e6963}\\x"]) {
    assert.equal(simplifyWindowsPath(p), p, p);
  }
});

test("plain paths, and every path off Windows, are left as they are", () => {
  for (const p of ["C:\\x", "\\\\server\\share\\x", "relative\\x"]) assert.equal(simplifyWindowsPath(p), p);
  assert.equal(userPath({ platform: "linux" }, "\\\\?\\C:\\x"), "\\\\?\\C:\\x");
  assert.equal(userPath({ platform: "win32" }, "\\\\?\\C:\\x"), "C:\\x");
});
