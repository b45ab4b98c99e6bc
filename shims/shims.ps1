# venvctl's shims for PowerShell: written by `venvctl rehash` from
# shims/shims.ps1 and rewritten by each rehash (edits here are lost). The
# PowerShell set-up (`venvctl init powershell`, in $PROFILE) dot-sources it.
#
# Why functions, and not a <name>.ps1 beside each <name>.cmd: PowerShell runs
# a .cmd through cmd.exe, which reads the command line again, so `&`, `^`,
# `%NAME%` and quotes in arguments would not reach Python as typed. A .ps1 in
# the same directory would be found first (PowerShell's command search tries
# NAME.ps1 before NAME + each PATHEXT extension), but under the Restricted
# execution policy (Windows' default for desktops) a .ps1 cannot run at all,
# and `python` would then fail in every PowerShell that has the shims on PATH
# (they are on the user's PATH for cmd). A function is only defined where this
# file is dot-sourced from a profile, that is where scripts may run, and a
# function is found before any file (about_Command_Precedence).
#
# Each function asks its .cmd shim which program the selection chain chooses
# (VENVCTL_SHIM_RESOLVE: the shim prints the path instead of running it), so
# one implementation of the chain serves both shells, and then PowerShell
# runs the program itself, its arguments passed as PowerShell passes them to
# any program. What the shim leaves to venvctl (a range, a version not
# installed) is run as `venvctl exec`.
# Known limit: PowerShell's parameter binder takes a bare `--` out of the
# arguments of a function (as of a .ps1); write '--' quoted to pass it on.

# Global: the `venvctl` function dot-sources this file again after a rehash.
$global:__venvctl_shims_dir = '{{ SHIMS_DIR }}'
$global:__venvctl_node = '{{ NODE }}'
$global:__venvctl_cli = '{{ VENVCTL }}'

function global:__venvctl_resolve([string]$Name) {
  $shim = Join-Path $global:__venvctl_shims_dir "$Name.cmd"
  $psi = New-Object System.Diagnostics.ProcessStartInfo
  $psi.FileName = if ($env:ComSpec) { $env:ComSpec } else { 'cmd.exe' }
  # /d: no AutoRun; /u: echo writes UTF-16, so any path comes back whole;
  # ""…"": cmd /c takes off the outer quotes only, whatever the path holds.
  $psi.Arguments = '/d /u /c ""' + $shim + '""'
  $psi.UseShellExecute = $false
  $psi.RedirectStandardOutput = $true
  $psi.StandardOutputEncoding = [System.Text.Encoding]::Unicode
  $psi.WorkingDirectory = (Get-Location -PSProvider FileSystem).ProviderPath
  $psi.EnvironmentVariables['VENVCTL_SHIM_RESOLVE'] = '1'
  $process = [System.Diagnostics.Process]::Start($psi)
  $path = $process.StandardOutput.ReadToEnd().Trim()
  $process.WaitForExit()
  if ($process.ExitCode -eq 0 -and $path) { return , @($path) }
  return , @($global:__venvctl_node, $global:__venvctl_cli, 'exec', '--', $Name)
}

foreach ($__venvctl_name in @({{ COMMANDS }})) {
  Set-Item -LiteralPath "function:global:$__venvctl_name" -Value {
    $run = __venvctl_resolve $MyInvocation.MyCommand.Name
    $program = $run[0]
    $before = @($run | Select-Object -Skip 1)
    if ($MyInvocation.ExpectingInput) { $input | & $program @before @args } else { & $program @before @args }
  }
}
Remove-Variable __venvctl_name -ErrorAction SilentlyContinue
