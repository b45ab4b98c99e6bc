@echo off
rem venvctl shim for `{{ NAME }}`: written by `venvctl rehash` from shims/shim.cmd
rem and rewritten by each rehash (edits here are lost). It runs the `{{ NAME }}` of
rem the selected Python without starting Node or Python, by the selection chain
rem of src/interpreters/selection.ts, as shims/shim.sh walks it on POSIX:
rem   1. an active virtual environment's own {{ NAME }} (%VIRTUAL_ENV%\Scripts);
rem   2. the versions in VENVCTL_VERSION, else in the nearest .python-version
rem      from the current directory up, else in %VENVCTL_ROOT%\version, else in
rem      pyenv-win's %PYENV_ROOT%\version: the first that has {{ NAME }} wins;
rem   3. system: the first {{ NAME }} on PATH outside the shim directories (a
rem      directory holding a venvctl shim set is never searched: a shim never
rem      runs itself again).
rem A version is only ever compared with the keys of the index rehash wrote,
rem never joined into a path or run.
rem
rem What cmd cannot do soundly is handed to `venvctl exec`, which resolves it
rem by the same chain (and says what is wrong when nothing can run): a pin
rem holding a range (>=3.11, 3.x) or any character outside A-Z a-z 0-9 . _ @ + - #
rem and space (a tab, a BOM, quotes, `&`...: cmd would re-parse them), a
rem version file over {{ READ_BYTES }} bytes, and a pin naming nothing installed.
rem
rem How cmd is kept from re-parsing what it reads: delayed expansion is off (a
rem `!` stays a `!`); a version file's line is taken by `for /f` into a variable
rem and only ever expanded inside "..." with its quotes replaced, until it is
rem known to hold nothing but the characters above; paths are only expanded
rem inside "...", and Windows paths cannot hold `"`.
rem Known limits: an argument holding `&`, `|`, `<`, `>` or `^` must be quoted,
rem as for every .cmd (cmd re-reads %*); Ctrl-C asks "Terminate batch job?".
setlocal EnableExtensions DisableDelayedExpansion
set "_vc_cmd={{ COMMAND }}"
set "_vc_index={{ INDEX }}"
set "_vc_exts=.COM;.EXE;.BAT;.CMD"
if not defined PATHEXT goto :venv
set "_vc_exts=%PATHEXT:"=%"

rem 1. An active virtual environment is not touched: its own executables first.
:venv
set "_vc_exe="
if not defined VIRTUAL_ENV goto :pins
set "_vc_dir=%VIRTUAL_ENV:"=%\Scripts"
call :pick
if defined _vc_exe goto :run

rem 2. The pins: the first source that names any version decides.
:pins
set "_vc_n=0"
set "_vc_any="
set "_vc_done="
set "_vc_defer="
if not defined VENVCTL_VERSION goto :local
rem Its quotes become `&` first (so the text can be held in "..."), which the
rem line check then refuses; `:` separates versions as a space does.
set "_vc_l=%VENVCTL_VERSION:"=&%"
set "_vc_l=%_vc_l::= %"
call :line
if defined _vc_defer goto :defer
if defined _vc_done goto :run
if %_vc_n% GTR 0 goto :fallback

rem The nearest .python-version, from the current directory up (a regular file:
rem a directory of that name is passed over).
:local
set "_vc_d=%CD%"
:walk
if "%_vc_d:~-1%"=="\" set "_vc_d=%_vc_d:~0,-1%"
set "_vc_f=%_vc_d%\.python-version"
if exist "%_vc_f%" if not exist "%_vc_f%\*" goto :local_file
if "%_vc_d:~2%"=="" goto :globals
set "_vc_up=%_vc_d%"
for %%p in ("%_vc_d%") do set "_vc_up=%%~dpp"
if "%_vc_up:~-1%"=="\" set "_vc_up=%_vc_up:~0,-1%"
if /i "%_vc_up%"=="%_vc_d%" goto :globals
set "_vc_d=%_vc_up%"
goto :walk
:local_file
call :file
if defined _vc_defer goto :defer
if defined _vc_done goto :run
if %_vc_n% GTR 0 goto :fallback

rem The global pins: venvctl's, then pyenv-win's.
:globals
for %%g in ({{ GLOBALS }}) do (
  set "_vc_f=%%~g"
  call :global
)
if defined _vc_defer goto :defer
if defined _vc_done goto :run

rem 3. None of the selected versions has the command: the system's, as pyenv
rem does, unless none of them is installed at all (venvctl then says so).
:fallback
if %_vc_n% GTR 0 if not defined _vc_any goto :defer
call :system
if defined _vc_exe goto :run
goto :defer

rem Runs what was found, with the arguments as given; its exit code is ours.
rem (`endlocal &` runs it with the caller's environment: the line is read
rem before endlocal, so %_vc_exe% is still known.) VENVCTL_SHIM_RESOLVE: the
rem PowerShell functions (.venvctl-shims.ps1) ask only for the path.
:run
if defined VENVCTL_SHIM_RESOLVE goto :print
endlocal & "%_vc_exe%" %*
exit /b %ERRORLEVEL%
:print
for %%p in ("%_vc_exe%") do echo:%%~p
exit /b 0

rem What cmd cannot decide, venvctl does: it resolves by the same chain, and
rem says what is missing when nothing can run.
:defer
if defined VENVCTL_SHIM_RESOLVE exit /b 3
endlocal & "{{ NODE }}" "{{ VENVCTL }}" exec -- {{ COMMAND }} %*
exit /b %ERRORLEVEL%

rem :global - a global version file (_vc_f), unless an earlier source decided.
:global
if defined _vc_done goto :eof
if defined _vc_defer goto :eof
if %_vc_n% GTR 0 goto :eof
if not exist "%_vc_f%" goto :eof
if exist "%_vc_f%\*" goto :eof
call :file
goto :eof

rem :file - tries the entries of the version file _vc_f, line by line. Only a
rem file of at most {{ READ_BYTES }} bytes is read here (venvctl reads the first
rem {{ READ_BYTES }} bytes of a longer one; cmd compares sizes up to 2 GB). `eol=#` passes over lines that start
rem with `#`, which are comments to venvctl too; empty lines are no entries.
:file
set "_vc_size="
for %%f in ("%_vc_f%") do set "_vc_size=%%~zf"
if not defined _vc_size goto :file_defer
if %_vc_size% GTR {{ READ_BYTES }} goto :file_defer
for /f "usebackq eol=# delims=" %%L in ("%_vc_f%") do (
  set "_vc_l=%%L"
  call :line
)
goto :eof
:file_defer
set "_vc_defer=1"
goto :eof

rem :line - tries the entries on the line _vc_l in order; a word starting with
rem `#` ends the line. The line is first checked to hold only A-Z a-z 0-9 . _
rem @ + - # and spaces: each of those is removed from a copy (whose quotes were
rem made `&`, so it is safe inside "..."), and anything left means venvctl
rem decides. Only then is the line expanded outside quotes, into words. A line
rem holding a range (x, 3.x, 3.x.1) is one request: venvctl's too.
:line
if defined _vc_done goto :eof
if defined _vc_defer goto :eof
if not defined _vc_l goto :eof
set "_vc_s=%_vc_l:"=&%"
if defined _vc_s set "_vc_s=%_vc_s:a=%"
if defined _vc_s set "_vc_s=%_vc_s:b=%"
if defined _vc_s set "_vc_s=%_vc_s:c=%"
if defined _vc_s set "_vc_s=%_vc_s:d=%"
if defined _vc_s set "_vc_s=%_vc_s:e=%"
if defined _vc_s set "_vc_s=%_vc_s:f=%"
if defined _vc_s set "_vc_s=%_vc_s:g=%"
if defined _vc_s set "_vc_s=%_vc_s:h=%"
if defined _vc_s set "_vc_s=%_vc_s:i=%"
if defined _vc_s set "_vc_s=%_vc_s:j=%"
if defined _vc_s set "_vc_s=%_vc_s:k=%"
if defined _vc_s set "_vc_s=%_vc_s:l=%"
if defined _vc_s set "_vc_s=%_vc_s:m=%"
if defined _vc_s set "_vc_s=%_vc_s:n=%"
if defined _vc_s set "_vc_s=%_vc_s:o=%"
if defined _vc_s set "_vc_s=%_vc_s:p=%"
if defined _vc_s set "_vc_s=%_vc_s:q=%"
if defined _vc_s set "_vc_s=%_vc_s:r=%"
if defined _vc_s set "_vc_s=%_vc_s:s=%"
if defined _vc_s set "_vc_s=%_vc_s:t=%"
if defined _vc_s set "_vc_s=%_vc_s:u=%"
if defined _vc_s set "_vc_s=%_vc_s:v=%"
if defined _vc_s set "_vc_s=%_vc_s:w=%"
if defined _vc_s set "_vc_s=%_vc_s:x=%"
if defined _vc_s set "_vc_s=%_vc_s:y=%"
if defined _vc_s set "_vc_s=%_vc_s:z=%"
if defined _vc_s set "_vc_s=%_vc_s:0=%"
if defined _vc_s set "_vc_s=%_vc_s:1=%"
if defined _vc_s set "_vc_s=%_vc_s:2=%"
if defined _vc_s set "_vc_s=%_vc_s:3=%"
if defined _vc_s set "_vc_s=%_vc_s:4=%"
if defined _vc_s set "_vc_s=%_vc_s:5=%"
if defined _vc_s set "_vc_s=%_vc_s:6=%"
if defined _vc_s set "_vc_s=%_vc_s:7=%"
if defined _vc_s set "_vc_s=%_vc_s:8=%"
if defined _vc_s set "_vc_s=%_vc_s:9=%"
if defined _vc_s set "_vc_s=%_vc_s:.=%"
if defined _vc_s set "_vc_s=%_vc_s:_=%"
if defined _vc_s set "_vc_s=%_vc_s:@=%"
if defined _vc_s set "_vc_s=%_vc_s:+=%"
if defined _vc_s set "_vc_s=%_vc_s:-=%"
if defined _vc_s set "_vc_s=%_vc_s:#=%"
if defined _vc_s set "_vc_s=%_vc_s: =%"
if defined _vc_s (
  set "_vc_defer=1"
  goto :eof
)
set "_vc_cmt="
set "_vc_range="
for %%w in (%_vc_l%) do (
  set "_vc_w=%%w"
  call :isrange
)
if defined _vc_range (
  set "_vc_defer=1"
  goto :eof
)
set "_vc_cmt="
for %%w in (%_vc_l%) do (
  set "_vc_w=%%w"
  call :try
)
goto :eof

rem :isrange - whether the word _vc_w is a range word cmd's characters can
rem spell (x, 3.x, 3.x.1; the others hold a character :line refuses), as
rem isRangeWord in src/interpreters/version-file.ts.
:isrange
if defined _vc_cmt goto :eof
if "%_vc_w:~0,1%"=="#" (
  set "_vc_cmt=1"
  goto :eof
)
if /i "%_vc_w%"=="x" set "_vc_range=1"
if /i "%_vc_w:~-2%"==".x" set "_vc_range=1"
if not "%_vc_w:.x.=%"=="%_vc_w%" set "_vc_range=1"
goto :eof

rem :try - one entry (_vc_w): `system`, or a key of the index.
:try
if defined _vc_done goto :eof
if defined _vc_cmt goto :eof
if "%_vc_w:~0,1%"=="#" (
  set "_vc_cmt=1"
  goto :eof
)
set /a _vc_n+=1
if not "%_vc_w%"=="system" goto :try_version
set "_vc_any=1"
call :system
if defined _vc_exe set "_vc_done=1"
goto :eof
:try_version
call :lookup
if not defined _vc_kind goto :eof
set "_vc_any=1"
call :use
if defined _vc_exe set "_vc_done=1"
goto :eof

rem :lookup - the index line whose key is _vc_w: `KEY|D|DIR|DIR` (an install:
rem its directory and Scripts) or `KEY|P|PYTHON|NAMES` (an interpreter found on
rem PATH, which answers its own names only). Keys are compared with case.
:lookup
set "_vc_kind="
set "_vc_a="
set "_vc_b="
if not exist "%_vc_index%" goto :eof
for /f "usebackq eol=# tokens=1-4 delims=|" %%a in ("%_vc_index%") do (
  if "%%a"=="%_vc_w%" if not defined _vc_kind (
    set "_vc_kind=%%b"
    set "_vc_a=%%c"
    set "_vc_b=%%d"
  )
)
goto :eof

rem :use - the command in the version the index line named, into _vc_exe.
:use
set "_vc_exe="
if "%_vc_kind%"=="P" goto :use_names
set "_vc_dir=%_vc_a%"
call :pick
if defined _vc_exe goto :eof
set "_vc_dir=%_vc_b%"
call :pick
goto :eof
:use_names
for %%n in (%_vc_b%) do if "%%n"=="%_vc_cmd%" set "_vc_exe=%_vc_a%"
goto :eof

rem :system - the first command on PATH outside the shim directories, into
rem _vc_exe. Relative entries are passed over, as venvctl does.
:system
set "_vc_exe="
if not defined PATH goto :eof
set "_vc_p=%PATH:"=%"
for %%d in ("%_vc_p:;=" "%") do (
  set "_vc_dir=%%~d"
  call :sysdir
)
goto :eof
:sysdir
if defined _vc_exe goto :eof
if not defined _vc_dir goto :eof
if not "%_vc_dir:~1,2%"==":\" if not "%_vc_dir:~1,2%"==":/" if not "%_vc_dir:~0,2%"=="\\" goto :eof
if "%_vc_dir:~-1%"=="\" set "_vc_dir=%_vc_dir:~0,-1%"
if exist "%_vc_dir%\{{ MANIFEST }}" goto :eof
for %%s in ({{ SHIM_DIRS }}) do if /i "%%~s"=="%_vc_dir%" goto :eof
call :pick
goto :eof

rem :pick - the command in the directory _vc_dir, by PATHEXT as cmd looks it up
rem (a file, not a directory), into _vc_exe.
:pick
for %%e in (%_vc_exts%) do (
  set "_vc_e=%%e"
  call :pick_ext
)
goto :eof
:pick_ext
if defined _vc_exe goto :eof
if exist "%_vc_dir%\%_vc_cmd%%_vc_e%" if not exist "%_vc_dir%\%_vc_cmd%%_vc_e%\*" set "_vc_exe=%_vc_dir%\%_vc_cmd%%_vc_e%"
goto :eof
