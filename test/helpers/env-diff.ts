// Comparing two environments installed by different tools (venvctl and pip):
// every file and directory with its contents, modulo what legitimately
// differs — the env's own path inside files (shebangs, pyvenv.cfg, activate),
// bytecode (pip compiles, venvctl does not by default), INSTALLER's content,
// RECORD's row order and its rows for bytecode, write permission (venvctl's
// linked files are read-only). And checking that every RECORD tells the
// truth, which is what `pip uninstall` relies on.
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join, normalize, relative } from "node:path";
import { parseRecord } from "../../src/standards/record.js";

/** One path of an env as compared: kind, whether it is executable, and its contents made comparable. */
export interface Comparable {
  kind: "dir" | "file" | "link";
  /** Files: the owner's execute bit. */
  executable?: boolean;
  /** Files: the text with the env's path as `<ENV>` (latin1, so any bytes), or `<INSTALLER>`, or RECORD's sorted paths. Links: the target. */
  content?: string;
}

/** Bytecode and what a test put in the env itself (the Python-start recorder) are not compared. */
const IGNORED = /(^|\/)__pycache__(\/|$)|^lib\/python[\d.]+\/site-packages\/sitecustomize\.py$/;

/** Every path below the env (relative), made comparable with another env's. */
export function snapshotEnv(envDir: string): Map<string, Comparable> {
  const out = new Map<string, Comparable>();
  const envBytes = Buffer.from(envDir, "utf8").toString("latin1");
  const walk = (rel: string) => {
    for (const name of readdirSync(rel ? join(envDir, rel) : envDir).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (IGNORED.test(r)) continue;
      const abs = join(envDir, r);
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) out.set(r, { kind: "link", content: readlinkSync(abs).split(envDir).join("<ENV>") });
      else if (st.isDirectory()) {
        out.set(r, { kind: "dir" });
        walk(r);
      } else {
        const raw = readFileSync(abs);
        let content: string;
        if (/\.dist-info\/INSTALLER$/.test(r)) content = "<INSTALLER>";
        else if (/\.dist-info\/RECORD$/.test(r)) content = recordPaths(raw.toString("utf8")).join("\n");
        else content = raw.toString("latin1").split(envBytes).join("<ENV>");
        out.set(r, { kind: "file", executable: (st.mode & 0o100) !== 0, content });
      }
    }
  };
  walk("");
  return out;
}

/** RECORD's paths, sorted, bytecode left out. */
export function recordPaths(text: string): string[] {
  return parseRecord(text).map(([path]) => path).filter((p) => !/(^|\/)__pycache__\//.test(p)).sort();
}

/**
 * The differences between two snapshots, one line each (empty when they
 * agree): paths only one side has, and paths whose kind, execute bit or
 * contents differ (with the first differing line).
 */
export function diffSnapshots(a: Map<string, Comparable>, b: Map<string, Comparable>, labels: [string, string] = ["venvctl", "pip"]): string[] {
  const out: string[] = [];
  for (const [path, x] of a) {
    const y = b.get(path);
    if (!y) {
      out.push(`only in ${labels[0]}'s env: ${path}`);
      continue;
    }
    if (x.kind !== y.kind) out.push(`${path}: a ${x.kind} in ${labels[0]}'s env, a ${y.kind} in ${labels[1]}'s`);
    else if (x.executable !== y.executable) out.push(`${path}: ${x.executable ? "" : "not "}executable in ${labels[0]}'s env, ${y.executable ? "" : "not "}in ${labels[1]}'s`);
    else if (x.content !== y.content) out.push(`${path}: contents differ (${firstDifference(x.content ?? "", y.content ?? "")})`);
  }
  for (const path of b.keys()) if (!a.has(path)) out.push(`only in ${labels[1]}'s env: ${path}`);
  return out;
}

function firstDifference(a: string, b: string): string {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: ${JSON.stringify((la[i] ?? "<none>").slice(0, 200))} vs ${JSON.stringify((lb[i] ?? "<none>").slice(0, 200))}`;
  }
  return "same lines, different ends";
}

/** The `.dist-info` directories of a site dir by normalized project name. */
export function distInfos(site: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of readdirSync(site)) {
    const m = /^(.+?)-([^-]+)\.dist-info$/.exec(n);
    if (m) out.set(m[1]!.toLowerCase().replace(/[-_.]+/g, "-"), join(site, n));
  }
  return out;
}

/**
 * Checks every RECORD in the site dir against the disk: each row's file
 * exists inside the env, with the hash and size the row gives. Answers the
 * problems, one line each, and the set of env-relative paths RECORDs list.
 */
export function checkRecords(envDir: string, site: string): { problems: string[]; listed: Set<string> } {
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const [name, info] of distInfos(site)) {
    const record = join(info, "RECORD");
    if (!existsSync(record)) {
      problems.push(`${name}: no RECORD`);
      continue;
    }
    for (const [path, hash, size] of parseRecord(readFileSync(record, "utf8"))) {
      const abs = normalize(join(site, path));
      const rel = relative(envDir, abs);
      if (rel.startsWith("..")) {
        problems.push(`${name}: ${path} is outside the env`);
        continue;
      }
      listed.add(rel);
      if (!existsSync(abs)) {
        problems.push(`${name}: ${path} is listed but missing`);
        continue;
      }
      if (!hash) {
        // Only RECORD itself and bytecode go without (pip lists the .pyc files it compiles so).
        if (abs !== record && !/\.pyc$/.test(path)) problems.push(`${name}: ${path} has no hash`);
        continue;
      }
      const data = readFileSync(abs);
      const [algorithm, digest] = hash.split("=", 2) as [string, string];
      if (createHash(algorithm).update(data).digest("base64url") !== digest) problems.push(`${name}: ${path} does not match its hash`);
      if (String(data.length) !== size) problems.push(`${name}: ${path} is ${data.length} bytes, RECORD says ${size}`);
    }
  }
  return { problems, listed };
}
