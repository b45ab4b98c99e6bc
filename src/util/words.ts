// Counted nouns in messages: `1 shim`, `2 shims` — never `1 shims`.

/** `n word`, with the plural form when n is not 1 (`plural(2, "entry", "entries")`). */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
