// Where the index client looks, settled as pip settles it: pip.conf < PIP_*
// < the command line < requirement-file lines; settings venvctl cannot
// honour answer {unsupported}.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allowedFormats, indexSettings, type IndexSettings } from "../../src/index/settings.js";
import type { FileOption } from "../../src/pip/requirements-file.js";
import type { IndexOptions } from "../../src/pip/runner.js";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";

const NO_CLI: IndexOptions = { extraIndexUrls: [], findLinks: [], noIndex: false, pre: false };

/** A context, and the one pip.conf it reads (this machine's /etc/pip.conf is left out). */
function ctxOf(sb: Sandbox, env: Record<string, string>, conf?: string) {
  const file = join(sb.work, "pip.conf");
  if (conf !== undefined) writeFileSync(file, conf);
  return {
    env: { HOME: sb.home, PIP_CONFIG_FILE: "/dev/null", ...env },
    dirs: { home: sb.home, root: sb.root, cache: sb.cache },
    platform: "linux" as NodeJS.Platform,
    cwd: sb.work,
    files: conf !== undefined ? [file] : [],
  };
}

function settingsFor(sb: Sandbox, env: Record<string, string>, conf: string | undefined, cli: IndexOptions, lines: FileOption[] = []) {
  const ctx = ctxOf(sb, env, conf);
  return indexSettings(ctx, "/venv", cli, lines, ctx.files);
}

function settingsOf(r: ReturnType<typeof indexSettings>): IndexSettings {
  assert.ok("settings" in r, `unsupported: ${"unsupported" in r ? r.unsupported : ""}`);
  return r.settings;
}

const opt = (file: string, line: number, name: string, value?: string): FileOption => ({ source: { file, line }, name, value });

test("defaults: PyPI, nothing else", (t) => {
  const sb = makeSandbox(t);
  const s = settingsOf(settingsFor(sb, {}, undefined, NO_CLI, []));
  assert.deepEqual(s.indexUrls, ["https://pypi.org/simple/"]);
  assert.deepEqual(s.findLinks, []);
  assert.equal(s.pre, false);
  assert.deepEqual(allowedFormats(s, "foo"), { wheel: true, sdist: true });
});

test("pip.conf [global] < [install] < PIP_* < the command line; appends add to the configuration's", (t) => {
  const sb = makeSandbox(t);
  const conf = "[install]\nindex-url = http://127.0.0.1:1/install/\n[global]\nindex-url = http://127.0.0.1:1/global/\nextra-index-url =\n  http://127.0.0.1:1/a/\n  http://127.0.0.1:1/b/\nfind_links = ./wheels\npre = yes\n";
  let s = settingsOf(settingsFor(sb, {}, conf, NO_CLI, []));
  assert.deepEqual(s.indexUrls, ["http://127.0.0.1:1/install/", "http://127.0.0.1:1/a/", "http://127.0.0.1:1/b/"]);
  assert.deepEqual(s.findLinks, [join(sb.work, "wheels")]);
  assert.equal(s.pre, true);
  s = settingsOf(settingsFor(sb, { PIP_INDEX_URL: "http://127.0.0.1:1/env/", PIP_EXTRA_INDEX_URL: "http://127.0.0.1:1/e1/ http://127.0.0.1:1/e2/", PIP_PRE: "0" }, conf, NO_CLI, []));
  assert.deepEqual(s.indexUrls, ["http://127.0.0.1:1/env/", "http://127.0.0.1:1/e1/", "http://127.0.0.1:1/e2/"]);
  assert.equal(s.pre, false);
  s = settingsOf(settingsFor(sb, { PIP_INDEX_URL: "http://127.0.0.1:1/env/" }, conf,
    { indexUrl: "http://127.0.0.1:1/cli/", extraIndexUrls: ["http://127.0.0.1:1/x/"], findLinks: ["/abs/dir", "file:///srv/wheels/"], noIndex: false, pre: true }, []));
  assert.deepEqual(s.indexUrls, ["http://127.0.0.1:1/cli/", "http://127.0.0.1:1/a/", "http://127.0.0.1:1/b/", "http://127.0.0.1:1/x/"]);
  assert.deepEqual(s.findLinks, [join(sb.work, "wheels"), "/abs/dir", "file:///srv/wheels/"]);
  assert.equal(s.pre, true);
  // --no-index from anywhere empties the indexes but keeps find-links.
  s = settingsOf(settingsFor(sb, { PIP_NO_INDEX: "true" }, conf, NO_CLI, []));
  assert.deepEqual(s.indexUrls, []);
  assert.deepEqual(s.findLinks, [join(sb.work, "wheels")]);
});

test("requirement-file lines as pip's handle_option_line applies them", (t) => {
  const sb = makeSandbox(t);
  mkdirSync(join(sb.work, "sub", "local"), { recursive: true });
  const req = join("sub", "requirements.txt");
  const cli: IndexOptions = { ...NO_CLI, extraIndexUrls: ["http://127.0.0.1:1/cli-extra/"] };
  let s = settingsOf(settingsFor(sb, {}, undefined, cli, [
    opt(req, 1, "--index-url", "http://127.0.0.1:1/file/"),
    opt(req, 2, "--extra-index-url", "http://127.0.0.1:1/file-extra/"),
    opt(req, 3, "--find-links", "local"), opt(req, 3, "--find-links", "ignored-second"),
    opt(req, 4, "--find-links", "elsewhere"),
    opt(req, 5, "--pre"), opt(req, 6, "--prefer-binary"),
    opt(req, 7, "--only-binary", ":all:"), opt(req, 8, "--no-binary", "Foo_Bar"),
  ]));
  // An -i in a file replaces every index so far, the command line's extra ones too.
  assert.deepEqual(s.indexUrls, ["http://127.0.0.1:1/file/", "http://127.0.0.1:1/file-extra/"]);
  // -f relative to the file when that exists there; only a line's first -f.
  assert.deepEqual(s.findLinks, [join(sb.work, "sub", "local"), join(sb.work, "elsewhere")]);
  assert.equal(s.pre, true);
  assert.equal(s.preferBinary, true);
  assert.equal(s.onlyBinary, ":all:");
  assert.deepEqual(allowedFormats(s, "foo-bar"), { wheel: false, sdist: true });
  assert.deepEqual(allowedFormats(s, "other"), { wheel: true, sdist: false });
  // --no-index first: a later -i is ignored (pip checks the finder's no_index).
  s = settingsOf(settingsFor(sb, {}, undefined, { ...NO_CLI, noIndex: true }, [opt(req, 1, "--index-url", "http://127.0.0.1:1/file/")]));
  assert.deepEqual(s.indexUrls, []);
  // :none: clears; names are canonical.
  s = settingsOf(settingsFor(sb, { PIP_NO_BINARY: ":all:" }, undefined, NO_CLI, [opt(req, 1, "--no-binary", ":none:"), opt(req, 2, "--only-binary", "A.B")]));
  assert.deepEqual([...(s.noBinary as Set<string>)], []);
  assert.deepEqual([...(s.onlyBinary as Set<string>)], ["a-b"]);
});

test("a CA bundle is honoured: pip's cert (pip.conf, PIP_CERT), and REQUESTS_CA_BUNDLE over it, as requests merges them", (t) => {
  const sb = makeSandbox(t);
  const a = join(sb.work, "a.pem");
  const b = join(sb.work, "b.pem");
  writeFileSync(a, "");
  writeFileSync(b, "");
  assert.equal(settingsOf(settingsFor(sb, {}, undefined, NO_CLI)).caFile, undefined);
  assert.equal(settingsOf(settingsFor(sb, {}, `[global]\ncert = ${a}\n`, NO_CLI)).caFile, a);
  assert.equal(settingsOf(settingsFor(sb, { PIP_CERT: b }, `[global]\ncert = ${a}\n`, NO_CLI)).caFile, b, "PIP_* over pip.conf");
  assert.equal(settingsOf(settingsFor(sb, { REQUESTS_CA_BUNDLE: a, PIP_CERT: b }, undefined, NO_CLI)).caFile, a, "the environment's bundle over the session's");
  assert.equal(settingsOf(settingsFor(sb, { CURL_CA_BUNDLE: b }, undefined, NO_CLI)).caFile, b);
  const dir = settingsFor(sb, { PIP_CERT: sb.work }, undefined, NO_CLI);
  assert.ok("unsupported" in dir && /not a file of certificates/.test(dir.unsupported), "a directory of certificates is OpenSSL's: pip resolves");
});

test("settings venvctl cannot honour answer unsupported, naming them", (t) => {
  const sb = makeSandbox(t);
  const cases: Array<[Record<string, string>, string | undefined, IndexOptions, RegExp]> = [
    [{ PIP_CERT: "/no/such/ca.pem" }, undefined, NO_CLI, /cert names \/no\/such\/ca\.pem, which cannot be read/],
    [{}, "[global]\nclient-cert = /k.pem\n", NO_CLI, /pip\.conf sets a client certificate/],
    [{ PIP_PROXY: "http://p:3128" }, undefined, NO_CLI, /proxy/],
    [{ PIP_KEYRING_PROVIDER: "subprocess" }, undefined, NO_CLI, /keyring/],
    [{ PIP_IGNORE_REQUIRES_PYTHON: "1" }, undefined, NO_CLI, /ignore-requires-python/],
    [{ PIP_USE_DEPRECATED: "legacy-certs" }, undefined, NO_CLI, /deprecated/],
    [{ PIP_TRUSTED_HOST: "example.com" }, undefined, { ...NO_CLI, indexUrl: "https://example.com/simple/" }, /trusted-host example\.com/],
    [{}, undefined, { ...NO_CLI, indexUrl: "http://example.com/simple/" }, /plain http/],
    [{}, undefined, { ...NO_CLI, findLinks: ["ftp://example.com/wheels/"] }, /ftp:.*not an http/],
    [{}, undefined, { ...NO_CLI, indexUrl: "./local-index" }, /not an http\(s\) or file URL/],
    [{ HTTPS_PROXY: "http://proxy:3128" }, undefined, NO_CLI, /HTTPS_PROXY/],
    [{ PIP_ONLY_BINARY: "-x" }, undefined, NO_CLI, /refuses/],
    [{}, "not ini\n", NO_CLI, /could not be read/],
  ];
  for (const [env, conf, cli, why] of cases) {
    const r = settingsFor(sb, env, conf, cli);
    assert.ok("unsupported" in r, `expected unsupported for ${JSON.stringify([env, conf, cli])}`);
    assert.match(r.unsupported, why);
  }
  // Harmless ones: a trusted plain-http host, loopback, keyring disabled, a proxy with only loopback indexes.
  for (const [env, cli] of [
    [{ PIP_TRUSTED_HOST: "mirror.lan" }, { ...NO_CLI, indexUrl: "http://mirror.lan/simple/" }],
    [{ PIP_KEYRING_PROVIDER: "disabled", PIP_TIMEOUT: "5" }, { ...NO_CLI, indexUrl: "http://127.0.0.1:8/simple/" }],
    [{ HTTPS_PROXY: "http://proxy:3128" }, { ...NO_CLI, indexUrl: "http://localhost:8/simple/" }],
  ] as const) {
    settingsOf(settingsFor(sb, env, undefined, cli));
  }
});
