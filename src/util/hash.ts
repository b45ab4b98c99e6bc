// A fast non-cryptographic hash for cache keys and unique names, where
// loading node:crypto (~3 ms: it brings Node's stream machinery with it)
// would cost more than the work it serves. Never for integrity: wheel and
// RECORD hashes are sha256, from node:crypto.
import { thisProcess } from "../context.js";

/**
 * 64 bits of hash (as 16 hex digits) over a string: two 32-bit lanes of a
 * multiply-xorshift mix (cyrb53's construction, both lanes kept). Collisions
 * are as unlikely as any 64-bit hash's for keys that nobody crafts.
 */
export function quickHash(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

let counter = 0;
/** A suffix no other call of this process, and most likely no other process, uses. */
export function uniqueSuffix(): string {
  counter++;
  const random = Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, "0");
  return `${thisProcess.pid}-${counter}${random}`;
}
