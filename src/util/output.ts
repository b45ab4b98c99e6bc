// Where a command writes (the Context's stdout and stderr): its own module,
// below context.ts, so that what wraps a writer (util/colour.ts) and the
// Context do not import each other.

/** Where a command writes: `write` takes whole strings, as the streams do. */
export interface Output {
  write(chunk: string): unknown;
}
