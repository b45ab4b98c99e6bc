# venvctl completion for fish, generated from venvctl's own commands
# (`venvctl completion fish | source`; `venvctl init fish` loads it).

# The tables: subcommands and options (NAME<tab>DESCRIPTION lines), the
# options that take a value and what completes it, what completes the
# operands; by command path ("" is the root).
{{ TABLES }}

# The values of KIND for the word CUR; TARGET is the -p given so far.
function __venvctl_values --argument-names kind cur target
    switch $kind
        case 'choices:*'
            string split ' ' -- (string replace 'choices:' '' -- $kind)
        case versions
            command venvctl __complete versions 2>/dev/null
        case targets
            command venvctl __complete versions 2>/dev/null
            __fish_complete_directories $cur
        case dists
            if test -n "$target"
                command venvctl __complete dists --python $target 2>/dev/null
            else
                command venvctl __complete dists 2>/dev/null
            end
        case commands
            command venvctl __complete commands 2>/dev/null
        case dirs
            __fish_complete_directories $cur
        case files
            __fish_complete_path $cur
    end
end

function __venvctl_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l cmdpath ''
    set -l target ''
    set -l operand 0
    set -l kind
    set -l i 2
    set -l n (count $tokens)
    while test $i -le $n
        set -l w $tokens[$i]
        if test "$w" = --; or begin; test $operand = 1; and __venvctl_passthrough "$cmdpath"; end
            __fish_complete_path $cur
            return
        end
        if string match -q -- '-*' $w
            if not string match -q -- '*=*' $w; and set kind (__venvctl_value "$cmdpath" $w)
                set i (math $i + 1)
                if test $i -gt $n
                    __venvctl_values $kind "$cur" "$target"
                    return
                end
                contains -- $w -p --python; and set target $tokens[$i]
            end
        else if contains -- $w (__venvctl_subcommands "$cmdpath" | string replace -r '\t.*' '')
            set cmdpath (string trim -- "$cmdpath $w")
        else
            set operand 1
        end
        set i (math $i + 1)
    end
    set -l subs (__venvctl_subcommands "$cmdpath")
    if test $operand = 1; and __venvctl_passthrough "$cmdpath"
        __fish_complete_path $cur
    else if string match -q -- '--*=*' $cur
        set -l opt (string replace -r '=.*' '' -- $cur)
        set kind (__venvctl_value "$cmdpath" $opt); or return
        __venvctl_values $kind (string replace -r '^[^=]*=' '' -- $cur) "$target" | string replace -r '^' -- "$opt="
    else if string match -q -- '-*' $cur
        __venvctl_options "$cmdpath"
    else if test (count $subs) -gt 0
        printf '%s\n' $subs
    else if set kind (__venvctl_operands "$cmdpath")
        __venvctl_values $kind "$cur" "$target"
    end
end

complete -c venvctl -e
complete -c venvctl -f -a '(__venvctl_complete)'
