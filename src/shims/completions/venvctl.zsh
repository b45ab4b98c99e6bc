#compdef venvctl
# venvctl completion for zsh, generated from venvctl's own commands
# (`venvctl completion zsh`; `venvctl init zsh` loads it). Needs compinit;
# loaded before it, it registers itself at the first prompt.

# The tables: subcommands and options (NAME:DESCRIPTION lines), the options
# that take a value and what completes it, what completes the operands; by
# command path ("" is the root).
{{ TABLES }}

# Offers the values of KIND; TARGET is the -p given so far.
__venvctl_values() {
    local kind=$1 target=$2
    case $kind in
        choices:*) compadd -- ${=${kind#choices:}} ;;
        versions) compadd -- ${(f)"$(command venvctl __complete versions 2>/dev/null)"} ;;
        targets) compadd -- ${(f)"$(command venvctl __complete versions 2>/dev/null)"}; _files -/ ;;
        dists)
            if [[ -n $target ]]; then
                compadd -- ${(f)"$(command venvctl __complete dists --python "$target" 2>/dev/null)"}
            else
                compadd -- ${(f)"$(command venvctl __complete dists 2>/dev/null)"}
            fi ;;
        commands) compadd -- ${(f)"$(command venvctl __complete commands 2>/dev/null)"} ;;
        dirs) _files -/ ;;
        files) _files ;;
    esac
}

_venvctl() {
    # `cmdpath`, not `path`: zsh ties `path` to PATH.
    local cur=${words[CURRENT]} cmdpath= w kind target= operand=0 i=2
    local -a lines
    while (( i < CURRENT )); do
        w=${words[i]}
        if [[ $w == -- ]] || { (( operand )) && __venvctl_passthrough "$cmdpath"; }; then
            _files
            return
        fi
        if [[ $w == -* ]]; then
            if [[ $w != *=* ]] && kind=$(__venvctl_value "$cmdpath" "$w"); then
                (( i++ ))
                if (( i >= CURRENT )); then
                    __venvctl_values "$kind" "$target"
                    return
                fi
                [[ $w == -p || $w == --python ]] && target=${words[i]}
            fi
        elif (( ${${(f)"$(__venvctl_subcommands "$cmdpath")"}[(I)${(b)w}:*]} )); then
            cmdpath=${cmdpath:+$cmdpath }$w
        else
            operand=1
        fi
        (( i++ ))
    done
    if (( operand )) && __venvctl_passthrough "$cmdpath"; then
        _files
    elif [[ $cur == --*=* ]] && kind=$(__venvctl_value "$cmdpath" "${cur%%=*}"); then
        compset -P '*='
        __venvctl_values "$kind" "$target"
    elif [[ $cur == -* ]]; then
        lines=(${(f)"$(__venvctl_options "$cmdpath")"})
        _describe -t options 'option' lines
    elif lines=(${(f)"$(__venvctl_subcommands "$cmdpath")"}); (( ${#lines} )); then
        _describe -t commands 'venvctl command' lines
    elif kind=$(__venvctl_operands "$cmdpath"); then
        __venvctl_values "$kind" "$target"
    fi
}

if [[ ${funcstack[1]-} == _venvctl ]]; then
    # Autoloaded from a file named _venvctl on fpath.
    _venvctl "$@"
elif (( $+functions[compdef] )); then
    compdef _venvctl venvctl
else
    __venvctl_compdef() {
        (( $+functions[compdef] )) || return 0
        compdef _venvctl venvctl
        precmd_functions=(${precmd_functions:#__venvctl_compdef})
    }
    precmd_functions+=(__venvctl_compdef)
fi
