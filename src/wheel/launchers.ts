// The launcher scripts pip writes for entry points, byte for byte
// (pip/_vendor/distlib/scripts.py: SCRIPT_TEMPLATE, _build_shebang,
// enquote_executable), and pip's `#!python` rewriting of .data/scripts
// (pip/_internal/operations/install/wheel.py: fix_script).
import type { ExportEntry } from "./entry-points.js";

/**
 * The shebang distlib writes for `python` on POSIX: `#!<python>` when it fits
 * the kernel's limit (127 bytes with `#!` and the newline; 512 on macOS) and
 * has no space; otherwise `/bin/sh` re-executes the script with Python, in a
 * form both sh and Python read.
 */
export function shebangFor(python: string, platform: NodeJS.Platform = "linux"): Buffer {
  // enquote_executable: a path with a space is quoted (an `/usr/bin/env X` form keeps env outside the quotes).
  let executable = python;
  if (executable.includes(" ")) {
    if (executable.startsWith("/usr/bin/env ")) {
      const rest = executable.slice("/usr/bin/env ".length);
      if (rest.includes(" ") && !rest.startsWith('"')) executable = `/usr/bin/env "${rest}"`;
    } else if (!executable.startsWith('"')) {
      executable = `"${executable}"`;
    }
  }
  const exe = Buffer.from(executable, "utf8");
  const max = platform === "darwin" ? 512 : 127;
  const simple = !exe.includes(0x20) && exe.length + 3 <= max;
  if (simple) return Buffer.concat([Buffer.from("#!"), exe, Buffer.from("\n")]);
  return Buffer.concat([Buffer.from("#!/bin/sh\n'''exec' "), exe, Buffer.from(` "$0" "$@"\n' '''\n`)]);
}

/** A console or GUI script launcher (identical on POSIX), as pip's ScriptMaker writes it. */
export function launcherScript(entry: ExportEntry, python: string, platform: NodeJS.Platform = "linux"): Buffer {
  const importName = entry.func.split(".")[0]!;
  const body =
    "# -*- coding: utf-8 -*-\n" +
    "import re\n" +
    "import sys\n" +
    `from ${entry.module} import ${importName}\n` +
    "if __name__ == '__main__':\n" +
    "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n" +
    `    sys.exit(${entry.func}())\n`;
  return Buffer.concat([shebangFor(python, platform), Buffer.from(body, "utf8")]);
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
export function fixScriptShebang(data: Buffer, python: string): Buffer {
  const nl = data.indexOf(0x0a);
  const rest = nl < 0 ? Buffer.alloc(0) : data.subarray(nl + 1);
  return Buffer.concat([Buffer.from(`#!${python}\n`, "utf8"), rest]);
}
