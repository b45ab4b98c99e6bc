# Activates a virtual environment in PowerShell. Dot-source it:
#     . <venv>/bin/Activate.ps1        (<venv>\Scripts\Activate.ps1 on Windows)
# `deactivate` leaves the environment again. Written by venvctl.
#
# The saved values keep the names and places CPython's Activate.ps1 uses
# (Env:_OLD_VIRTUAL_PATH, Function:_OLD_VIRTUAL_PROMPT, ...), so switching
# between an env made by venvctl and one made by `python -m venv` works in
# both directions.

# Puts back PATH, PYTHONHOME and the prompt function as they were before
# activation, removes what activation set, and removes itself unless called as
# `deactivate -NonDestructive`.
function global:deactivate([switch] $NonDestructive) {
    if (Test-Path -Path Function:_OLD_VIRTUAL_PROMPT) {
        Copy-Item -Path Function:_OLD_VIRTUAL_PROMPT -Destination Function:prompt
        Remove-Item -Path Function:_OLD_VIRTUAL_PROMPT
    }
    # Saved only when PYTHONHOME was set; otherwise it stays unset.
    if (Test-Path -Path Env:_OLD_VIRTUAL_PYTHONHOME) {
        Copy-Item -Path Env:_OLD_VIRTUAL_PYTHONHOME -Destination Env:PYTHONHOME
        Remove-Item -Path Env:_OLD_VIRTUAL_PYTHONHOME
    }
    if (Test-Path -Path Env:_OLD_VIRTUAL_PATH) {
        Copy-Item -Path Env:_OLD_VIRTUAL_PATH -Destination Env:PATH
        Remove-Item -Path Env:_OLD_VIRTUAL_PATH
    }
    Remove-Item -Path Env:VIRTUAL_ENV, Env:VIRTUAL_ENV_PROMPT -ErrorAction SilentlyContinue
    # Left by CPython's script.
    Remove-Variable -Name _PYTHON_VENV_PROMPT_PREFIX -Scope Global -Force -ErrorAction SilentlyContinue
    if (-not $NonDestructive) {
        Remove-Item -Path Function:deactivate
    }
}

# Leave the environment that is active, if any.
deactivate -NonDestructive

$Env:VIRTUAL_ENV = '{{ VIRTUAL_ENV }}'
$Env:VIRTUAL_ENV_PROMPT = '{{ VIRTUAL_ENV_PROMPT }}'

if (Test-Path -Path Env:PYTHONHOME) {
    Copy-Item -Path Env:PYTHONHOME -Destination Env:_OLD_VIRTUAL_PYTHONHOME
    Remove-Item -Path Env:PYTHONHOME
}

# The env's bin directory goes first.
Copy-Item -Path Env:PATH -Destination Env:_OLD_VIRTUAL_PATH
$Env:PATH = '{{ BIN_DIR }}' + [System.IO.Path]::PathSeparator + $Env:PATH

# "(name) " goes in front of the prompt, unless VIRTUAL_ENV_DISABLE_PROMPT is
# non-empty: the old prompt function is kept under another name and called
# from ours.
if (-not $Env:VIRTUAL_ENV_DISABLE_PROMPT -and (Test-Path -Path Function:prompt)) {
    function global:_OLD_VIRTUAL_PROMPT { "" }
    Copy-Item -Path Function:prompt -Destination Function:_OLD_VIRTUAL_PROMPT
    function global:prompt {
        Write-Host -NoNewline '({{ VIRTUAL_ENV_PROMPT }}) '
        _OLD_VIRTUAL_PROMPT
    }
}
