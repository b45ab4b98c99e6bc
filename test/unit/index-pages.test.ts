// The index client's page readers: PEP 503 HTML (entities, relative hrefs,
// <base href>, data-* attributes) and PEP 691 JSON, file names judged as
// pip's LinkEvaluator does, and pages that are neither → an error naming the URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseHtmlPage, parseJsonPage, parseProjectPage, unescapeHtml } from "../../src/index/pages.js";
import { sdistVersion } from "../../src/index/files.js";

const SHA = "a".repeat(64);

test("HTML: relative hrefs against the page, entities unescaped, hashes, requires-python, yanked with and without reason", () => {
  const html = `<!DOCTYPE html><html><body>
    <a href="../../files/foo-1.0-py3-none-any.whl#sha256=${SHA.toUpperCase()}" data-requires-python="&gt;=3.8,&lt;4">foo-1.0</a>
    <a href="https://cdn.example/f/foo-1.1.tar.gz#md5=abc" data-yanked="">x</a>
    <a href='/files/Foo_Bar-2.0.zip?x=1&amp;y=2' data-yanked="broken &amp; bad">x</a>
    <!-- <a href="foo-9.0.tar.gz">commented out</a> -->
    <a href="foo-1.2%2Blocal-py3-none-any.whl" data-core-metadata="sha256=${SHA}">x</a>
    <a href="foo-1.3-py3-none-any.whl" data-dist-info-metadata="true">x</a>
    <a href="foo-1.4-py3-none-any.whl" data-core-metadata="false" data-dist-info-metadata="true">x</a>
    <a href="foo-1.0.exe">installer</a><a href="bar-1.0.tar.gz">other project</a><a href="foo-notaversion.tar.gz">bad</a>
    <a href="foo_bar-2.1-py3-none-any.whl">x</a>
  </body></html>`;
  const page = "https://example.com/simple/foo/";
  const files = parseHtmlPage(html, page, "foo");
  assert.deepEqual(files.map((f) => [f.filename, f.version, f.kind]), [
    ["foo-1.0-py3-none-any.whl", "1.0", "wheel"],
    ["foo-1.1.tar.gz", "1.1", "sdist"],
    ["foo-1.2+local-py3-none-any.whl", "1.2+local", "wheel"],
    ["foo-1.3-py3-none-any.whl", "1.3", "wheel"],
    ["foo-1.4-py3-none-any.whl", "1.4", "wheel"],
  ]);
  assert.equal(files[0]!.url, "https://example.com/files/foo-1.0-py3-none-any.whl");
  assert.deepEqual(files[0]!.hashes, { sha256: SHA });
  assert.equal(files[0]!.requiresPython, ">=3.8,<4");
  assert.equal(files[0]!.yanked, undefined);
  assert.equal(files[0]!.source, page);
  assert.equal(files[1]!.yanked, true);
  assert.deepEqual(files[1]!.hashes, { md5: "abc" });
  assert.deepEqual(files[2]!.coreMetadata, { sha256: SHA });
  assert.equal(files[2]!.url, "https://example.com/simple/foo/foo-1.2%2Blocal-py3-none-any.whl");
  assert.equal(files[3]!.coreMetadata, true);
  // data-core-metadata wins over the older attribute (PEP 714), and "false" offers nothing.
  assert.equal(files[4]!.coreMetadata, undefined);
  const fooBar = parseHtmlPage(html, page, "foo-bar");
  assert.deepEqual(fooBar.map((f) => [f.filename, f.version, f.yanked, f.url]), [
    ["Foo_Bar-2.0.zip", "2.0", "broken & bad", "https://example.com/files/Foo_Bar-2.0.zip?x=1&y=2"],
    ["foo_bar-2.1-py3-none-any.whl", "2.1", undefined, "https://example.com/simple/foo/foo_bar-2.1-py3-none-any.whl"],
  ]);
});

test("HTML: <base href> moves relative links; unquoted and odd attributes", () => {
  const html = `<html><head><base href="https://mirror.example/pkgs/"></head><body>
    <A HREF=foo-1.0.tar.gz#sha256=${SHA} data-requires-python=">=3">x</A></body></html>`;
  const [f] = parseHtmlPage(html, "https://example.com/simple/foo/", "foo");
  assert.equal(f!.url, "https://mirror.example/pkgs/foo-1.0.tar.gz");
  assert.equal(f!.requiresPython, ">=3");
  assert.deepEqual(f!.hashes, { sha256: SHA });
});

test("entities as html.unescape reads them", () => {
  assert.equal(unescapeHtml("&gt;=3.7&#44;&#x21;=3.8.*&amp;&bogus;&lt"), ">=3.7,!=3.8.*&&bogus;<");
});

test("sdist names split at the first `-` whose prefix is the project's name", () => {
  assert.equal(sdistVersion("foo-bar-1.0", "foo-bar"), "1.0");
  assert.equal(sdistVersion("Foo.Bar-1.0-2", "foo-bar"), "1.0-2");
  assert.equal(sdistVersion("foo-1.0", "foo-bar"), undefined);
});

test("JSON (PEP 691): files, hashes, yanked, core-metadata and its older name, size and upload-time; api-version 1.x only", () => {
  const page = "https://example.com/simple/foo/";
  const body = JSON.stringify({
    meta: { "api-version": "1.1" },
    name: "foo",
    versions: ["1.0", "1.1"],
    files: [
      { filename: "foo-1.0-py3-none-any.whl", url: "../../files/foo-1.0-py3-none-any.whl", hashes: { sha256: SHA.toUpperCase() },
        "requires-python": ">=3.8", "core-metadata": { sha256: SHA }, size: 123, "upload-time": "2024-01-01T00:00:00.000000Z" },
      { filename: "foo-1.1.tar.gz", url: "https://cdn.example/foo-1.1.tar.gz", hashes: {}, yanked: "security", "dist-info-metadata": true },
      { filename: "foo-1.2.tar.gz", url: "foo-1.2.tar.gz", hashes: {}, yanked: true },
      { filename: "foo-1.3.tar.gz", url: "foo-1.3.tar.gz", hashes: {}, yanked: false, "core-metadata": false },
      { filename: "foo-1.0.egg", url: "foo-1.0.egg", hashes: {} },
    ],
  });
  const files = parseJsonPage(body, page, "foo");
  assert.deepEqual(files.map((f) => [f.filename, f.url, f.yanked, f.coreMetadata]), [
    ["foo-1.0-py3-none-any.whl", "https://example.com/files/foo-1.0-py3-none-any.whl", undefined, { sha256: SHA }],
    ["foo-1.1.tar.gz", "https://cdn.example/foo-1.1.tar.gz", "security", true],
    ["foo-1.2.tar.gz", "https://example.com/simple/foo/foo-1.2.tar.gz", true, undefined],
    ["foo-1.3.tar.gz", "https://example.com/simple/foo/foo-1.3.tar.gz", undefined, undefined],
  ]);
  assert.deepEqual(files[0]!.hashes, { sha256: SHA });
  assert.equal(files[0]!.size, 123);
  assert.equal(files[0]!.uploadTime, "2024-01-01T00:00:00.000000Z");
  assert.equal(files[0]!.requiresPython, ">=3.8");
  // By content type.
  assert.equal(parseProjectPage(body, "application/vnd.pypi.simple.v1+json", page, "foo").length, 4);
  assert.throws(() => parseJsonPage(JSON.stringify({ meta: { "api-version": "2.0" }, files: [] }), page, "foo"), /example\.com\/simple\/foo\/.*2\.0/);
  assert.throws(() => parseJsonPage(JSON.stringify({ files: [] }), page, "foo"), /api-version/);
});

test("garbage is an error naming the URL, with a hint", () => {
  const page = "https://example.com/simple/foo/";
  for (const [body, type] of [["{not json", "application/vnd.pypi.simple.v1+json"], ["%PDF-1.4 binary", "application/pdf"], ["just some words", "text/html"]] as const) {
    assert.throws(() => parseProjectPage(body, type, page, "foo"), (err: Error & { hint?: string }) => {
      assert.match(err.message, /https:\/\/example\.com\/simple\/foo\//);
      assert.match(err.hint ?? "", /VENVCTL_RESOLVER=pip/);
      return true;
    });
  }
});
