// Preloaded with `node --require` into the built CLI, to stop it at an exact
// moment of its work instead of a moment in time: the bundle calls node:fs
// through the module object, so wrapping its functions here sees every change
// venvctl makes to the file system (each write to a file it opened counts as
// one, so a kill can also land between creating a file and filling it).
//   FS_FAULT_KILL_AT=N         SIGKILL itself right before its Nth change
//   FS_FAULT_STOP_AT=OP:PATH   SIGSTOP itself right before the first OP (e.g.
//                              renameSync) whose first argument is PATH; the
//                              test looks, changes things, and sends SIGCONT
//   FS_FAULT_ENOSPC_AT=N       fail its Nth change with ENOSPC, as a full disk
//                              does (and every later write, as a disk stays full)
//   FS_FAULT_COUNT=FILE        write the number of changes made to FILE at exit
//   FS_FAULT_ERRNO=CODE:TEXT   fail the first write to a file whose path holds
//                              TEXT with CODE (ENOSPC: as a full disk answers)
"use strict";
const fs = require("node:fs");

const killAt = Number(process.env.FS_FAULT_KILL_AT || 0);
const enospcAt = Number(process.env.FS_FAULT_ENOSPC_AT || 0);
const WRITES = new Set(["writeSync", "writeFileSync", "copyFileSync", "linkSync", "mkdirSync", "symlinkSync"]);
const [stopOp, ...stopPathParts] = (process.env.FS_FAULT_STOP_AT || "").split(":");
const stopPath = stopPathParts.join(":");
const countFile = process.env.FS_FAULT_COUNT;
const realWriteFileSync = fs.writeFileSync;
const [errnoCode, ...errnoTextParts] = (process.env.FS_FAULT_ERRNO || "").split(":");
const errnoText = errnoTextParts.join(":");
const ERRNOS = { ENOSPC: -28, EDQUOT: -122, EIO: -5 };
const watchedFds = new Set();
let errnoDone = false;
let changes = 0;
let stopped = false;

const CHANGES = ["mkdirSync", "renameSync", "rmSync", "rmdirSync", "unlinkSync", "symlinkSync", "linkSync", "copyFileSync", "chmodSync", "writeFileSync", "openSync", "writeSync"];
for (const name of CHANGES) {
  const real = fs[name];
  fs[name] = function (...args) {
    // openSync changes nothing unless it may create or truncate (flags as a string or as O_* bits).
    const flags = args[1] ?? "r";
    const { O_WRONLY, O_RDWR, O_CREAT, O_TRUNC } = fs.constants;
    const isChange = name !== "openSync" ||
      (typeof flags === "number" ? (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) !== 0 : /[wa+]/.test(String(flags)));
    if (isChange) {
      changes++;
      if (changes === killAt) process.kill(process.pid, "SIGKILL");
      // (stdout and stderr are not the disk that filled)
      const toTerminal = name === "writeSync" && (args[0] === 1 || args[0] === 2);
      if (enospcAt && !toTerminal && changes >= enospcAt && (changes === enospcAt || WRITES.has(name))) {
        const err = new Error(`ENOSPC: no space left on device, ${name.replace(/Sync$/, "")} '${String(args[0])}'`);
        Object.assign(err, { code: "ENOSPC", errno: -28, syscall: name.replace(/Sync$/, ""), path: typeof args[0] === "string" ? args[0] : undefined });
        throw err;
      }
      if (!stopped && name === stopOp && String(args[0]) === stopPath) {
        stopped = true;
        process.kill(process.pid, "SIGSTOP");
      }
    }
    if (errnoCode && !errnoDone && name === "writeSync" && watchedFds.has(args[0])) {
      errnoDone = true;
      const err = new Error(`${errnoCode}: injected by fs-fault, write`);
      Object.assign(err, { code: errnoCode, errno: ERRNOS[errnoCode] ?? -1, syscall: "write" });
      throw err;
    }
    const result = real.apply(this, args);
    if (errnoCode && name === "openSync" && isChange && String(args[0]).includes(errnoText)) watchedFds.add(result);
    return result;
  };
}

if (countFile) process.on("exit", () => realWriteFileSync(countFile, String(changes)));
