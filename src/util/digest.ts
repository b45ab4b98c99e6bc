// The one owner of content hashes (sha256, sha384, sha512): wheels, RECORD
// rows, downloads. node:crypto is loaded only when a hash needs it: loading
// it brings Node's stream machinery (~6 ms, measured on a seeded create),
// more than a create spends hashing the few small files it writes (the
// launchers, INSTALLER, RECORD rows). Small sha256 inputs are hashed here
// in JavaScript (FIPS 180-4), large ones and the other algorithms by
// node:crypto. Never for cache keys: util/hash.ts's quickHash is for those.
import { createRequire } from "node:module";

/** The algorithms wheels, RECORD files and pip's --hash may use: sha256 or stronger (PEP 427 forbids md5 and sha1; pip's STRONG_HASHES). */
export const DIGEST_ALGORITHMS = ["sha256", "sha384", "sha512"] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];
export type DigestEncoding = "hex" | "base64url";

/** A sha256 in lowercase hex: what names the cache's entries. */
export const isSha256Hex = (s: string): boolean => /^[0-9a-f]{64}$/.test(s);

/** Up to this many bytes, sha256 is computed in JavaScript (a few µs a KiB; node:crypto pays its load first). */
const SMALL = 64 * 1024;

let crypto: typeof import("node:crypto") | undefined;

/** node:crypto, loaded on first use. */
export function nodeCrypto(): typeof import("node:crypto") {
  return (crypto ??= createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto"));
}

/** The digest of `data` (a string is hashed as UTF-8). */
export function digest(algorithm: DigestAlgorithm, data: Uint8Array | string, encoding: DigestEncoding): string {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  if (algorithm === "sha256" && bytes.length <= SMALL && crypto === undefined) {
    return Buffer.from(sha256(bytes)).toString(encoding);
  }
  return nodeCrypto().createHash(algorithm).update(bytes).digest(encoding);
}

/** Whether `algorithm` is one of DIGEST_ALGORITHMS (RECORD and --hash values name them in lower case). */
export function isDigestAlgorithm(algorithm: string): algorithm is DigestAlgorithm {
  return (DIGEST_ALGORITHMS as readonly string[]).includes(algorithm);
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256 (FIPS 180-4) of `data`, as 32 bytes. */
export function sha256(data: Uint8Array): Uint8Array {
  // The message, a 1 bit, zeros, and the bit length (64 bits, big-endian), in whole 64-byte blocks.
  const blocks = Math.ceil((data.length + 9) / 64);
  const m = new Uint8Array(blocks * 64);
  m.set(data);
  m[data.length] = 0x80;
  const view = new DataView(m.buffer);
  const bits = data.length * 8;
  view.setUint32(m.length - 8, Math.floor(bits / 0x100000000));
  view.setUint32(m.length - 4, bits >>> 0);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  for (let off = 0; off < m.length; off += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(off + t * 4);
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15]!, b = w[t - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, k = h[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] = (h[0]! + a) | 0; h[1] = (h[1]! + b) | 0; h[2] = (h[2]! + c) | 0; h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0; h[5] = (h[5]! + f) | 0; h[6] = (h[6]! + g) | 0; h[7] = (h[7]! + k) | 0;
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) ov.setUint32(i * 4, h[i]!);
  return out;
}
