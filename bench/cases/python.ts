// `venvctl python install 3.12` of the test archive (pyenv's 3.12.1 in
// python-build-standalone's install_only layout, ~10 MB gzipped, made by
// test/helpers/python-builds.ts) from a loopback HTTP server, beside
// `curl -s URL | tar -xz` of the same archive from the same server: the
// physical limit of download + unpack here. venvctl's figure includes what
// curl | tar does not do: sha256 verification, the entry checks, the rename
// into place and the rehash of the shims. The server is a separate process
// (the harness times with spawnSync, which blocks this one's event loop).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Case } from "../harness.js";
import { ARCHIVE_VERSION, buildTestArchive, downloadsList } from "../../test/helpers/python-builds.js";
import { CLI, NODE, type BenchContext } from "./env.js";

const SERVER = `
const { createServer } = require("node:http");
const { readFileSync, writeFileSync } = require("node:fs");
const data = readFileSync(process.argv[1]);
const server = createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.length });
  res.end(data);
});
server.listen(0, "127.0.0.1", () => writeFileSync(process.argv[2], String(server.address().port)));
`;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function pythonCases(b: BenchContext): Case[] {
  const { env, work, tag } = b;
  const dir = join(work, "python-install");
  const portFile = join(dir, "port");
  const list = join(dir, "downloads.json");
  const unpacked = join(dir, "curl-tar");
  const installed = join(env.VENVCTL_ROOT!, "versions", `cpython-${ARCHIVE_VERSION}-linux-x86_64-gnu`);
  let server: ChildProcess | undefined;
  let url = "";
  const setup = () => {
    mkdirSync(dir, { recursive: true });
    const archive = buildTestArchive();
    rmSync(portFile, { force: true });
    server = spawn(NODE, ["-e", SERVER, archive.path, portFile], { stdio: "ignore" });
    // The server writes the port after creating the file: wait for the number, not the file.
    const port = () => (existsSync(portFile) ? readFileSync(portFile, "utf8").trim() : "");
    for (let i = 0; i < 500 && !port(); i++) sleep(10);
    if (!port()) throw new Error("the loopback server for the python install case did not start");
    url = `http://127.0.0.1:${port()}/python.tar.gz`;
    writeFileSync(list, downloadsList([{ version: ARCHIVE_VERSION, url, sha256: archive.sha256 }]));
  };
  const installEnv = { ...env, VENVCTL_PYTHON_DOWNLOADS_JSON: list };
  return [
    {
      name: `python install: ${ARCHIVE_VERSION} (~10 MB .tar.gz, 31 MB unpacked) from a loopback server${tag}`,
      commands: [
        {
          label: "venvctl python install 3.12",
          argv: [NODE, CLI, "python", "install", "3.12"],
          env: installEnv,
          cwd: work,
          before: () => rmSync(installed, { recursive: true, force: true }),
        },
        {
          label: "curl -s URL | tar -xz",
          get argv() {
            return ["sh", "-c", `curl -sf "${url}" | tar -xz -C "${unpacked}"`];
          },
          env,
          cwd: work,
          before: () => {
            rmSync(unpacked, { recursive: true, force: true });
            mkdirSync(unpacked);
          },
        },
      ],
      target: b.withCa ? undefined : { ratio: 1.5, text: "≤ 1.5× curl | tar" },
      runs: 11,
      setup,
      teardown: () => {
        server?.kill();
        rmSync(dir, { recursive: true, force: true });
      },
    },
  ];
}
