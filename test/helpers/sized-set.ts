// The benchmark's distribution set: 30 wheels shaped like a real
// environment's (10 to 1,500 files, one like numpy's, 6,901 files in all, the
// mix of file kinds and module sizes of a real site-packages), replicable to
// 300, built offline, byte for byte the same on every run.
import { mkdirSync, readFileSync } from "node:fs";
import { libraryModule } from "./dist-set.js";
import { buildWheel } from "./wheel-builder.js";

export interface SizedSet {
  dir: string;
  /** A requirements file's lines pinning every project (`name==version`). */
  pinned: string[];
  /** The same projects, unpinned. */
  unpinned: string[];
  /** Files in all the wheels (RECORD included). */
  files: number;
  /** Bytes of all the wheels. */
  bytes: number;
}

/**
 * Files per wheel: one shaped like numpy (1,500), a few large ones, a long
 * tail of small ones, 6,901 in all (RECORD, METADATA and WHEEL included;
 * entry_points.txt not counted).
 */
export const SIZED_SET_SHAPE = [
  1500, 1000, 800, 620, 500, 380, 300, 260, 220, 190, 160, 140, 120, 100, 90,
  80, 70, 60, 50, 45, 40, 35, 30, 25, 20, 18, 15, 12, 11, 10,
];

/**
 * Sizes of .py files, cycled: a real site-packages here (3.11's, 11,563
 * modules) has a median of 2.8 KB, a quarter under 300 B and a long tail.
 */
const PY_SIZES = [300, 800, 1500, 2800, 2800, 5000, 10000, 25000];

/** Deterministic bytes, neither all compressible nor all random, as object code is. */
function binaryBytes(seed: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    // Every other 4 KiB block zero-heavy, like sections of padding and tables.
    out.writeUInt32LE((i >> 12) & 1 ? x & 0x0f0f00ff : x, i);
  }
  return out;
}

/**
 * The file of slot `f` of project `i`: 40% modules (sizes by PY_SIZES), 25%
 * stubs (.pyi), 20% JSON data, 15% text, as the mix of a real site-packages
 * (37% .py there; .pyi, .json, .rst next) — pip compiles only the modules.
 */
function sizedFile(pkg: string, i: number, f: number, dirs: number): [string, string] {
  if (f === 0) return [`${pkg}/__init__.py`, "def main():\n    return 0\n"];
  const dir = `${pkg}/sub${f % dirs}`;
  const kind = f % 20;
  const size = PY_SIZES[(f * 3 + i) % PY_SIZES.length]!;
  if (kind < 8) return [`${dir}/m${f}.py`, libraryModule(`${pkg}_${f}`, Math.max(1, Math.round(size / 150)))];
  if (kind < 13) {
    const n = 3 + (f % 30);
    return [`${dir}/m${f}.pyi`, Array.from({ length: n }, (_, k) => `def f${f}_${k}(value: int, factor: int = ...) -> dict[str, int]: ...\n`).join("")];
  }
  if (kind < 17) {
    const n = 5 + (f % 50);
    return [`${dir}/data${f}.json`, JSON.stringify(Array.from({ length: n }, (_, k) => ({ id: k, name: `${pkg}-${f}-${k}`, weight: (k * 37) % 101 })), null, 1) + "\n"];
  }
  const n = 10 + (f % 40);
  return [`${dir}/notes${f}.txt`, Array.from({ length: n }, (_, k) => `Line ${k} of the notes for ${pkg}, file ${f}: nothing to see here.\n`).join("")];
}

/**
 * Builds `copies` × 30 wheels shaped by SIZED_SET_SHAPE into `dir` (files
 * by sizedFile), one numpy-like wheel with four .so-like binaries (1–4 MiB),
 * a dependency chain, a console script in every tenth wheel. Copy `c` of
 * project `i` is named `bench-native-<i>` (copy 0) or `bench-native-<i>-c<c>`.
 */
export function buildSizedSet(dir: string, copies = 1): SizedSet {
  mkdirSync(dir, { recursive: true });
  const pinned: string[] = [];
  const unpinned: string[] = [];
  let files = 0;
  let bytes = 0;
  for (let c = 0; c < copies; c++) {
    SIZED_SET_SHAPE.forEach((count, i) => {
      const name = `bench-native-${String(i).padStart(2, "0")}${c ? `-c${c}` : ""}`;
      const pkg = name.replace(/-/g, "_");
      const content: Record<string, string | Buffer> = {};
      const binaries = i === 0 ? 4 : 0;
      const slots = count - 3 - binaries; // METADATA, WHEEL, RECORD
      const dirs = Math.max(1, Math.floor(slots / 40));
      for (let f = 0; f < slots; f++) {
        const [path, text] = sizedFile(pkg, i, f, dirs);
        content[path] = text;
      }
      for (let b = 0; b < binaries; b++) content[`${pkg}/core/_lib${b}.cpython-312-x86_64-linux-gnu.so`] = binaryBytes(i * 100 + b, (1 + b) << 20);
      const metadata = i > 0 && i % 5 !== 0 ? [`Requires-Dist: bench-native-${String(i - 1).padStart(2, "0")}${c ? `-c${c}` : ""}>=1.0`] : [];
      const file = buildWheel(dir, {
        name,
        version: "1.0.0",
        metadata,
        files: content,
        ...(i % 10 === 0 ? { entryPoints: { console_scripts: { [`${name}-cli`]: `${pkg}:main` } } } : {}),
      });
      files += Object.keys(content).length + 3;
      bytes += readFileSync(file).length;
      pinned.push(`${name}==1.0.0`);
      unpinned.push(name);
    });
  }
  return { dir, pinned, unpinned, files, bytes };
}
