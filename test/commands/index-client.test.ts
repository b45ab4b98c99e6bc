// venvctl's own index client against real servers on 127.0.0.1: HTML and
// PEP 691 JSON pages, find-links places, extra indexes, the page cache (fresh
// answers with no request, stale ones revalidated to a 304), PEP 658
// metadata or the file's own METADATA / PKG-INFO, hash-checked downloads,
// and errors that name the URL. Each test has its own cache directory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { makeSandbox, type Sandbox } from "../helpers/hermetic.js";
import { makeContext } from "../helpers/context.js";
import { buildWheel } from "../helpers/wheel-builder.js";
import { buildSdist } from "../helpers/sdist-builder.js";
import { serveIndex, serveIndexes } from "../helpers/index-server.js";
import { IndexClient } from "../../src/index/client.js";
import type { IndexSettings } from "../../src/index/settings.js";
import { HashMismatchError, VenvctlError } from "../../src/errors.js";

const CLIENT = fileURLToPath(new URL("../../src/index/client.ts", import.meta.url));

function settings(indexUrls: string[], findLinks: string[] = []): IndexSettings {
  return { indexUrls, findLinks, pre: false, onlyBinary: new Set(), noBinary: new Set(), preferBinary: false };
}

/** A client on the sandbox's cache, closed when the test ends. */
function client(t: { after(f: () => void): void }, sb: Sandbox, s: IndexSettings): IndexClient {
  const c = new IndexClient(makeContext(sb), s);
  t.after(() => c.close());
  return c;
}

/** A directory of wheels and sdists for the server. */
function files(sb: Sandbox, name = "dists"): string {
  const dir = join(sb.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const names = (fs: Array<{ filename: string }>) => fs.map((f) => f.filename);

test("files from an HTML page and from a PEP 691 JSON page", async (t) => {
  const sb = makeSandbox(t);
  const dir = files(sb);
  const w1 = buildWheel(dir, { name: "Foo.Bar", version: "1.0" });
  buildWheel(dir, { name: "foo-bar", version: "2.0rc1", tag: "cp312-cp312-manylinux_2_17_x86_64" });
  buildSdist(dir, { name: "foo_bar", version: "2.0rc1", files: { "foo_bar/__init__.py": "" } });
  buildWheel(dir, { name: "other", version: "1.0" });
  for (const format of ["html", "json"] as const) {
    const server = await serveIndex(dir, { format });
    t.after(() => server.close());
    const c = client(t, sb, settings([server.url]));
    const got = await c.projectFiles("FOO_bar");
    assert.deepEqual(names(got), ["foo_bar-1.0-py3-none-any.whl", "foo_bar-2.0rc1-cp312-cp312-manylinux_2_17_x86_64.whl", "foo_bar-2.0rc1.tar.gz"], format);
    const first = got[0]!;
    assert.equal(first.project, "foo-bar");
    assert.equal(first.kind, "wheel");
    assert.equal(first.version, "1.0");
    assert.equal(first.url, new URL("/files/foo_bar-1.0-py3-none-any.whl", server.url).href);
    assert.deepEqual(first.hashes, { sha256: sha256(w1) });
    assert.equal(got[2]!.kind, "sdist");
    assert.equal(got[2]!.version, "2.0rc1");
    assert.deepEqual(await c.projectFiles("nothing-here"), [], "a 404 is no files");
    // The page as the client kept it says which format was read.
    const pages = join(sb.cache, "index", "pages");
    const types = readdirSync(pages).map((f) => JSON.parse(readFileSync(join(pages, f), "utf8")) as { url: string; contentType: string });
    const page = types.find((p) => p.url === `${server.url}foo-bar/`);
    assert.equal(page?.contentType, format === "json" ? "application/vnd.pypi.simple.v1+json" : "text/html", format);
  }
});

test("find-links: a directory, a local HTML page and an http page, before the index", async (t) => {
  const sb = makeSandbox(t);
  const served = files(sb, "served");
  buildWheel(served, { name: "pkg", version: "3.0" });
  const server = await serveIndex(served);
  t.after(() => server.close());
  const local = files(sb, "local");
  const w1 = buildWheel(local, { name: "pkg", version: "1.0" });
  writeFileSync(join(local, "README.txt"), "not a distribution\n");
  const page = join(sb.work, "links.html");
  const root = new URL("/", server.url).href;
  writeFileSync(page, `<html><body><a href="${root}files/pkg-3.0-py3-none-any.whl#sha256=${"a".repeat(64)}">pkg 3.0</a> <a href="pkg-0.1.exe">no</a></body></html>\n`);
  const c = client(t, sb, settings([], [local, pathToFileURL(page).href, `${server.url}pkg/`]));
  const got = await c.projectFiles("pkg");
  assert.deepEqual(got.map((f) => [f.filename, f.source]), [
    ["pkg-1.0-py3-none-any.whl", pathToFileURL(local).href],
    // The same URL from two places counts once (the first).
    ["pkg-3.0-py3-none-any.whl", pathToFileURL(page).href],
  ]);
  assert.equal(got[0]!.url, pathToFileURL(w1).href);
  // A local file is hashed as it is read.
  const meta = await c.metadata(got[0]!);
  assert.match(meta ?? "", /^Name: pkg$/m);
  const dest = join(sb.dir, "dl");
  const d = await c.download(got[0]!, dest);
  assert.deepEqual(d, { path: join(dest, "pkg-1.0-py3-none-any.whl"), sha256: sha256(w1) });
});

test("an extra index's files are merged after the index's", async (t) => {
  const sb = makeSandbox(t);
  const a = files(sb, "a");
  const b = files(sb, "b");
  buildWheel(a, { name: "pkg", version: "1.0" });
  buildWheel(b, { name: "pkg", version: "2.0" });
  buildWheel(b, { name: "only-b", version: "1.0" });
  const servers = await serveIndexes([{ prefix: "a", dir: a, opts: { format: "json" } }, { prefix: "b/deeper", dir: b }]);
  t.after(() => servers.close());
  assert.match(servers.urls[1]!, /\/b\/deeper\/simple\/$/);
  const c = client(t, sb, settings(servers.urls));
  assert.deepEqual(names(await c.projectFiles("pkg")), ["pkg-1.0-py3-none-any.whl", "pkg-2.0-py3-none-any.whl"]);
  assert.deepEqual(names(await c.projectFiles("only_b")), ["only_b-1.0-py3-none-any.whl"]);
  assert.ok(servers.requests.includes("/a/simple/only-b/"), "the first index was asked, and answered 404");
});

test("a fresh cached page answers with no request; a stale one is revalidated and a 304 keeps its body", async (t) => {
  const sb = makeSandbox(t);
  const dir = files(sb);
  buildWheel(dir, { name: "pkg", version: "1.0" });
  const fresh = await serveIndex(dir, { cacheHeaders: true, etag: true });
  t.after(() => fresh.close());
  const first = await client(t, sb, settings([fresh.url])).projectFiles("pkg");
  const again = await client(t, sb, settings([fresh.url])).projectFiles("pkg");
  assert.deepEqual(again, first);
  assert.deepEqual(fresh.requests, ["/simple/pkg/"], "the second client used the cache (max-age=600)");

  for (const opts of [{ cacheHeaders: true, pageCacheControl: "max-age=0, public" }, {}]) {
    const stale = await serveIndex(dir, { ...opts, etag: true });
    t.after(() => stale.close());
    const one = await client(t, sb, settings([stale.url])).projectFiles("pkg");
    const two = await client(t, sb, settings([stale.url])).projectFiles("pkg");
    assert.deepEqual(two, one);
    assert.equal(stale.answers.length, 2, JSON.stringify(stale.answers));
    assert.equal(stale.answers[0]!.status, 200);
    assert.equal(stale.answers[1]!.status, 304, "revalidated with the ETag");
    assert.ok(stale.answers[1]!.ifNoneMatch);
    // After the 304, the page is still there for the next client.
    buildWheel(dir, { name: "pkg", version: "2.0" });
    const three = await client(t, sb, settings([stale.url])).projectFiles("pkg");
    assert.deepEqual(names(three), ["pkg-1.0-py3-none-any.whl", "pkg-2.0-py3-none-any.whl"], "a changed page is a 200 with the new body");
    rmWheel(dir, "pkg-2.0-py3-none-any.whl");
  }
});

test("a cached page keeps the files read from it: a fresh hit does not parse the body again, unless another format or project wrote them", async (t) => {
  const sb = makeSandbox(t);
  const dir = files(sb);
  buildWheel(dir, { name: "pkg", version: "1.0" });
  const server = await serveIndex(dir, { cacheHeaders: true });
  t.after(() => server.close());
  const first = await client(t, sb, settings([server.url])).projectFiles("pkg");
  const pagesDir = join(sb.cache, "index", "pages");
  const [entryName] = readdirSync(pagesDir).filter((n) => !n.startsWith("."));
  const entryPath = join(pagesDir, entryName!);
  const entry = JSON.parse(readFileSync(entryPath, "utf8")) as { body: string; parsed?: { format: number; project: string; files: unknown[] } };
  assert.deepEqual(entry.parsed?.files, first, "kept with the page");
  // A body that no longer parses is not read while the kept files are there.
  writeFileSync(entryPath, JSON.stringify({ ...entry, body: "<html><a href='broken" }));
  assert.deepEqual(await client(t, sb, settings([server.url])).projectFiles("pkg"), first);
  // Kept by another format of the parser: the body is read again.
  writeFileSync(entryPath, JSON.stringify({ ...entry, parsed: { ...entry.parsed, format: -1, files: [] } }));
  assert.deepEqual(await client(t, sb, settings([server.url])).projectFiles("pkg"), first);
  assert.deepEqual(server.requests, ["/simple/pkg/"], "every answer after the first came from the cache");
});

/** Takes a wheel away again: a test leaves its directory as it found it, for the next server. */
function rmWheel(dir: string, name: string) {
  rmSync(join(dir, name), { force: true });
}

test("PEP 658: the metadata is read without downloading the wheel", async (t) => {
  const sb = makeSandbox(t);
  const dir = files(sb);
  buildWheel(dir, { name: "pkg", version: "1.0", metadata: ["Requires-Dist: dep>=2", "Requires-Python: >=3.8"] });
  for (const format of ["html", "json"] as const) {
    const server = await serveIndex(dir, { metadataFiles: true, format });
    t.after(() => server.close());
    const c = client(t, sb, settings([server.url]));
    const [file] = await c.projectFiles("pkg");
    assert.ok(file!.coreMetadata && file!.coreMetadata !== true && file!.coreMetadata.sha256, format);
    // A fresh cache per format: the metadata cache would answer the second.
    const c2 = new IndexClient(makeContext(sb, { env: { VENVCTL_CACHE_DIR: join(sb.dir, `cache-${format}`) } }), settings([server.url]));
    t.after(() => c2.close());
    const [f2] = await c2.projectFiles("pkg");
    const text = await c2.metadata(f2!);
    assert.match(text ?? "", /^Requires-Dist: dep>=2$/m);
    assert.ok(server.requests.includes("/files/pkg-1.0-py3-none-any.whl.metadata"), format);
    assert.ok(!server.requests.includes("/files/pkg-1.0-py3-none-any.whl"), `${format}: the wheel was not downloaded`);
  }
});

test("no .metadata: the wheel is downloaded for its METADATA, and download reuses it", async (t) => {
  const sb = makeSandbox(t);
  const dir = files(sb);
  const wheel = buildWheel(dir, { name: "pkg", version: "1.0", metadata: ["Requires-Dist: dep"] });
  const server = await serveIndex(dir);
  t.after(() => server.close());
  const c = client(t, sb, settings([server.url]));
  const [file] = await c.projectFiles("pkg");
  assert.equal(file!.coreMetadata, undefined);
  assert.match((await c.metadata(file!)) ?? "", /^Requires-Dist: dep$/m);
  const dest = join(sb.dir, "out");
  const got = await c.download(file!, dest);
  assert.deepEqual(got, { path: join(dest, file!.filename), sha256: sha256(wheel) });
  assert.equal(sha256(got.path), sha256(wheel));
  assert.equal(server.requests.filter((p) => p.endsWith(".whl")).length, 1, "fetched once");
  // The metadata is kept by the file's hash: another client asks nothing.
  const before = server.requests.length;
  const c2 = client(t, sb, settings([server.url]));
  assert.match((await c2.metadata(file!)) ?? "", /^Requires-Dist: dep$/m);
  assert.equal(server.requests.length, before);
});

test("an sdist's PKG-INFO answers when static (2.2, no Dynamic: Requires-Dist), else undefined", async (t) => {
  const sb = makeSandbox(t);
  const dir = files(sb);
  buildSdist(dir, { name: "stat", version: "1.0", files: { "stat/__init__.py": "" }, metadataVersion: "2.2", metadata: ["Requires-Dist: dep"] });
  buildSdist(dir, { name: "old", version: "1.0", files: { "old/__init__.py": "" }, metadataVersion: "2.1", metadata: ["Requires-Dist: dep"] });
  buildSdist(dir, { name: "dyn", version: "1.0", files: { "dyn/__init__.py": "" }, metadataVersion: "2.2", metadata: ["Dynamic: Requires-Dist"] });
  buildSdist(dir, { name: "summary", version: "1.0", files: { "summary/__init__.py": "" }, metadataVersion: "2.4", metadata: ["Dynamic: Summary"] });
  const server = await serveIndex(dir);
  t.after(() => server.close());
  const c = client(t, sb, settings([server.url]));
  const meta = async (p: string) => c.metadata((await c.projectFiles(p))[0]!);
  assert.match((await meta("stat")) ?? "", /^Requires-Dist: dep$/m);
  assert.equal(await meta("old"), undefined);
  assert.equal(await meta("dyn"), undefined);
  assert.match((await meta("summary")) ?? "", /^Name: summary$/m);
  // Remembered as such by the next client: nothing is fetched again.
  const before = server.requests.filter((p) => p.startsWith("/files/")).length;
  const c2 = client(t, sb, settings([server.url]));
  assert.equal(await c2.metadata((await c2.projectFiles("old"))[0]!), undefined);
  assert.equal(server.requests.filter((p) => p.startsWith("/files/")).length, before);
});

test("a file whose sha256 is not the page's is refused (HashMismatchError), and nothing is left", async (t) => {
  const sb = makeSandbox(t);
  const dir = files(sb);
  buildWheel(dir, { name: "pkg", version: "1.0" });
  const server = await serveIndex(dir);
  t.after(() => server.close());
  const c = client(t, sb, settings([server.url]));
  const [file] = await c.projectFiles("pkg");
  buildWheel(dir, { name: "pkg", version: "1.0", files: { "changed.py": "" } });
  await assert.rejects(c.metadata(file!), (err: unknown) => err instanceof HashMismatchError && err.message.includes(file!.url));
  const dest = join(sb.dir, "out");
  await assert.rejects(c.download(file!, dest), HashMismatchError);
  assert.deepEqual(existsSync(dest) ? readdirSync(dest) : [], [], "no file or part file is left");
  // The advertised metadata hash is checked too.
  const meta = await serveIndex(dir, { metadataFiles: true });
  t.after(() => meta.close());
  const c2 = new IndexClient(makeContext(sb, { env: { VENVCTL_CACHE_DIR: join(sb.dir, "cache2") } }), settings([meta.url]));
  t.after(() => c2.close());
  const [f2] = await c2.projectFiles("pkg");
  buildWheel(dir, { name: "pkg", version: "1.0", metadata: ["Summary: another"] });
  await assert.rejects(c2.metadata(f2!), (err: unknown) => err instanceof HashMismatchError && err.message.includes(".metadata"));
});

test("a 500, a page that is not one, and a refused connection are VenvctlErrors naming the URL, with a hint", async (t) => {
  const sb = makeSandbox(t);
  const server = createServer((req, res) => {
    if (req.url === "/simple/broken/") return void res.writeHead(500, { "content-type": "text/plain" }).end("oops\n");
    if (req.url === "/simple/plain/") return void res.writeHead(200, { "content-type": "text/plain" }).end("pkg-1.0.tar.gz\n");
    if (req.url === "/simple/junk/") return void res.writeHead(200, { "content-type": "text/html" }).end("\u0000\u0001 garbage");
    if (req.url === "/simple/badjson/") return void res.writeHead(200, { "content-type": "application/vnd.pypi.simple.v1+json" }).end("{");
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => void server.close());
  const port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}/simple/`;
  const c = client(t, sb, settings([url]));
  for (const project of ["broken", "plain", "junk", "badjson"]) {
    await assert.rejects(c.projectFiles(project), (err: unknown) => {
      assert.ok(err instanceof VenvctlError, `${project}: ${String(err)}`);
      assert.ok(err.message.includes(`${url}${project}/`), err.message);
      assert.ok(err.hint, `${project} has a hint`);
      return true;
    });
  }
  await assert.rejects(c.projectFiles("broken"), /HTTP 500/);
  // Nothing listens on a port just closed.
  const gone = createServer();
  await new Promise<void>((r) => gone.listen(0, "127.0.0.1", r));
  const goneUrl = `http://127.0.0.1:${(gone.address() as { port: number }).port}/simple/`;
  await new Promise<void>((r) => gone.close(() => r()));
  await assert.rejects(client(t, sb, settings([goneUrl])).projectFiles("x"), (err: unknown) => err instanceof VenvctlError && err.message.includes(goneUrl) && /refused/.test(err.message));
});

test("yanked and requires-python arrive from HTML and JSON", async (t) => {
  const sb = makeSandbox(t);
  const dir = files(sb);
  buildWheel(dir, { name: "pkg", version: "1.0", metadata: ["Requires-Python: >=3.8,<4"] });
  buildWheel(dir, { name: "pkg", version: "2.0", metadata: ["Requires-Python: >=3.12"] });
  buildWheel(dir, { name: "pkg", version: "3.0" });
  const yanked = { "pkg-1.0-py3-none-any.whl": "broken <build> & \"more\"", "pkg-2.0-py3-none-any.whl": true } as const;
  for (const format of ["html", "json"] as const) {
    const server = await serveIndex(dir, { format, yanked, requiresPython: "from-metadata" });
    t.after(() => server.close());
    const got = await client(t, sb, settings([server.url])).projectFiles("pkg");
    assert.deepEqual(got.map((f) => [f.version, f.requiresPython, f.yanked]), [
      ["1.0", ">=3.8,<4", "broken <build> & \"more\""],
      ["2.0", ">=3.12", true],
      ["3.0", undefined, undefined],
    ], format);
  }
});

test("several projects asked at once, over one client", async (t) => {
  const sb = makeSandbox(t);
  const dir = files(sb);
  const projects = Array.from({ length: 12 }, (_, i) => `p${i}`);
  for (const p of projects) buildWheel(dir, { name: p, version: "1.0" });
  const server = await serveIndex(dir, { format: "json", metadataFiles: true });
  t.after(() => server.close());
  const c = client(t, sb, settings([server.url]));
  const lists = await Promise.all(projects.map((p) => c.projectFiles(p)));
  assert.deepEqual(lists.map((l) => names(l)), projects.map((p) => [`${p}-1.0-py3-none-any.whl`]));
  const metas = await Promise.all(lists.map((l) => c.metadata(l[0]!)));
  assert.deepEqual(metas.map((m) => /^Name: (.*)$/m.exec(m ?? "")?.[1]), projects);
  // Asked twice at once: one request.
  const [x, y] = await Promise.all([c.projectFiles("P0"), c.projectFiles("p0")]);
  assert.equal(x, y);
  assert.equal(server.requests.filter((p) => p === "/simple/p0/").length, 1);
});

test("close() lets the process exit", async (t) => {
  const sb = makeSandbox(t);
  const dir = files(sb);
  buildWheel(dir, { name: "pkg", version: "1.0" });
  const server = await serveIndex(dir);
  t.after(() => server.close());
  const script = join(sb.work, "ask.mts"); // an ES module: top-level await
  writeFileSync(script, [
    `import { IndexClient } from ${JSON.stringify(pathToFileURL(CLIENT).href)};`,
    `const s = { indexUrls: [process.argv[2]], findLinks: [], pre: false, onlyBinary: new Set(), noBinary: new Set(), preferBinary: false };`,
    `const ctx = { env: process.env, dirs: { cache: process.argv[3], home: process.argv[3], root: process.argv[3] }, cwd: process.cwd(), stderr: process.stderr, platform: process.platform };`,
    `const c = new IndexClient(ctx as never, s as never);`,
    `const files = await c.projectFiles("pkg");`,
    `await c.download(files[0]!, process.argv[4]!);`,
    `c.close();`,
    `console.log(files.length);`,
  ].join("\n"));
  const started = Date.now();
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, server.url, sb.cache, join(sb.dir, "dl")], { cwd: join(fileURLToPath(new URL("../..", import.meta.url))), env: sb.env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
  assert.equal(code, 0, "the process ended by itself");
  assert.equal(out.trim(), "1");
  // The server keeps a connection 5 s; a client holding it would keep the process that long.
  assert.ok(Date.now() - started < 15_000);
});
