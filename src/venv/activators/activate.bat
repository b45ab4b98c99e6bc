@echo off
rem Activates a virtual environment in cmd.exe:
rem     <venv>\Scripts\activate.bat
rem deactivate.bat leaves it again. Written by venvctl.
rem
rem The saved values keep the names CPython's scripts use (_OLD_VIRTUAL_PATH,
rem ...), so either deactivate.bat can undo the other's activation.
rem (With delayed expansion on by default in the registry, a ! in the values
rem below would be lost; CPython's scripts share that.)

rem This file is UTF-8: read the rest of it under code page 65001, and switch
rem back at the end.
for /f "tokens=2 delims=:." %%a in ('"%SystemRoot%\System32\chcp.com"') do set "_OLD_CODEPAGE=%%a"
if defined _OLD_CODEPAGE "%SystemRoot%\System32\chcp.com" 65001 > nul

rem Leave the environment that is active, if any.
call "%~dp0deactivate.bat"

set "VIRTUAL_ENV={{ VIRTUAL_ENV }}"
set "VIRTUAL_ENV_PROMPT={{ VIRTUAL_ENV_PROMPT }}"

if defined PYTHONHOME set "_OLD_VIRTUAL_PYTHONHOME=%PYTHONHOME%"
set "PYTHONHOME="

rem The env's Scripts directory goes first.
set "_OLD_VIRTUAL_PATH=%PATH%"
set "PATH={{ BIN_DIR }};%PATH%"

rem "(name) " goes in front of the prompt, unless VIRTUAL_ENV_DISABLE_PROMPT is
rem non-empty. An undefined PROMPT means $P$G.
if defined VIRTUAL_ENV_DISABLE_PROMPT goto :prompt_done
if not defined PROMPT set "PROMPT=$P$G"
set "_OLD_VIRTUAL_PROMPT=%PROMPT%"
set "PROMPT={{ PROMPT_PREFIX_CMD }}%PROMPT%"
:prompt_done

if defined _OLD_CODEPAGE "%SystemRoot%\System32\chcp.com" %_OLD_CODEPAGE% > nul
set "_OLD_CODEPAGE="
