// `venvctl init fish`: fish has its own syntax for PATH, functions and
// variables, so it gets its own code (the same behaviour as posix-shell.ts).
import type { Shell } from "./shell-adapter.js";

/** Quotes a string for fish: inside '…' only \ and ' are special. */
export function fishQuote(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export const fish: Shell = {
  name: "fish",
  init(shimsDir) {
    const dir = fishQuote(shimsDir);
    return `# venvctl: fish set-up (venvctl init fish | source, in ~/.config/fish/config.fish)
if not contains -- ${dir} $PATH
    set -gx PATH ${dir} $PATH
end
function venvctl --description 'venvctl; \`venvctl use --shell\` sets VENVCTL_VERSION in this shell'
    if test (count $argv) -ge 1; and test "$argv[1]" = use; and contains -- --shell $argv
        set -l __venvctl_code (VENVCTL_SHELL_INTEGRATION=fish command venvctl $argv)
        or return
        string join \\n -- $__venvctl_code | source
        return 0
    end
    command venvctl $argv
end
`;
  },
  setEnv: (variable, value) => `set -gx ${variable} ${fishQuote(value)}\n`,
  unsetEnv: (variable) => `set -e -g ${variable}\n`,
};
