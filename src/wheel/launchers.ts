// The launchers pip writes for entry points (pip/_vendor/distlib/scripts.py:
// SCRIPT_TEMPLATE, _build_shebang, enquote_executable, _write_script), and
// pip's `#!python` rewriting of .data/scripts (pip/_internal/operations/
// install/wheel.py: fix_script). On POSIX a launcher is a script, byte for
// byte pip's; on Windows it is `<name>.exe`: distlib's launcher stub
// (t64.exe, w64.exe, … which pip ships in pip/_vendor/distlib: the env's own
// pip's are used, never a binary of ours), then the shebang, then a ZIP
// holding the script as __main__.py.
import type { ExportEntry } from "./entry-points.js";
import { storedZip } from "./zip-write.js";

/**
 * The shebang distlib writes for `python` on POSIX: `#!<python>` when it fits
 * the kernel's limit (127 bytes with `#!` and the newline; 512 on macOS) and
 * has no space; otherwise `/bin/sh` re-executes the script with Python, in a
 * form both sh and Python read.
 */
export function shebangFor(python: string, platform: NodeJS.Platform = "linux"): Buffer {
  const exe = Buffer.from(enquoteExecutable(python), "utf8");
  const max = platform === "darwin" ? 512 : 127;
  const simple = !exe.includes(0x20) && exe.length + 3 <= max;
  if (simple) return Buffer.concat([Buffer.from("#!"), exe, Buffer.from("\n")]);
  return Buffer.concat([Buffer.from("#!/bin/sh\n'''exec' "), exe, Buffer.from(` "$0" "$@"\n' '''\n`)]);
}

/** enquote_executable: a path with a space is quoted (an `/usr/bin/env X` form keeps env outside the quotes). */
function enquoteExecutable(python: string): string {
  if (!python.includes(" ")) return python;
  if (python.startsWith("/usr/bin/env ")) {
    const rest = python.slice("/usr/bin/env ".length);
    return rest.includes(" ") && !rest.startsWith('"') ? `/usr/bin/env "${rest}"` : python;
  }
  return python.startsWith('"') ? python : `"${python}"`;
}

/** A console or GUI script launcher (identical on POSIX), as pip's ScriptMaker writes it. */
export function launcherScript(entry: ExportEntry, python: string, platform: NodeJS.Platform = "linux"): Buffer {
  return Buffer.concat([shebangFor(python, platform), launcherBody(entry)]);
}

/** SCRIPT_TEMPLATE filled in for the entry point. */
function launcherBody(entry: ExportEntry): Buffer {
  const importName = entry.func.split(".")[0]!;
  const body =
    "# -*- coding: utf-8 -*-\n" +
    "import re\n" +
    "import sys\n" +
    `from ${entry.module} import ${importName}\n` +
    "if __name__ == '__main__':\n" +
    "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n" +
    `    sys.exit(${entry.func}())\n`;
  return Buffer.from(body, "utf8");
}

/** The machine a Windows interpreter runs on, as its sysconfig platform says (win-amd64, win32, win-arm64). */
export type WindowsMachine = "amd64" | "x86" | "arm64";

/** distlib's _get_launcher: t (console) or w (GUI), the pointer size, `-arm` on ARM64. */
export function windowsStubName(gui: boolean, machine: WindowsMachine): string {
  return `${gui ? "w" : "t"}${machine === "x86" ? "32" : "64"}${machine === "arm64" ? "-arm" : ""}.exe`;
}

export interface WindowsLauncherOptions {
  /** The launcher stub (t64.exe or w64.exe …) from pip's distlib. */
  stub: Buffer;
  /** The zip entry's time: now, or SOURCE_DATE_EPOCH's (UTC) as distlib takes it. */
  sourceDateEpoch?: string | undefined;
  now?: Date;
}

/**
 * `<name>.exe` for a console or GUI entry point, as distlib writes it on
 * Windows: the stub, `#!<python>` (pythonw for GUI scripts; quoted when it
 * holds a space) ending in "\n" and then os.linesep (distlib appends "\r\n"
 * to a shebang not ending in it), and a ZIP with the script as __main__.py.
 */
export function windowsLauncher(entry: ExportEntry & { gui: boolean }, python: string, opts: WindowsLauncherOptions): Buffer {
  let executable = python;
  if (entry.gui) {
    // _get_alternate_executable: every "python" in the file name becomes "pythonw".
    const cut = Math.max(executable.lastIndexOf("\\"), executable.lastIndexOf("/")) + 1;
    executable = executable.slice(0, cut) + executable.slice(cut).split("python").join("pythonw");
  }
  const shebang = Buffer.from(`#!${enquoteExecutable(executable)}\n\r\n`, "utf8");
  const epoch = opts.sourceDateEpoch !== undefined && /^\d+$/.test(opts.sourceDateEpoch) ? Number(opts.sourceDateEpoch) : undefined;
  const date = epoch !== undefined ? new Date(epoch * 1000) : (opts.now ?? new Date());
  // create_system 0: the archive is written on Windows.
  const zip = storedZip("__main__.py", launcherBody(entry), date, epoch !== undefined, 0);
  return Buffer.concat([opts.stub, shebang, zip]);
}

/** Whether a script's first line is pip's `#!python` placeholder. */
export function hasPythonPlaceholder(data: Uint8Array): boolean {
  return data.length >= 8 && Buffer.from(data.buffer, data.byteOffset, 8).toString("latin1") === "#!python";
}

/**
 * pip's fix_script: a first line starting with `#!python` becomes
 * `#!<python>\n` (the whole line: pip keeps no arguments, and never uses the
 * /bin/sh form here); the rest is kept as it is.
 */
export function fixScriptShebang(data: Buffer, python: string, platform: NodeJS.Platform = "linux"): Buffer {
  const nl = data.indexOf(0x0a);
  const rest = nl < 0 ? Buffer.alloc(0) : data.subarray(nl + 1);
  // os.linesep ends the new line: "\r\n" on Windows.
  return Buffer.concat([Buffer.from(`#!${python}${platform === "win32" ? "\r\n" : "\n"}`, "utf8"), rest]);
}
