// Writing ZIP archives: the one kind venvctl writes, a single stored file
// (a Windows launcher's script). Kept apart from the reader, which loads
// node:zlib.
import { crc32ByTable, SIG_CENTRAL, SIG_EOCD, SIG_LOCAL } from "./zip-format.js";

/**
 * A ZIP archive of one stored (uncompressed) file, as Python's
 * `ZipFile(stream, "w").writestr(name, data)` writes it: version 2.0, no
 * data descriptor, rw------- in the external attributes, the DOS time of
 * `date` (local time, as zipfile takes time.localtime(); UTC when
 * `utc`, as distlib does for SOURCE_DATE_EPOCH). Offsets count from the
 * archive's first byte, so it can be appended to a launcher.
 */
export function storedZip(name: string, data: Buffer, date: Date, utc: boolean, createSystem: number): Buffer {
  const nameBytes = Buffer.from(name, "utf8");
  const parts = utc
    ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()];
  const [y, mo, d, h, mi, s] = parts as [number, number, number, number, number, number];
  const dosDate = ((Math.max(y, 1980) - 1980) << 9) | (mo << 5) | d;
  const dosTime = (h << 11) | (mi << 5) | Math.floor(s / 2);
  const crc = crc32ByTable(data);
  const flags = /[^\x00-\x7f]/.test(name) ? 0x800 : 0;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(SIG_LOCAL, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(flags, 6);
  local.writeUInt16LE(0, 8);
  local.writeUInt16LE(dosTime, 10);
  local.writeUInt16LE(dosDate, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(SIG_CENTRAL, 0);
  central.writeUInt16LE((createSystem << 8) | 20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(flags, 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt16LE(dosTime, 12);
  central.writeUInt16LE(dosDate, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE((0o600 << 16) >>> 0, 38);
  central.writeUInt32LE(0, 42);
  const centralOffset = local.length + nameBytes.length + data.length;
  const centralSize = central.length + nameBytes.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(centralSize, 12);
  eocd.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, eocd]);
}
