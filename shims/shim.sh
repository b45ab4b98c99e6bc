#!/bin/sh
# venvctl shim for `{{ NAME }}`: written by `venvctl rehash` from shims/shim.sh
# and rewritten by each rehash (edits here are lost). It runs the `{{ NAME }}`
# of the selected Python without starting Node or Python:
#   1. an active virtual environment's own {{ NAME }} ($VIRTUAL_ENV/bin);
#   2. the versions in VENVCTL_VERSION, else in the nearest .python-version,
#      else in the global version file: the first that has {{ NAME }} wins
#      (as in pyenv);
#   3. system: the first {{ NAME }} on PATH outside the shim directories.
# A version is only ever looked up in the index that rehash wrote, never
# joined into a path: a hostile .python-version (`../../tmp/evil`) cannot make
# this run anything but a discovered interpreter's executables. Only what the
# index cannot answer (a range such as >=3.10 or 3.x, a file too big to be a
# version file) is handed to `venvctl exec`, which resolves it the same way.
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
# Defines _vc_lookup (version or prefix -> where its commands are) and _vc_installed.
. {{ INDEX }}

_vc_exe= _vc_defer= _vc_any= _vc_missing= _vc_origin= _vc_n=0
# Version files split on blanks; \r too, for files with CRLF line ends.
IFS={{ IFS }}

# _vc_system: the first executable $_vc_cmd on PATH that is not a shim.
_vc_system() {
  _vc_ifs=$IFS
  IFS=:
  for _vc_d in $PATH; do
    case $_vc_d in
      /*) ;;
      *) continue ;;
    esac
    case $_vc_d in
      {{ SHIM_DIRS }}) continue ;;
    esac
    if [ -f "$_vc_d/$_vc_cmd" ] && [ -x "$_vc_d/$_vc_cmd" ]; then
      _vc_exe=$_vc_d/$_vc_cmd
      IFS=$_vc_ifs
      return 0
    fi
  done
  IFS=$_vc_ifs
  return 1
}

# _vc_try WORD: sets _vc_exe when WORD is `system` or names an installed
# version that has the command; remembers a version that is not installed.
_vc_try() {
  _vc_n=$((_vc_n + 1))
  if [ "$1" = system ]; then
    _vc_any=1
    _vc_system
    return
  fi
  _vc_bin= _vc_py= _vc_names=
  if _vc_lookup "$1"; then
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
  fi
  _vc_missing="$_vc_missing $1"
  return 1
}

# _vc_line TEXT: tries the versions on one line, in order (`#` starts a
# comment). A line holding a range is venvctl's to resolve (_vc_defer).
# Answers 0 when the search is over.
_vc_line() {
  for _vc_w in $1; do
    case $_vc_w in
      '#'*) break ;;
      *[,\<\>=~^!\*]* | *.[xX] | *.[xX].* | [xX]) _vc_defer=1; return 0 ;;
    esac
  done
  for _vc_w in $1; do
    case $_vc_w in
      '#'*) break ;;
    esac
    _vc_try "$_vc_w" && return 0
  done
  return 1
}

# _vc_file PATH: tries the versions a version file lists. A file too big to
# be a version file, or unreadable, is venvctl's to explain.
_vc_file() {
  if [ ! -r "$1" ]; then
    _vc_defer=1
    return 0
  fi
  _vc_lines=0
  while IFS= read -r _vc_l || [ -n "$_vc_l" ]; do
    _vc_lines=$((_vc_lines + 1))
    if [ "$_vc_lines" -gt 256 ] || [ "${#_vc_l}" -gt 1024 ]; then
      _vc_defer=1
      return 0
    fi
    [ "$_vc_lines" = 1 ] && _vc_l=${_vc_l#{{ BOM }}}
    _vc_line "$_vc_l" && return 0
  done <"$1"
  return 1
}

# 2. The selection: the first source that names any version decides.
_vc_select() {
  if [ -n "${VENVCTL_VERSION-}" ]; then
    _vc_origin=VENVCTL_VERSION
    IFS={{ IFS }}:
    _vc_line "$VENVCTL_VERSION" && return 0
    IFS={{ IFS }}
    [ "$_vc_n" -gt 0 ] && return 1
  fi
  # The nearest .python-version, from the working directory up (as pyenv,
  # through the logical $PWD).
  _vc_d=${PWD-}
  while :; do
    if [ -f "$_vc_d/.python-version" ]; then
      _vc_origin=$_vc_d/.python-version
      _vc_file "$_vc_origin" && return 0
      [ "$_vc_n" -gt 0 ] && return 1
      break
    fi
    [ -z "$_vc_d" ] && break
    _vc_d=${_vc_d%/*}
  done
  if [ -f {{ GLOBAL }} ]; then
    _vc_origin={{ GLOBAL }}
    _vc_file "$_vc_origin" && return 0
    [ "$_vc_n" -gt 0 ] && return 1
  fi
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
for _vc_w in $_vc_missing; do
  printf "venvctl: version \`%s' is not installed (set by %s)\n" "$_vc_w" "$_vc_origin" >&2
done
if [ -n "$_vc_missing" ] && [ -z "$_vc_any" ]; then
  printf 'venvctl: installed: %s; pin one with `venvctl use`\n' "$_vc_installed" >&2
  exit 127
fi
printf 'venvctl: %s: command not found\n' "$_vc_cmd" >&2
if [ -n {{ PROVIDERS }} ]; then
  printf "venvctl: the \`%s' command exists in these Python versions: %s\n" "$_vc_cmd" {{ PROVIDERS }} >&2
fi
exit 127
