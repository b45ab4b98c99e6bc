// `venvctl init cmd`: cmd.exe reads no rc file, so what it prints is a batch
// file to run at each cmd.exe start (the AutoRun value of
// HKCU\Software\Microsoft\Command Processor), with the other way — the shims
// directory on the user PATH once — said in its comments. The shims are .cmd
// files, which cmd finds through PATHEXT; they resolve the pin in cmd itself
// (shims/shim.cmd). cmd cannot evaluate a command's output as the POSIX
// shells' `venvctl` function does, so `use --shell` is `set VENVCTL_VERSION=…`.
import type { Shell } from "./shell-adapter.js";

/** A value inside `set "NAME=…"` in a batch file: `%` doubled (a path holds no `"`). */
function batchSetValue(s: string): string {
  return s.replace(/%/g, "%%");
}

export const cmd: Shell = {
  name: "cmd",
  init(shimsDir) {
    const dir = batchSetValue(shimsDir);
    return `@rem venvctl: cmd.exe set-up. cmd.exe reads no rc file; either
@rem  - put the shims first on your user PATH once (Settings, "Edit environment
@rem    variables for your account", Path: add ${shimsDir} at the top), or
@rem  - save these lines as %USERPROFILE%\\venvctl-init.cmd and have cmd.exe run
@rem    them at each start:
@rem      venvctl init cmd > "%USERPROFILE%\\venvctl-init.cmd"
@rem      reg add "HKCU\\Software\\Microsoft\\Command Processor" /v AutoRun /t REG_EXPAND_SZ /d "\\"%USERPROFILE%\\venvctl-init.cmd\\"" /f
@rem Pin a version for this window only with: set VENVCTL_VERSION=3.12
@if not defined VENVCTL_CMD_INIT set "PATH=${dir};%PATH%"
@set "VENVCTL_CMD_INIT=1"
`;
  },
  setEnv: (variable, value) => `set "${variable}=${batchSetValue(value)}"\n`,
  unsetEnv: (variable) => `set "${variable}="\n`,
};
