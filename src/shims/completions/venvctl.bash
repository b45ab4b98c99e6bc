# venvctl completion for bash, generated from venvctl's own commands
# (`venvctl completion bash`; `venvctl init bash` loads it).

# The tables: subcommands, options, the options that take a value and what
# completes it, what completes the operands; by command path ("" is the root).
{{ TABLES }}

# Values for KIND and the word CUR into COMPREPLY; TARGET is the -p given so far.
__venvctl_values() {
    local kind=$1 cur=$2 target=$3 IFS=$'\n'
    case $kind in
        choices:*) COMPREPLY=($(IFS=' '; compgen -W "${kind#choices:}" -- "$cur")) ;;
        versions) COMPREPLY=($(compgen -W "$(command venvctl __complete versions 2>/dev/null)" -- "$cur")) ;;
        targets)
            COMPREPLY=($(compgen -W "$(command venvctl __complete versions 2>/dev/null)" -- "$cur") $(compgen -d -- "$cur"))
            compopt -o filenames 2>/dev/null ;;
        dists)
            local -a pick=()
            [[ -n $target ]] && pick=(--python "$target")
            COMPREPLY=($(compgen -W "$(command venvctl __complete dists "${pick[@]}" 2>/dev/null)" -- "$cur")) ;;
        commands) COMPREPLY=($(compgen -W "$(command venvctl __complete commands 2>/dev/null)" -- "$cur")) ;;
        dirs) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null ;;
        files) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null ;;
        *) COMPREPLY=() ;;
    esac
}

_venvctl() {
    local cur=${COMP_WORDS[COMP_CWORD]} path= w kind target= operand=0 i=1
    # `--opt=value`: bash splits it at `=` (COMP_WORDBREAKS).
    [[ $cur == = ]] && cur=
    while ((i < COMP_CWORD)); do
        w=${COMP_WORDS[i]}
        if [[ $w == -- ]] || { ((operand)) && __venvctl_passthrough "$path"; }; then
            __venvctl_values files "$cur"
            return
        fi
        if [[ $w == -* ]]; then
            if kind=$(__venvctl_value "$path" "$w"); then
                ((i++))
                [[ ${COMP_WORDS[i]} == = ]] && ((i++))
                if ((i >= COMP_CWORD)); then
                    __venvctl_values "$kind" "$cur" "$target"
                    return
                fi
                [[ $w == -p || $w == --python ]] && target=${COMP_WORDS[i]}
            fi
        elif [[ " $(__venvctl_subcommands "$path") " == *" $w "* ]]; then
            path=${path:+$path }$w
        else
            operand=1
        fi
        ((i++))
    done
    if ((operand)) && __venvctl_passthrough "$path"; then
        __venvctl_values files "$cur"
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(__venvctl_options "$path")" -- "$cur"))
    elif [[ -n $(__venvctl_subcommands "$path") ]]; then
        COMPREPLY=($(compgen -W "$(__venvctl_subcommands "$path")" -- "$cur"))
    elif kind=$(__venvctl_operands "$path"); then
        __venvctl_values "$kind" "$cur" "$target"
    fi
}

complete -F _venvctl venvctl
