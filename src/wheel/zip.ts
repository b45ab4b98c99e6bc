// Reading ZIP archives (wheels) from memory: the central directory, ZIP64
// aware, each entry inflated with zlib and checked against its CRC-32 and size.
// Synchronous on purpose: a wheel is read whole, verified whole, and only then
// is anything written (see verify.ts). Only loaded when a wheel is unpacked.
// Format: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
import * as zlib from "node:zlib";
import { crc32ByTable, SIG_CENTRAL, SIG_EOCD, SIG_LOCAL } from "./zip-format.js";

export { crc32ByTable } from "./zip-format.js";

/** The archive is not a readable ZIP file; the message says where it breaks. */
export class ZipFormatError extends Error {}

export interface ZipEntry {
  /** The name as stored (`pip/__init__.py`; directories end with `/`). */
  name: string;
  /** 0 = stored, 8 = deflated (the only methods a wheel may use). */
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  localOffset: number;
  /** The high half of the external attributes: Unix mode bits where the archiver wrote them. */
  unixMode: number;
  isDirectory: boolean;
}

const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
/** zlib's largest output (and Node's largest buffer on 64-bit machines): 4 GiB. */
const MAX_ENTRY = 2 ** 32;

/** A ZIP archive held in memory. */
export class ZipArchive {
  readonly entries: ZipEntry[];

  constructor(private readonly data: Buffer) {
    this.entries = readCentralDirectory(data);
  }

  /** The entry's content, inflated and checked against its size and CRC-32. */
  read(entry: ZipEntry): Buffer {
    const buf = this.data;
    const at = entry.localOffset;
    if (at + 30 > buf.length || buf.readUInt32LE(at) !== SIG_LOCAL) {
      throw new ZipFormatError(`${entry.name}: no local header at offset ${at}`);
    }
    const flags = buf.readUInt16LE(at + 6);
    if (flags & 0x1) throw new ZipFormatError(`${entry.name}: encrypted entries are not supported`);
    const nameLength = buf.readUInt16LE(at + 26);
    const extraLength = buf.readUInt16LE(at + 28);
    const localName = buf.subarray(at + 30, at + 30 + nameLength);
    // The local name must be the central one: a mismatch is how some
    // archives show one name to one tool and another to the next.
    if (decodeName(localName, flags) !== entry.name) {
      throw new ZipFormatError(`${entry.name}: local header names a different file`);
    }
    const start = at + 30 + nameLength + extraLength;
    const end = start + entry.compressedSize;
    if (end > buf.length) throw new ZipFormatError(`${entry.name}: data runs past the end of the archive`);
    const raw = buf.subarray(start, end);
    let out: Buffer;
    if (entry.method === 0) {
      out = raw;
    } else if (entry.method === 8) {
      if (entry.size > MAX_ENTRY) {
        throw new ZipFormatError(`${entry.name}: ${entry.size} bytes is more than one buffer holds (a wheel is read in memory)`);
      }
      try {
        // Inflating stops at the declared size, so a bomb behind a lying
        // header costs no more memory than it admits to. (The cap must be at
        // least 1: a declared 0 that inflates to 1 byte is caught by the size check.)
        out = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
          throw new ZipFormatError(`${entry.name}: inflates to more than the ${entry.size} bytes the directory says`);
        }
        throw new ZipFormatError(`${entry.name}: cannot inflate (${(err as Error).message})`);
      }
    } else {
      throw new ZipFormatError(`${entry.name}: unsupported compression method ${entry.method}`);
    }
    if (out.length !== entry.size) {
      throw new ZipFormatError(`${entry.name}: ${out.length} bytes, the directory says ${entry.size}`);
    }
    if (crc32(out) !== entry.crc32) throw new ZipFormatError(`${entry.name}: CRC-32 mismatch`);
    return out;
  }
}

function readCentralDirectory(buf: Buffer): ZipEntry[] {
  // The end-of-central-directory record: 22 bytes plus a comment of up to 64 KiB.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - MAX16); i--) {
    if (buf.readUInt32LE(i) === SIG_EOCD && i + 22 + buf.readUInt16LE(i + 20) === buf.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError("no end of central directory record (not a ZIP file, or truncated)");
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) {
    throw new ZipFormatError("multi-disk archives are not supported");
  }
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  let cdEnd = eocd;

  const locator = eocd - 20;
  if (locator >= 0 && buf.readUInt32LE(locator) === SIG_ZIP64_LOCATOR) {
    const at = readUInt64(buf, locator + 8);
    if (at + 56 > locator || buf.readUInt32LE(at) !== SIG_ZIP64_EOCD) {
      throw new ZipFormatError("ZIP64 end of central directory record not found where its locator says");
    }
    count = readUInt64(buf, at + 32);
    cdSize = readUInt64(buf, at + 40);
    cdOffset = readUInt64(buf, at + 48);
    cdEnd = at;
  } else if (count === MAX16 || cdSize === MAX32 || cdOffset === MAX32) {
    throw new ZipFormatError("ZIP64 archive without its end of central directory locator");
  }
  if (cdOffset + cdSize !== cdEnd) {
    throw new ZipFormatError("the central directory is not where the end record says (data prepended or truncated)");
  }

  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cdEnd || buf.readUInt32LE(p) !== SIG_CENTRAL) {
      throw new ZipFormatError(`central directory entry ${n + 1} of ${count} is damaged`);
    }
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    let localOffset = buf.readUInt32LE(p + 42);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > cdEnd) throw new ZipFormatError(`central directory entry ${n + 1} runs past the directory`);
    const name = decodeName(buf.subarray(p + 46, p + 46 + nameLength), flags);

    // ZIP64 extended information: the 8-byte values, in this order, for the
    // fields that hold 0xFFFFFFFF.
    if (size === MAX32 || compressedSize === MAX32 || localOffset === MAX32) {
      let e = p + 46 + nameLength;
      const extraEnd = e + extraLength;
      let found = false;
      while (e + 4 <= extraEnd) {
        const id = buf.readUInt16LE(e);
        const len = buf.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          const take = () => {
            if (q + 8 > e + 4 + len) throw new ZipFormatError(`${name}: ZIP64 extra field too short`);
            const v = readUInt64(buf, q);
            q += 8;
            return v;
          };
          if (size === MAX32) size = take();
          if (compressedSize === MAX32) compressedSize = take();
          if (localOffset === MAX32) localOffset = take();
          found = true;
          break;
        }
        e += 4 + len;
      }
      if (!found) throw new ZipFormatError(`${name}: ZIP64 sizes without a ZIP64 extra field`);
    }
    if (localOffset >= cdOffset) throw new ZipFormatError(`${name}: local header offset past the data`);
    entries.push({
      name,
      method,
      crc32: crc,
      compressedSize,
      size,
      localOffset,
      unixMode: external >>> 16,
      isDirectory: name.endsWith("/"),
    });
    p = next;
  }
  return entries;
}

function readUInt64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError("a ZIP64 value is out of range");
  return Number(v);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

// The upper half of code page 437, which names without the UTF-8 flag are in
// (as Python's zipfile reads them).
const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀" +
  "αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

function decodeName(bytes: Buffer, flags: number): string {
  if (flags & 0x800) {
    try {
      return utf8.decode(bytes);
    } catch {
      throw new ZipFormatError("an entry name is not valid UTF-8");
    }
  }
  let s = "";
  for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return s;
}

/** CRC-32 as ZIP uses it: zlib's where Node has it (20.15+), else crc32ByTable. */
export function crc32(data: Buffer): number {
  const native = (zlib as { crc32?: (d: Buffer) => number }).crc32;
  return native ? native(data) >>> 0 : crc32ByTable(data);
}
