// Colour on stderr where a person reads it: the labels venvctl writes at the
// start of a line (`error:` red, `warning:` yellow, `hint:` dimmed) and
// nothing else. Decided once per process: never with NO_COLOR, always with
// FORCE_COLOR, else only when stderr is a terminal. pip writes to the
// terminal itself (its stderr is inherited), so its output is never touched.
import type { Output } from "./output.js";

const LABEL = /^(error|warning|hint):/gm;
const PAINT: Record<string, string> = { error: "\x1b[31m", warning: "\x1b[33m", hint: "\x1b[2m" };
const RESET = "\x1b[0m";

/**
 * Whether to colour, from the environment and whether stderr is a terminal
 * (https://no-color.org: NO_COLOR set and not empty wins; FORCE_COLOR set to
 * anything but "" or "0" forces colour, as Node and pip's rich read it).
 */
export function colourWanted(env: Record<string, string | undefined>, isTTY: () => boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "" && force !== "0" && force !== "false") return true;
  if (force === "0" || force === "false") return false;
  if (env.TERM === "dumb") return false;
  return isTTY();
}

/** Paints the labels at the start of each line of `text`. */
export function paintLabels(text: string): string {
  return text.replace(LABEL, (_m, label: string) => `${PAINT[label]}${label}:${RESET}`);
}

/**
 * Wraps stderr so that venvctl's labels are coloured when wanted. The
 * decision (which may ask isatty) is made at the first labelled write, so a
 * command that writes none pays nothing.
 */
export function colouredStderr(out: Output, wanted: () => boolean): Output {
  let decided: boolean | undefined;
  return {
    write(chunk: string) {
      LABEL.lastIndex = 0;
      if (!LABEL.test(chunk)) return out.write(chunk);
      decided ??= wanted();
      return out.write(decided ? paintLabels(chunk) : chunk);
    },
  };
}
