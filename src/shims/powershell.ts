// `venvctl init powershell` (and `pwsh`): the lines for $PROFILE. PowerShell
// finds programs on $env:PATH as cmd does, so the shims directory goes first
// there; the functions of .venvctl-shims.ps1 (written by rehash from
// shims/shims.ps1) then stand in front of the .cmd shims, so that arguments
// reach Python as PowerShell passed them, not re-read by cmd.exe. The
// `venvctl` function does what the POSIX one does (posix-shell.ts): it
// evaluates what `venvctl use --shell` prints, and reloads the functions after
// a command that may have changed the shims.
import type { Shell } from "./shell-adapter.js";
import { powershellSingleQuoted } from "../util/sh-quote.js";

function powershellInit(name: string, shimsDir: string): string {
  const dir = powershellSingleQuoted(shimsDir);
  return `# venvctl: PowerShell set-up. Add to your profile (notepad $PROFILE):
#     venvctl init ${name} | Out-String | Invoke-Expression
$__venvctl_shims = '${dir}'
$__venvctl_sep = [IO.Path]::PathSeparator
if (-not (($env:PATH -split [regex]::Escape($__venvctl_sep)) -contains $__venvctl_shims)) { $env:PATH = $__venvctl_shims + $__venvctl_sep + $env:PATH }
$__venvctl_functions = Join-Path $__venvctl_shims '.venvctl-shims.ps1'
if (Test-Path -LiteralPath $__venvctl_functions) { . $__venvctl_functions }
function global:venvctl {
  $program = Get-Command -Name venvctl -CommandType Application -ErrorAction Stop | Select-Object -First 1
  if ($args.Count -ge 1 -and $args[0] -eq 'use' -and $args -contains '--shell') {
    $env:VENVCTL_SHELL_INTEGRATION = '${name}'
    try { $code = & $program @args } finally { Remove-Item Env:VENVCTL_SHELL_INTEGRATION -ErrorAction SilentlyContinue }
    if ($LASTEXITCODE -ne 0) { return }
    Invoke-Expression ($code -join [Environment]::NewLine)
    return
  }
  & $program @args
  $status = $LASTEXITCODE
  if ($args.Count -ge 1 -and @('use', 'rehash', 'install', 'reinstall', 'uninstall', 'sync', 'python') -contains $args[0]) {
    $functions = Join-Path '${dir}' '.venvctl-shims.ps1'
    if (Test-Path -LiteralPath $functions) { . $functions }
  }
  $global:LASTEXITCODE = $status
}
`;
}

/** Builds the adapter for Windows PowerShell (`powershell`) or PowerShell 7 (`pwsh`): the same code. */
export function powershellShell(name: "powershell" | "pwsh"): Shell {
  return {
    name,
    init: (shimsDir) => powershellInit(name, shimsDir),
    setEnv: (variable, value) => `$env:${variable} = '${powershellSingleQuoted(value)}'\n`,
    unsetEnv: (variable) => `Remove-Item Env:${variable} -ErrorAction SilentlyContinue\n`,
  };
}

export const powershell = powershellShell("powershell");
export const pwsh = powershellShell("pwsh");
