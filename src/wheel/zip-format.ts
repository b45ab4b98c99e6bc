// What ZIP's reader (zip.ts) and writer (zip-write.ts) share: the record
// signatures and CRC-32 in JavaScript. Free of node:zlib, so that writing a
// small archive (a Windows launcher's) loads nothing more.
// Format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT

export const SIG_EOCD = 0x06054b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_LOCAL = 0x04034b50;

let crcTable: Uint32Array | undefined;

/** CRC-32 computed in JavaScript, for Node releases without zlib.crc32. */
export function crc32ByTable(data: Buffer): number {
  const table = (crcTable ??= (() => {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })());
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
