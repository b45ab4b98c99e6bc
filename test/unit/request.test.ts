import { test } from "node:test";
import assert from "node:assert/strict";
import { describeRequest, parsePythonRequest } from "../../src/interpreters/request.js";

test("paths", () => {
  for (const p of ["/usr/bin/python3", "./venv/bin/python", "~/py/bin/python", "../x", "bin/python"]) {
    assert.deepEqual(parsePythonRequest(p), { kind: "path", path: p });
  }
});

test("versions and prefixes", () => {
  assert.deepEqual(parsePythonRequest("3"), { kind: "version", prefix: { major: 3, minor: undefined, patch: undefined, pre: undefined } });
  assert.deepEqual(parsePythonRequest(" 3.12 "), { kind: "version", prefix: { major: 3, minor: 12, patch: undefined, pre: undefined } });
  const rc = parsePythonRequest("3.14.0rc1");
  assert.equal(rc.kind, "version");
  assert.equal(describeRequest(rc), "3.14.0rc1");
});

test("implementations with versions", () => {
  const c = parsePythonRequest("cpython3.12");
  assert.equal(c.kind, "version");
  assert.equal(c.kind === "version" && c.implementation, "cpython");
  const p = parsePythonRequest("pypy3.9");
  // pypy3.9 is also a command name; PATH is tried first, the version is the fallback.
  assert.equal(p.kind, "name");
  assert.equal(p.kind === "name" && p.fallback?.kind, "version");
  assert.equal(parsePythonRequest("pypy@3.9").kind, "version");
  assert.equal(parsePythonRequest("cpython-3.12").kind, "version");
  const cp = parsePythonRequest("cp312");
  assert.ok(cp.kind === "version" && cp.prefix.minor === 12);
  assert.deepEqual(parsePythonRequest("pypy"), { kind: "implementation", implementation: "pypy" });
});

test("command names", () => {
  const r = parsePythonRequest("python3.12");
  assert.equal(r.kind, "name");
  assert.ok(r.kind === "name" && r.fallback?.kind === "version" && r.fallback.prefix.minor === 12);
  assert.deepEqual(parsePythonRequest("python3"), { kind: "name", name: "python3", fallback: { kind: "version", prefix: { major: 3, minor: undefined, patch: undefined, pre: undefined }, implementation: "cpython" } });
  assert.deepEqual(parsePythonRequest("mypython"), { kind: "name", name: "mypython" });
});

test("ranges", () => {
  for (const s of ["3.x", "^3.10", ">=3.10 <3.13", ">=3.10,<3.13", "~=3.11", "==3.12.*"]) {
    const r = parsePythonRequest(s);
    assert.equal(r.kind, "range", s);
    assert.equal(describeRequest(r), s);
  }
  const ir = parsePythonRequest("cpython>=3.10");
  assert.ok(ir.kind === "range" && ir.implementation === "cpython");
});

test("special and invalid requests never throw", () => {
  assert.deepEqual(parsePythonRequest(""), { kind: "default" });
  assert.deepEqual(parsePythonRequest(undefined), { kind: "default" });
  assert.deepEqual(parsePythonRequest("system"), { kind: "system" });
  for (const bad of [">=banana", "3.12\n", "a b c", "$(rm -rf x)", "@@"]) {
    const r = parsePythonRequest(bad);
    assert.equal(r.kind, bad === "3.12\n" ? "version" : "invalid", JSON.stringify(bad));
  }
});
