// Interpreter requests (`-p/--python SPEC`, `.python-version` entries): parsed
// into a tagged union that never throws; resolving it may fail later, with an
// error that names the request.
import { parseVersionPrefix, parseVersionRange, type VersionPrefix, type VersionRange } from "./version.js";

/** Implementations venvctl knows by name. */
export type Implementation = "cpython" | "pypy" | "graalpy";

export type PythonRequest =
  /** No request: use the default selection chain. */
  | { kind: "default" }
  /** A filesystem path to an executable (or to a venv / install directory). */
  | { kind: "path"; path: string }
  /** A command name to look up on PATH: `python3.12`, `pypy3`. */
  | { kind: "name"; name: string; fallback?: PythonRequest | undefined }
  /** A version or version prefix, with an optional implementation. */
  | { kind: "version"; prefix: VersionPrefix; implementation?: Implementation | undefined }
  /** A version range, with an optional implementation. */
  | { kind: "range"; range: VersionRange; implementation?: Implementation | undefined }
  /** Any version of an implementation: `pypy`, `cpython`. */
  | { kind: "implementation"; implementation: Implementation }
  /** pyenv's `system`: the first interpreter on PATH that is not a shim. */
  | { kind: "system" }
  /** Not understood; `reason` says why. */
  | { kind: "invalid"; text: string; reason: string };

const IMPLEMENTATIONS: Record<string, Implementation> = {
  cpython: "cpython", cp: "cpython", python: "cpython", py: "cpython",
  pypy: "pypy", pp: "pypy",
  graalpy: "graalpy", graalpython: "graalpy",
};

/** Parses a request. Never throws. */
export function parsePythonRequest(input: string | undefined): PythonRequest {
  const text = (input ?? "").trim();
  if (text === "" || text === "default" || text === "any") return { kind: "default" };
  if (text === "system") return { kind: "system" };
  if (/[\0\n\r]/.test(text)) return { kind: "invalid", text, reason: "it contains a control character" };

  // Paths: anything with a separator, or starting with . or ~.
  if (text.includes("/") || text.includes("\\") || text.startsWith(".") || /^~(?!=)/.test(text)) {
    return { kind: "path", path: text };
  }

  // A bare version or prefix: 3, 3.12, 3.12.1, 3.14.0rc1.
  const prefix = parseVersionPrefix(text);
  if (prefix) return { kind: "version", prefix };

  // implementation[-@]version: cpython3.12, cpython-3.12, pypy3.9, pypy@3.9, cp312.
  const implMatch = /^([a-z]+)[-@]?(\d[\w.]*)?$/i.exec(text);
  if (implMatch) {
    const impl = IMPLEMENTATIONS[implMatch[1]!.toLowerCase()];
    const rest = implMatch[2];
    if (impl && rest === undefined) return { kind: "implementation", implementation: impl };
    if (impl && rest !== undefined) {
      const p = parseCompactVersion(rest) ?? parseVersionPrefix(rest);
      if (p) {
        const versionRequest: PythonRequest = { kind: "version", prefix: p, implementation: impl };
        // `python3.12` and `pypy3` are also command names; look on PATH first,
        // as uv does, and fall back to the version when none is there.
        if (/^(python|pypy)\d/i.test(text)) return { kind: "name", name: text, fallback: versionRequest };
        return versionRequest;
      }
    }
  }

  // implementation + range: cpython>=3.10, pypy@3.x.
  const implRange = /^([a-z]+)[-@]?([<>=!~^].*|\d+(?:\.\d+)*\.[x*].*)$/i.exec(text);
  if (implRange) {
    const impl = IMPLEMENTATIONS[implRange[1]!.toLowerCase()];
    const range = parseVersionRange(implRange[2]!);
    if (impl && range) return { kind: "range", range, implementation: impl };
  }

  const range = parseVersionRange(text);
  if (range) return { kind: "range", range };

  // Any other plain word is a command name on PATH.
  if (/^[A-Za-z_][\w.+-]*$/.test(text)) return { kind: "name", name: text };

  return {
    kind: "invalid",
    text,
    reason: "it is not a path, a command name, a version (3.12), a range (>=3.10,<3.13) or an implementation (pypy3.9)",
  };
}

/** `312` in `cp312` → 3.12. */
function parseCompactVersion(text: string): VersionPrefix | undefined {
  const m = /^(\d)(\d{1,2})$/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** Renders a request back as text for messages. */
export function describeRequest(req: PythonRequest): string {
  switch (req.kind) {
    case "default": return "the default Python";
    case "system": return "system";
    case "path": return req.path;
    case "name": return req.name;
    case "version": return `${req.implementation ? `${req.implementation} ` : ""}${formatPrefix(req.prefix)}`;
    case "range": return `${req.implementation ? `${req.implementation} ` : ""}${req.range.text}`;
    case "implementation": return req.implementation;
    case "invalid": return req.text;
  }
}

function formatPrefix(p: VersionPrefix): string {
  let s = String(p.major);
  if (p.minor !== undefined) s += `.${p.minor}`;
  if (p.patch !== undefined) s += `.${p.patch}`;
  if (p.pre) s += `${p.pre.kind}${p.pre.n}`;
  return s;
}

/** Whether a request names what the downloads list can hold: a CPython version, a range, or `cpython`. */
export function isDownloadableRequest(req: PythonRequest): boolean {
  if (req.kind === "name") return req.fallback !== undefined && isDownloadableRequest(req.fallback);
  if (req.kind === "version" || req.kind === "range") return req.implementation === undefined || req.implementation === "cpython";
  return req.kind === "implementation" && req.implementation === "cpython";
}
