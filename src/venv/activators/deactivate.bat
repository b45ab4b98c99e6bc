@echo off
rem Leaves the virtual environment activate.bat entered: PATH, PYTHONHOME and
rem PROMPT come back as they were, and what activation set is unset (cmd has
rem no empty variables: "unset" and "empty" are the same there).
rem Written by venvctl.

if defined _OLD_VIRTUAL_PROMPT set "PROMPT=%_OLD_VIRTUAL_PROMPT%"
set "_OLD_VIRTUAL_PROMPT="

if defined _OLD_VIRTUAL_PYTHONHOME set "PYTHONHOME=%_OLD_VIRTUAL_PYTHONHOME%"
set "_OLD_VIRTUAL_PYTHONHOME="

if defined _OLD_VIRTUAL_PATH set "PATH=%_OLD_VIRTUAL_PATH%"
set "_OLD_VIRTUAL_PATH="

set "VIRTUAL_ENV="
set "VIRTUAL_ENV_PROMPT="
