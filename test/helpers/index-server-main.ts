// The index server as a process (see serveIndexInProcess):
//   node --import tsx test/helpers/index-server-main.ts DIR URL_FILE OPTIONS_JSON
// (OPTIONS_JSON: serveIndex's options)
// writes the index URL to URL_FILE (by a rename, so a reader never sees half
// of it) once it listens, and serves until it is sent SIGTERM or its stdin
// ends (the parent is gone).
import { renameSync, writeFileSync } from "node:fs";
import { serveIndex, type ServeOptions } from "./index-server.js";

const [dir, urlFile, options = "{}"] = process.argv.slice(2) as [string, string, string | undefined];
const opts = JSON.parse(options) as ServeOptions;
const server = await serveIndex(dir, opts);
writeFileSync(`${urlFile}.tmp`, server.url + "\n");
renameSync(`${urlFile}.tmp`, urlFile);
const stop = () => void server.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.stdin.on("end", stop).resume();
