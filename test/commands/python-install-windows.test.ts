// `python install` for a Windows Context, on Linux (platform injected): the
// platform key comes from the Context, so the Windows builds of the list are
// chosen (x86_64-pc-windows-msvc install_only, `windows-x86_64-none`); an
// archive in their layout (python/python.exe at the top, Lib\, DLLs\; no
// bin/) served on 127.0.0.1 installs into versions\cpython-X.Y.Z-windows-
// x86_64-none with python.exe at its top, is found there by its name (no
// probe), is venvctl's in `python list`, selected by `3.12` and its directory's name, and `python uninstall` removes it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { arch } from "node:os";
import { join } from "node:path";
import { requireOrSkip } from "../helpers/require.js";
import { makeSandbox } from "../helpers/hermetic.js";
import { makeContext } from "../helpers/context.js";
import { downloadsList, serveBuilds, sha256, tarGz } from "../helpers/python-builds.js";
import { chooseDownload, installName, loadDownloads } from "../../src/interpreters/downloads.js";
import { hostPlatform, platformKey } from "../../src/interpreters/platform.js";
import { parsePythonRequest } from "../../src/interpreters/request.js";
import { formatVersion } from "../../src/interpreters/version.js";
import { pythonInstall } from "../../src/commands/python/install.js";
import { pythonList } from "../../src/commands/python/list.js";
import { pythonUninstall } from "../../src/commands/python/uninstall.js";
import { buildInventory } from "../../src/interpreters/inventory.js";
import { versions } from "../../src/commands/versions.js";

const WINDOWS = { os: "windows", arch: "x86_64", libc: "none" };

test("the platform key follows the Context; the built-in list's Windows builds are install_only archives for x86_64-pc-windows-msvc", async (t) => {
  const sb = makeSandbox(t);
  const ctx = makeContext(sb);
  assert.equal(hostPlatform({ platform: "win32" }).os, "windows");
  assert.equal(hostPlatform({ platform: "win32" }).libc, "none");
  assert.equal(hostPlatform({ platform: "darwin" }).libc, "none");
  assert.equal(hostPlatform({ platform: "linux" }).os, "linux");

  const list = await loadDownloads(ctx, async () => assert.fail("the built-in list is not fetched"));
  const d = chooseDownload(list, parsePythonRequest("3.12"), WINDOWS);
  assert.equal(platformKey(d), "windows-x86_64-none");
  assert.match(d.url, new RegExp(`/cpython-${formatVersion(d.version).replace(/\./g, "\\.")}%2B\\d{8}-x86_64-pc-windows-msvc-install_only(_stripped)?\\.tar\\.gz$`));
  assert.equal(installName(d), `cpython-${formatVersion(d.version)}-windows-x86_64-none`);
  // A pre-release only when named, as on every platform; none for a platform the list lacks.
  assert.equal(chooseDownload(list, parsePythonRequest("3.13"), WINDOWS).version.pre, undefined);
  assert.throws(() => chooseDownload(list, parsePythonRequest("3.12"), { os: "windows", arch: "aarch64", libc: "none" }),
    /no build of CPython 3\.12\.\d+ for windows-aarch64-none .*\n?/);
});

test("python install for a Windows Context: the Windows build, python.exe at the install's top, listed, found, uninstalled", async (t) => {
  if (!requireOrSkip(t, arch() === "x64", "the list here has Windows builds for x86_64 only, and the processor is the machine's")) return;
  const sb = makeSandbox(t);
  const archive = tarGz([
    { path: "python/", type: "dir" },
    { path: "python/python.exe", data: "MZ stand-in for python.exe\n", mode: 0o755 },
    { path: "python/pythonw.exe", data: "MZ stand-in for pythonw.exe\n", mode: 0o755 },
    { path: "python/python312.dll", data: "stand-in\n" },
    { path: "python/DLLs/", type: "dir" },
    { path: "python/DLLs/_ctypes.pyd", data: "stand-in\n" },
    { path: "python/Lib/", type: "dir" },
    { path: "python/Lib/os.py", data: "# stand-in\n" },
    { path: "python/Scripts/", type: "dir" },
  ]);
  const linuxArchive = tarGz([{ path: "python/", type: "dir" }, { path: "python/bin/", type: "dir" }, { path: "python/bin/python3", data: "#!/bin/sh\n", mode: 0o755 }]);
  const server = await serveBuilds({ "/win.tar.gz": archive, "/linux.tar.gz": linuxArchive });
  t.after(() => server.close());
  const list = join(sb.dir, "downloads.json");
  writeFileSync(list, downloadsList([
    { version: "3.12.1", url: `${server.base}/win.tar.gz`, sha256: sha256(archive), ...WINDOWS },
    { version: "3.12.1", url: `${server.base}/linux.tar.gz`, sha256: sha256(linuxArchive) },
  ]));
  const base = makeContext(sb, { env: { VENVCTL_PYTHON_DOWNLOADS_JSON: list, PATH: join(sb.dir, "empty"), PYENV_ROOT: join(sb.dir, "no-pyenv") } });
  const win = { ...base, platform: "win32" as const };
  const name = "cpython-3.12.1-windows-x86_64-none";
  const dir = join(sb.root, "versions", name);

  const installed = await pythonInstall({ specs: ["3.12"], reinstall: false, force: false }, win);
  assert.deepEqual(installed.installed.map((i) => [i.name, i.outcome, i.python]), [[name, "installed", join(dir, "python.exe")]]);
  assert.deepEqual(server.requests, ["/win.tar.gz"], "the Windows build, not Linux's");
  assert.deepEqual(readdirSync(join(sb.root, "versions")), [name]);
  assert.ok(existsSync(join(dir, "Lib", "os.py")) && existsSync(join(dir, ".venvctl-python.json")));

  const listed = await versions({ json: true }, win);
  assert.deepEqual(listed.interpreters.map((i) => [i.name, i.source, i.path]), [["3.12.1", "venvctl", join(dir, "python.exe")]]);
  const pl = await pythonList({ available: true }, win);
  assert.equal(pl.platform, "windows-x86_64-none");
  assert.deepEqual(pl.installed.map((i) => [i.path, i.managed]), [[join(dir, "python.exe"), true]]);
  // Selected by version and by its directory's name (`python find` probes it: the wine tier runs that).
  const inv = await buildInventory(win);
  assert.equal(inv.keys.get("3.12")?.python, join(dir, "python.exe"));
  assert.equal(inv.keys.get(name)?.python, join(dir, "python.exe"));

  const removed = await pythonUninstall({ specs: ["3.12"] }, win);
  assert.deepEqual(removed.removed.map((m) => m.name), [name]);
  assert.deepEqual(readdirSync(join(sb.root, "versions")).filter((n) => !n.startsWith(".")), []);
  assert.deepEqual((await versions({ json: true }, win)).interpreters, []);
});
