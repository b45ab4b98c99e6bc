#!/bin/sh
# venvctl shim for `{{ NAME }}`: written by `venvctl rehash` from shims/shim.sh
# and rewritten by each rehash (edits here are lost). It runs the `{{ NAME }}`
# of the selected Python without starting Node or Python, by the selection
# chain of src/interpreters/selection.ts:
#   1. an active virtual environment's own {{ NAME }} ($VIRTUAL_ENV/bin);
#   2. the versions in VENVCTL_VERSION, else in the nearest .python-version,
#      else in $VENVCTL_ROOT/version, else in $PYENV_ROOT/version: the first
#      that has {{ NAME }} wins (as in pyenv);
#   3. system: the first {{ NAME }} on PATH outside the shim directories.
# A version is only ever looked up in the index that rehash wrote, never
# joined into a path: a hostile .python-version (`../../tmp/evil`, `bash`)
# cannot make this run anything but a discovered interpreter's executables.
# Version files are read as src/interpreters/version-file.ts reads them (the
# first {{ READ_BYTES }} bytes; NUL dropped; BOM, CR, `#` comments), and ranges are
# PEP 440 as src/interpreters/version.ts matches them; only a range beyond this
# evaluator is handed to `venvctl exec`, which resolves it the same way.
set -f
_vc_cmd={{ COMMAND }}

# 1. An active virtual environment is not touched: its own executables first.
if [ -n "${VIRTUAL_ENV-}" ] && [ -f "$VIRTUAL_ENV/bin/$_vc_cmd" ] && [ -x "$VIRTUAL_ENV/bin/$_vc_cmd" ]; then
  exec "$VIRTUAL_ENV/bin/$_vc_cmd" "$@"
fi

if [ ! -r {{ INDEX }} ]; then
  printf 'venvctl: the shim index %s is missing; run `venvctl rehash`\n' {{ INDEX }} >&2
  exit 127
fi
# Defines _vc_lookup (version or prefix -> where its commands are), _vc_ranked
# (what a range may select, newest first) and _vc_installed.
. {{ INDEX }}

_vc_exe= _vc_defer= _vc_any= _vc_missing= _vc_origin= _vc_n=0
_vc_nl='
'
# Word separators inside a line: blanks, and CR for files with CRLF line ends.
_vc_ws={{ WORD_SEPARATORS }}
IFS=$_vc_ws

# _vc_shimdir DIR: whether DIR is a shim directory, whatever it is called.
_vc_shimdir() {
  for _vc_s in {{ SHIM_DIRS }}; do
    [ "$1" -ef "$_vc_s" ] && return 0
  done
  return 1
}

# _vc_system: the first executable $_vc_cmd on PATH that is not a shim.
_vc_system() {
  _vc_ifs=$IFS
  IFS=:
  for _vc_d in $PATH; do
    case $_vc_d in
      /*) ;;
      *) continue ;;
    esac
    if [ -f "$_vc_d/$_vc_cmd" ] && [ -x "$_vc_d/$_vc_cmd" ] && ! _vc_shimdir "$_vc_d"; then
      _vc_exe=$_vc_d/$_vc_cmd
      IFS=$_vc_ifs
      return 0
    fi
  done
  IFS=$_vc_ifs
  return 1
}

# _vc_use KEY: sets _vc_exe when KEY names an installed version that has the
# command; answers 2 when KEY names none.
_vc_use() {
  _vc_bin= _vc_py= _vc_names=
  _vc_lookup "$1" || return 2
  _vc_any=1
  if [ -n "$_vc_bin" ]; then
    if [ -f "$_vc_bin/$_vc_cmd" ] && [ -x "$_vc_bin/$_vc_cmd" ]; then
      _vc_exe=$_vc_bin/$_vc_cmd
      return 0
    fi
  else
    # An interpreter found on PATH answers its own names only (python3.11…).
    case " $_vc_names " in
      *" $_vc_cmd "*) _vc_exe=$_vc_py; return 0 ;;
    esac
  fi
  return 1
}

# _vc_try ENTRY: `system`, or a version; remembers one that is not installed.
_vc_try() {
  _vc_n=$((_vc_n + 1))
  if [ "$1" = system ]; then
    _vc_any=1
    _vc_system
    return
  fi
  _vc_use "$1"
  _vc_st=$?
  [ "$_vc_st" -eq 2 ] || return "$_vc_st"
  _vc_missing="$_vc_missing$1$_vc_nl"
  return 1
}

# _vc_line TEXT: tries the entries on one line, in order (`#` starts a
# comment). A line holding a range is one entry. Answers 0 when the search
# is over (found, or venvctl's to decide: _vc_defer).
_vc_line() {
  _vc_words= _vc_isrange=
  for _vc_w in $1; do
    case $_vc_w in
      '#'*) break ;;
      *[,\<\>=~^!\*]* | *.[xX] | *.[xX].* | [xX]) _vc_isrange=1 ;;
    esac
    _vc_words="$_vc_words $_vc_w"
  done
  if [ -n "$_vc_isrange" ]; then
    _vc_n=$((_vc_n + 1))
    _vc_words=${_vc_words# }
    # The PEP 440 evaluator, read only when a pin holds a range.
    . {{ RANGES }}
    _vc_range "$_vc_words"
    case $? in
      0) _vc_use "$_vc_key" ;;
      1) _vc_missing="$_vc_missing$_vc_words$_vc_nl"; return 1 ;;
      *) _vc_defer=1; return 0 ;;
    esac
    return
  fi
  for _vc_w in $_vc_words; do
    _vc_try "$_vc_w" && return 0
  done
  return 1
}

# _vc_text TEXT: tries the entries of a version file's text, line by line.
_vc_text() {
  _vc_t=${1#{{ BOM }}}
  IFS=$_vc_nl
  for _vc_l in $_vc_t; do
    IFS=$_vc_ws
    _vc_line "$_vc_l" && return 0
  done
  IFS=$_vc_ws
  return 1
}

# _vc_file PATH: tries the entries a version file lists, from its first
# {{ READ_BYTES }} bytes only (NUL bytes dropped), as src/interpreters/version-file.ts
# reads them. The read builtin starts no program, but reads a line of any
# length to its end (dash: a byte per system call, seconds for a 10 MB
# line), so it reads a file only while it is known to be no longer than
# that: a stamp in {{ STAMPS }} says so of the file at PATH, and holds while
# it is newer than the file and its directory. Otherwise wc measures the
# file (by its size: it reads nothing), and head reads a longer one. A stale
# stamp can only cost time: a text that grows past the limit as it is read
# is thrown away and read again by head.
_vc_file() {
  _vc_origin=$1
  if [ ! -r "$1" ]; then
    _vc_defer=1
    return 0
  fi
  # The stamp's name: the path with / spelt %2F.
  _vc_k= _vc_r=$1
  while :; do
    case $_vc_r in
      */*) _vc_k=$_vc_k${_vc_r%%/*}%2F _vc_r=${_vc_r#*/} ;;
      *) _vc_k=$_vc_k$_vc_r; break ;;
    esac
  done
  _vc_k={{ STAMPS }}/$_vc_k
  if ! { [ "$_vc_k" -nt "$1" ] && [ "$_vc_k" -nt "${1%/*}/" ] && _vc_read "$1"; }; then
    _vc_r=$({{ WC }} -c <"$1" 2>/dev/null)
    _vc_r=${_vc_r##*[!0-9]}
    if [ -n "$_vc_r" ] && [ "$_vc_r" -le {{ READ_BYTES }} ]; then
      # true, not `:`: a failed redirection of a special builtin ends sh.
      { true >"$_vc_k"; } 2>/dev/null
      _vc_read "$1" || _vc_r=
    fi
    if [ -z "$_vc_r" ] || [ "$_vc_r" -gt {{ READ_BYTES }} ]; then
      _vc_t=$({{ HEAD }} -c {{ READ_BYTES }} -- "$1" 2>/dev/null) || {
        _vc_defer=1
        return 0
      }
    fi
  fi
  _vc_text "$_vc_t"
}

# _vc_read PATH: the whole text of PATH into _vc_t (lines ended by LF, NUL
# bytes dropped); answers 1 once it holds more than {{ READ_BYTES }} bytes.
_vc_read() {
  _vc_t=
  while IFS= read -r _vc_l || [ -n "$_vc_l" ]; do
    _vc_t=$_vc_t$_vc_l$_vc_nl
    [ "${#_vc_t}" -gt {{ READ_BYTES }} ] && return 1
  done <"$1"
  return 0
}

# 2. The pins: the first source that names any version decides.
_vc_select() {
  if [ -n "${VENVCTL_VERSION-}" ]; then
    _vc_origin=VENVCTL_VERSION
    _vc_ws="$_vc_ws:"
    _vc_text "$VENVCTL_VERSION" && return 0
    _vc_ws={{ WORD_SEPARATORS }}
    IFS=$_vc_ws
    [ "$_vc_n" -gt 0 ] && return 1
  fi
  # The nearest .python-version, from the working directory up (as pyenv,
  # through the logical $PWD).
  _vc_d=${PWD-}
  while :; do
    if [ -f "$_vc_d/.python-version" ]; then
      _vc_file "$_vc_d/.python-version" && return 0
      [ "$_vc_n" -gt 0 ] && return 1
      break
    fi
    [ -z "$_vc_d" ] && break
    _vc_d=${_vc_d%/*}
  done
  for _vc_g in {{ GLOBALS }}; do
    if [ -f "$_vc_g" ]; then
      _vc_file "$_vc_g" && return 0
      [ "$_vc_n" -gt 0 ] && return 1
    fi
  done
  _vc_origin=
  return 1
}

if _vc_select; then
  [ -n "$_vc_exe" ] && exec "$_vc_exe" "$@"
  exec {{ VENVCTL }} exec -- "$_vc_cmd" "$@"
fi

# 3. None of the selected versions has the command: the system's, as pyenv
# does, unless none of them is installed at all.
if [ -z "$_vc_origin" ] || [ -n "$_vc_any" ]; then
  _vc_system && exec "$_vc_exe" "$@"
fi

# Nothing to run: say which version is missing and who set it (as pyenv does).
IFS=$_vc_nl
_vc_first=
for _vc_w in $_vc_missing; do
  # Longer than any version (a hostile file's megabyte word): its size only.
  if [ "${#_vc_w}" -gt 100 ]; then
    printf 'venvctl: version (an entry of %s bytes) is not installed (set by %s)\n' "${#_vc_w}" "$_vc_origin" >&2
  else
    printf "venvctl: version \`%s' is not installed (set by %s)\n" "$_vc_w" "$_vc_origin" >&2
    # Only a version is worth naming to `venvctl python install`.
    case $_vc_w in
      [0-9]*) [ -z "$_vc_first" ] && _vc_first=$_vc_w ;;
    esac
  fi
done
if [ -n "$_vc_missing" ] && [ -z "$_vc_any" ]; then
  if [ -n "$_vc_first" ]; then
    printf "venvctl: installed: %s; pin one with \`venvctl use\`, or install it with \`venvctl python install %s\`\n" "$_vc_installed" "$_vc_first" >&2
  else
    printf 'venvctl: installed: %s; pin one with `venvctl use`\n' "$_vc_installed" >&2
  fi
  exit 127
fi
printf 'venvctl: %s: command not found\n' "$_vc_cmd" >&2
if [ -n {{ PROVIDERS }} ]; then
  printf "venvctl: the \`%s' command exists in these Python versions: %s\n" "$_vc_cmd" {{ PROVIDERS }} >&2
fi
exit 127
