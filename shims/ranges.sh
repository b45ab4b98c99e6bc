# venvctl shim ranges: written by `venvctl rehash` from shims/ranges.sh and
# sourced by a shim only when a pin holds a range. Ranges are PEP 440
# specifier sets as src/interpreters/version.ts matches them (`>=3.10,<3.13`,
# `~=3.11`, `==3.12.*`, `!=3.12.1`, `===3.12.1`), with `3.x`/`3.12.x` and
# `^3.10`; what this evaluator does not take (more than three release parts,
# leading zeros, .post/.dev, an operator apart from its version) answers 2,
# and the shim hands the range to `venvctl exec`. Candidates come from the
# index's `_vc_ranked`, newest first.

# _vc_parsev V: V as numbers (_vc_v1 _vc_v2 _vc_v3, _vc_vk: a=0 b=1 rc=2
# final=3, _vc_vn) and how many release parts it has (_vc_vlen). Fails on
# what this evaluator leaves to venvctl (more parts, leading zeros, .post…).
_vc_parsev() {
  _vc_vk=3 _vc_vn=0 _vc_rel=$1
  case $1 in
    *rc*) _vc_rel=${1%%rc*} _vc_vk=2 _vc_vn=${1#*rc} ;;
    *a*) _vc_rel=${1%%a*} _vc_vk=0 _vc_vn=${1#*a} ;;
    *b*) _vc_rel=${1%%b*} _vc_vk=1 _vc_vn=${1#*b} ;;
  esac
  case $_vc_vn in
    '' | *[!0-9]* | 0?* | ?????????*) return 1 ;;
  esac
  case $_vc_rel in
    '' | .* | *. | *..* | *[!0-9.]* | 0[0-9]* | *.0[0-9]*) return 1 ;;
  esac
  _vc_ifs=$IFS
  IFS=.
  set -- $_vc_rel
  IFS=$_vc_ifs
  [ $# -le 3 ] || return 1
  for _vc_x in "$@"; do
    case $_vc_x in ?????????*) return 1 ;; esac
  done
  _vc_vlen=$# _vc_v1=$1 _vc_v2=${2:-0} _vc_v3=${3:-0}
}

# _vc_cmp A1 A2 A3 AK AN B1 B2 B3 BK BN: sets _vc_c to -1, 0 or 1.
_vc_cmp() {
  _vc_c=0
  if [ "$1" -ne "$6" ]; then [ "$1" -lt "$6" ] && _vc_c=-1 || _vc_c=1
  elif [ "$2" -ne "$7" ]; then [ "$2" -lt "$7" ] && _vc_c=-1 || _vc_c=1
  elif [ "$3" -ne "$8" ]; then [ "$3" -lt "$8" ] && _vc_c=-1 || _vc_c=1
  elif [ "$4" -ne "$9" ]; then [ "$4" -lt "$9" ] && _vc_c=-1 || _vc_c=1
  elif [ "$5" -ne "${10}" ]; then [ "$5" -lt "${10}" ] && _vc_c=-1 || _vc_c=1
  fi
}

# _vc_clauses RANGE: the range's PEP 440 clauses as lines of
# `op v1 v2 v3 vk vn len wild text` in _vc_cl, and in _vc_pre whether one
# names a pre-release. Fails (2) on what is beyond this evaluator.
_vc_clauses() {
  _vc_cl= _vc_pre=
  _vc_ifs=$IFS
  IFS=", "
  set -- $1
  IFS=$_vc_ifs
  for _vc_cc in "$@"; do
    _vc_w=
    case $_vc_cc in
      x | X | '*') continue ;;
      '==='*) _vc_op='===' _vc_v=${_vc_cc#===} ;;
      '~='*) _vc_op='~=' _vc_v=${_vc_cc#~=} ;;
      '=='*) _vc_op='==' _vc_v=${_vc_cc#==} ;;
      '!='*) _vc_op='!=' _vc_v=${_vc_cc#!=} ;;
      '<='*) _vc_op='<=' _vc_v=${_vc_cc#<=} ;;
      '>='*) _vc_op='>=' _vc_v=${_vc_cc#>=} ;;
      '<'*) _vc_op='<' _vc_v=${_vc_cc#<} ;;
      '>'*) _vc_op='>' _vc_v=${_vc_cc#>} ;;
      '^'*) _vc_op='^' _vc_v=${_vc_cc#^} ;;
      *.[xX*]) _vc_op='==' _vc_v=${_vc_cc%.?} _vc_w=1 ;;
      *) return 2 ;;
    esac
    case $_vc_op$_vc_v in
      '=='*.'*' | '!='*.'*') _vc_v=${_vc_v%.\*} _vc_w=1 ;;
    esac
    _vc_parsev "$_vc_v" || return 2
    case $_vc_op in
      '~=') [ "$_vc_vlen" -ge 2 ] || return 2 ;;
      '^') [ "$_vc_vk" = 3 ] || return 2 ;;
    esac
    [ -n "$_vc_w" ] && [ "$_vc_vk" != 3 ] && return 2
    case $_vc_op in
      '==' | '>=' | '<=' | '~=' | '===') [ -z "$_vc_w" ] && [ "$_vc_vk" != 3 ] && _vc_pre=1 ;;
    esac
    _vc_cl="$_vc_cl$_vc_op $_vc_v1 $_vc_v2 $_vc_v3 $_vc_vk $_vc_vn $_vc_vlen ${_vc_w:-0} $_vc_v$_vc_nl"
  done
}

# _vc_prefix C1 C2 C3 V1 V2 V3 LEN: whether the first LEN release parts agree.
_vc_prefix() {
  [ "$1" = "$4" ] || return 1
  [ "$7" -ge 2 ] && { [ "$2" = "$5" ] || return 1; }
  [ "$7" -ge 3 ] && { [ "$3" = "$6" ] || return 1; }
  return 0
}

# _vc_holds OP V1 V2 V3 VK VN LEN WILD TEXT: whether the candidate
# (_vc_c1 _vc_c2 _vc_c3 _vc_ck _vc_cn, shown as _vc_cs) meets one clause.
_vc_holds() {
  _vc_cmp "$_vc_c1" "$_vc_c2" "$_vc_c3" "$_vc_ck" "$_vc_cn" "$2" "$3" "$4" "$5" "$6"
  case $1 in
    '===') [ "$_vc_cs" = "$9" ] ;;
    '==') if [ "$8" = 1 ]; then _vc_prefix "$_vc_c1" "$_vc_c2" "$_vc_c3" "$2" "$3" "$4" "$7"; else [ "$_vc_c" = 0 ]; fi ;;
    '!=') if [ "$8" = 1 ]; then ! _vc_prefix "$_vc_c1" "$_vc_c2" "$_vc_c3" "$2" "$3" "$4" "$7"; else [ "$_vc_c" != 0 ]; fi ;;
    '<=') [ "$_vc_c" != 1 ] ;;
    '>=') [ "$_vc_c" != -1 ] ;;
    '>') [ "$_vc_c" = 1 ] ;;
    # <3.13 keeps out 3.13.0rc1 unless the clause names a pre-release.
    '<') [ "$_vc_c" = -1 ] && { [ "$5" != 3 ] || [ "$_vc_ck" = 3 ] || ! _vc_prefix "$_vc_c1" "$_vc_c2" "$_vc_c3" "$2" "$3" "$4" 3; } ;;
    '~=') [ "$_vc_c" != -1 ] && _vc_prefix "$_vc_c1" "$_vc_c2" "$_vc_c3" "$2" "$3" "$4" $(($7 - 1)) ;;
    '^') [ "$_vc_c" != -1 ] && [ "$_vc_c1" = "$2" ] ;;
  esac
}

# _vc_range RANGE: sets _vc_key to the newest interpreter in the range;
# answers 1 when none is, 2 when the range is beyond this evaluator.
_vc_range() {
  _vc_clauses "$1" || return 2
  _vc_ifs=$IFS
  IFS=$_vc_nl
  for _vc_row in $_vc_ranked; do
    IFS=' '
    set -- $_vc_row
    _vc_key=$1 _vc_c1=$2 _vc_c2=$3 _vc_c3=$4 _vc_ck=$5 _vc_cn=$6 _vc_cs=$7
    if [ "$_vc_ck" != 3 ] && [ -z "$_vc_pre" ]; then IFS=$_vc_nl; continue; fi
    _vc_ok=1
    IFS=$_vc_nl
    for _vc_clause in $_vc_cl; do
      IFS=' '
      # shellcheck disable=SC2086
      _vc_holds $_vc_clause || { _vc_ok=; break; }
    done
    if [ -n "$_vc_ok" ]; then
      IFS=$_vc_ifs
      return 0
    fi
    IFS=$_vc_nl
  done
  IFS=$_vc_ifs
  return 1
}

