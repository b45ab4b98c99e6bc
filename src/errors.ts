// Errors with structure: a message, an optional hint and cause, rendered once
// at the top as `error:` / `Caused by:` / `hint:` (the shape uv uses).

export interface ErrorDetails {
  hint?: string | undefined;
  cause?: unknown;
}

/** A failure venvctl explains to the user: exit code 1. */
export class VenvctlError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number = 1;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.hint = details.hint;
  }
}

/** The command line itself is wrong: exit code 2. */
export class UsageError extends VenvctlError {
  override readonly exitCode = 2;
}

/** Renders an error for stderr. Unknown errors are bugs and keep their stack. */
export function renderError(err: unknown, debug = false): { text: string; exitCode: number } {
  if (err instanceof VenvctlError) {
    const lines = [`error: ${err.message}`];
    let cause: unknown = err.cause;
    const seen = new Set<unknown>();
    while (cause !== undefined && cause !== null && !seen.has(cause)) {
      seen.add(cause);
      const message = cause instanceof Error ? cause.message : String(cause);
      lines.push(`  Caused by: ${message}`);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    if (err.hint) lines.push(`hint: ${err.hint}`);
    if (debug && err.stack) lines.push(err.stack);
    return { text: lines.join("\n") + "\n", exitCode: err.exitCode };
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return {
    text:
      `error: internal error (this is a bug in venvctl)\n  Caused by: ${stack}\n` +
      `hint: please report it with the command you ran and VENVCTL_DEBUG=1 output\n`,
    exitCode: 1,
  };
}
