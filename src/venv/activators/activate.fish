# Activates a virtual environment in fish. Source it, do not run it:
#     source bin/activate.fish
# `deactivate` leaves the environment again. Written by venvctl.
#
# The saved values keep the names CPython's scripts use (_OLD_VIRTUAL_PATH,
# _old_fish_prompt, ...), so switching between an env made by venvctl and one
# made by `python -m venv` works in both directions. They are global but not
# exported: child processes have no use for them.

# Puts back PATH, PYTHONHOME and fish_prompt exactly as they were before
# activation, erases what activation set, and erases itself unless called as
# `deactivate nondestructive`.
function deactivate --description 'Leave the virtual environment'
    if set -q _OLD_VIRTUAL_PATH
        set -gx PATH $_OLD_VIRTUAL_PATH
        set -e _OLD_VIRTUAL_PATH
    end
    # Saved only when PYTHONHOME was set (even to nothing); otherwise it stays unset.
    if set -q _OLD_VIRTUAL_PYTHONHOME
        set -gx PYTHONHOME $_OLD_VIRTUAL_PYTHONHOME
        set -e _OLD_VIRTUAL_PYTHONHOME
    end
    if set -q _OLD_FISH_PROMPT_OVERRIDE
        set -e _OLD_FISH_PROMPT_OVERRIDE
        if functions -q _old_fish_prompt
            functions -e fish_prompt
            functions -c _old_fish_prompt fish_prompt
            functions -e _old_fish_prompt
        end
    end
    set -e VIRTUAL_ENV
    set -e VIRTUAL_ENV_PROMPT
    if test "$argv[1]" != nondestructive
        functions -e deactivate
    end
end

# Leave the environment that is active, if any.
deactivate nondestructive

set -gx VIRTUAL_ENV '{{ VIRTUAL_ENV }}'
set -gx VIRTUAL_ENV_PROMPT '{{ VIRTUAL_ENV_PROMPT }}'

set -g _OLD_VIRTUAL_PATH $PATH
set -gx PATH '{{ BIN_DIR }}' $PATH

if set -q PYTHONHOME
    set -g _OLD_VIRTUAL_PYTHONHOME $PYTHONHOME
    set -e PYTHONHOME
end

# "(name) " goes in front of the prompt, unless VIRTUAL_ENV_DISABLE_PROMPT is
# non-empty. fish draws its prompt with a function: keep the old one under
# another name and call it from ours.
if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"; and functions -q fish_prompt
    functions -c fish_prompt _old_fish_prompt
    function fish_prompt
        set -l old_status $status
        printf '(%s) ' '{{ VIRTUAL_ENV_PROMPT }}'
        # The old prompt may show the last command's status: give it back.
        echo "exit $old_status" | source
        _old_fish_prompt
    end
    set -g _OLD_FISH_PROMPT_OVERRIDE $VIRTUAL_ENV
end
