// Writing a pylock.toml. A small writer for this one fixed shape rather than a
// general TOML library: the layout is what uv's `uv export --format
// pylock.toml` writes (one `[[packages]]` table per package, sources, sdists
// and wheels as inline tables, several wheels one per line), keys in the
// specification's order, packages sorted by name and wheels by file name, so
// that the same lock is always the same bytes and diffs stay small. Inline
// tables stay on one line, which TOML 1.0 readers (Python's tomllib) need.
import type { Pylock, PylockArchive, PylockDirectory, PylockDistFile, PylockPackage, PylockVcs } from "./pylock-model.js";
import { distFileName } from "./pylock-model.js";

/** The TOML text of a lock: deterministic, parsed back by `toml` and tomllib to the same data. */
export function formatPylock(lock: Pylock): string {
  const out: string[] = [];
  const put = (key: string, value: unknown) => {
    if (value !== undefined) out.push(`${key} = ${inline(value)}`);
  };
  put("lock-version", lock.lockVersion);
  put("environments", lock.environments);
  put("requires-python", lock.requiresPython);
  put("extras", lock.extras);
  put("dependency-groups", lock.dependencyGroups);
  put("default-groups", lock.defaultGroups);
  put("created-by", lock.createdBy);

  for (const p of sortedPackages(lock.packages)) {
    out.push("", "[[packages]]");
    put("name", p.name);
    put("version", p.version);
    put("marker", p.marker);
    put("requires-python", p.requiresPython);
    put("dependencies", p.dependencies);
    put("vcs", p.vcs && vcsTable(p.vcs));
    put("directory", p.directory && directoryTable(p.directory));
    put("archive", p.archive && fileTable(p.archive));
    put("index", p.index);
    put("sdist", p.sdist && fileTable(p.sdist));
    if (p.wheels) {
      const wheels = [...p.wheels].sort((a, b) => compare(distFileName(a), distFileName(b))).map(fileTable);
      if (wheels.length === 1) put("wheels", wheels);
      else out.push("wheels = [", ...wheels.map((w) => `    ${inline(w)},`), "]");
    }
    put("attestation-identities", p.attestationIdentities);
    put("tool", p.tool);
  }

  if (lock.tool && Object.keys(lock.tool).length) {
    // Scalars under [tool] itself, then one [tool.NAME] table per tool.
    const entries = Object.entries(lock.tool);
    const scalars = entries.filter(([, v]) => !isTable(v));
    if (scalars.length) {
      out.push("", "[tool]");
      for (const [k, v] of scalars) out.push(`${key(k)} = ${inline(v)}`);
    }
    for (const [k, v] of entries.filter(([, v]) => isTable(v))) {
      out.push("", `[tool.${key(k)}]`);
      for (const [kk, vv] of Object.entries(v as Record<string, unknown>)) out.push(`${key(kk)} = ${inline(vv)}`);
    }
  }
  return out.join("\n") + "\n";
}

/** By name, then version (a name may appear more than once, with different markers). */
function sortedPackages(packages: readonly PylockPackage[]): PylockPackage[] {
  return [...packages].sort((a, b) => compare(a.name, b.name) || compare(a.version ?? "", b.version ?? "") || compare(a.marker ?? "", b.marker ?? ""));
}

/** Code-unit order, as Python sorts strings (not the locale's). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The key order of each table is the specification's.
function vcsTable(v: PylockVcs): Record<string, unknown> {
  return { type: v.type, url: v.url, path: v.path, "requested-revision": v.requestedRevision, "commit-id": v.commitId, subdirectory: v.subdirectory };
}

function directoryTable(d: PylockDirectory): Record<string, unknown> {
  return { path: d.path, editable: d.editable, subdirectory: d.subdirectory };
}

function fileTable(f: PylockDistFile | PylockArchive): Record<string, unknown> {
  const hashes = Object.fromEntries(Object.entries(f.hashes).sort(([a], [b]) => compare(a, b)));
  return {
    name: "name" in f ? f.name : undefined,
    "upload-time": f.uploadTime === undefined ? undefined : new Date(f.uploadTime),
    url: f.url,
    path: f.path,
    size: f.size,
    hashes,
    subdirectory: "subdirectory" in f ? f.subdirectory : undefined,
  };
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** A bare key where TOML allows one, else a quoted one. */
function key(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : string(k);
}

/** A value on one line: strings, numbers, booleans, date-times, arrays, inline tables. */
function inline(v: unknown): string {
  if (typeof v === "string") return string(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "bigint") return String(v);
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    return String(v); // `1.5`, `1e+21`: both TOML; a whole float reads back as the same number
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new Error("an invalid date cannot be written to TOML");
    return v.toISOString().replace(/\.000Z$/, "Z");
  }
  if (Array.isArray(v)) return `[${v.map(inline).join(", ")}]`;
  if (isTable(v)) {
    const parts = Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${key(k)} = ${inline(x)}`);
    return parts.length ? `{ ${parts.join(", ")} }` : "{}";
  }
  throw new Error(`cannot write ${typeof v} to TOML`);
}

/** A TOML basic string: `"`, `\` and control characters escaped. */
function string(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else if (code >= 0xd800 && code <= 0xdfff) throw new Error(`a lone surrogate cannot be written to TOML: ${JSON.stringify(s)}`);
    else out += ch;
  }
  return out + '"';
}
