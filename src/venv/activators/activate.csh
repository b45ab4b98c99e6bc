# Activates a virtual environment in csh or tcsh. Source it, do not run it:
#     source bin/activate.csh
# `deactivate` leaves the environment again. Written by venvctl.
#
# The saved values keep the names CPython's scripts use (_OLD_VIRTUAL_PATH,
# ...), so switching between an env made by venvctl and one made by
# `python -m venv` works in both directions.

# `deactivate` puts back PATH, PYTHONHOME and the prompt exactly as they were
# before activation, unsets what activation set, and removes itself unless
# called as `deactivate nondestructive`.
#
# csh has no functions, so it is an alias: one line. And csh substitutes the
# variables of a whole line before it runs any of it, so a plain
# `if ($?X) setenv Y "$X"` fails when X is unset: each restore is instead an
# `eval` of a single-quoted command, which expands X only when it runs.
alias deactivate 'if ($?_OLD_VIRTUAL_PATH) eval '\''setenv PATH "$_OLD_VIRTUAL_PATH:q"; unset _OLD_VIRTUAL_PATH'\''; if ($?_OLD_VIRTUAL_PYTHONHOME) eval '\''setenv PYTHONHOME "$_OLD_VIRTUAL_PYTHONHOME:q"; unset _OLD_VIRTUAL_PYTHONHOME'\''; if ($?_OLD_VIRTUAL_PROMPT) eval '\''set prompt = "$_OLD_VIRTUAL_PROMPT:q"; unset _OLD_VIRTUAL_PROMPT'\''; unsetenv VIRTUAL_ENV; unsetenv VIRTUAL_ENV_PROMPT; rehash; if ("\!:*" != "nondestructive") unalias deactivate'

# Leave the environment that is active, if any.
deactivate nondestructive

# (In the values below, each exclamation mark is escaped with a backslash: csh
# substitutes history even in single quotes, and even in a comment, so this
# file has none that history would take.)
setenv VIRTUAL_ENV '{{ VIRTUAL_ENV }}'
setenv VIRTUAL_ENV_PROMPT '{{ VIRTUAL_ENV_PROMPT }}'

# The env's bin directory goes first; an empty PATH gets no empty entry (which
# would mean the current directory).
set _OLD_VIRTUAL_PATH = "$PATH:q"
if ("x$PATH:q" == "x") then
    setenv PATH '{{ BIN_DIR }}'
else
    setenv PATH '{{ BIN_DIR }}'":$PATH:q"
endif

if ($?PYTHONHOME) then
    set _OLD_VIRTUAL_PYTHONHOME = "$PYTHONHOME:q"
    unsetenv PYTHONHOME
endif

# "(name) " goes in front of the prompt, unless VIRTUAL_ENV_DISABLE_PROMPT is
# non-empty or there is no prompt (not an interactive shell). The emptiness
# test is nested under the $? test, not in an `else if` (tcsh substitutes that
# line too), for the reason given above. The name comes escaped for tcsh's
# prompt, where %, \, ^ and the exclamation mark are special.
if ($?prompt) then
    if ($?VIRTUAL_ENV_DISABLE_PROMPT) then
        if ("x$VIRTUAL_ENV_DISABLE_PROMPT:q" == "x") then
            set _OLD_VIRTUAL_PROMPT = "$prompt:q"
        endif
    else
        set _OLD_VIRTUAL_PROMPT = "$prompt:q"
    endif
    if ($?_OLD_VIRTUAL_PROMPT) then
        set prompt = '{{ PROMPT_PREFIX_TCSH }}'"$prompt:q"
    endif
endif

# Forget the commands found on the old PATH.
rehash
