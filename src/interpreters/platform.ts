// This machine as the downloads list names platforms: os-arch-libc
// (linux-x86_64-gnu, linux-x86_64-musl, darwin-aarch64-none, …), the key
// python-build-standalone's builds are filed under.
import { closeSync, openSync, readSync } from "node:fs";
import { arch as nodeArch } from "node:os";
import type { Context } from "../context.js";

export interface Platform {
  os: string;
  arch: string;
  libc: string;
}

/** `linux-x86_64-gnu`. */
export function platformKey(p: Platform): string {
  return `${p.os}-${p.arch}-${p.libc}`;
}

const ARCH: Record<string, string> = { x64: "x86_64", arm64: "aarch64", ia32: "i686", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" };
const OS: Record<string, string> = { linux: "linux", darwin: "darwin", win32: "windows", freebsd: "freebsd" };

/**
 * The platform venvctl runs on: the system the Context says (so that a test
 * on Linux can ask for Windows' builds), the running Node's processor, and on
 * Linux the running Node's libc (glibc or musl). Windows and macOS builds
 * have no libc in their key (`none`).
 */
export function hostPlatform(ctx: Pick<Context, "platform">): Platform {
  const os = OS[ctx.platform] ?? ctx.platform;
  const arch = ARCH[nodeArch()] ?? nodeArch();
  return { os, arch, libc: os === "linux" ? linuxLibc() : "none" };
}

let libc: string | undefined;
/**
 * glibc or musl, told by the dynamic loader the running Node asks for
 * (its ELF PT_INTERP: /lib64/ld-linux-x86-64.so.2 or /lib/ld-musl-x86_64.so.1),
 * as uv tells them apart; a musl loader merely installed beside glibc
 * (Debian's musl package) does not count.
 */
function linuxLibc(): string {
  libc ??= /musl/.test(elfInterpreter("/proc/self/exe") ?? "") ? "musl" : "gnu";
  return libc;
}

/** The PT_INTERP string of a 64-bit little-endian ELF file, or undefined. */
export function elfInterpreter(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const head = Buffer.alloc(64);
    if (readSync(fd, head, 0, 64, 0) < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) return undefined;
    const phoff = Number(head.readBigUInt64LE(32));
    const phentsize = head.readUInt16LE(54);
    const phnum = head.readUInt16LE(56);
    const table = Buffer.alloc(phentsize * phnum);
    readSync(fd, table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) {
      const at = i * phentsize;
      if (table.readUInt32LE(at) !== 3) continue; // PT_INTERP
      const offset = Number(table.readBigUInt64LE(at + 8));
      const size = Math.min(Number(table.readBigUInt64LE(at + 32)), 4096);
      const text = Buffer.alloc(size);
      readSync(fd, text, 0, size, offset);
      return text.toString("latin1").replace(/\0.*$/s, "");
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
