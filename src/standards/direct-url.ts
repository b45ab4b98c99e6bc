// PEP 610's direct_url.json: what an installed distribution came from (a URL
// to an archive, a local directory, a VCS checkout). pip writes it for what
// the user named directly, and reports the same data as the `download_info`
// of its installation report; pylock.toml's archive, directory and vcs
// entries are made from it.

/** direct_url.json as JSON (and pip's report `download_info`). */
export interface DirectUrlJson {
  url: string;
  archive_info?: { hash?: string; hashes?: Record<string, string> };
  dir_info?: { editable?: boolean };
  vcs_info?: { vcs: string; commit_id: string; requested_revision?: string };
  subdirectory?: string;
}

/** A PEP 610 direct_url.json, as pip validates it. */
export interface DirectUrl {
  url: string;
  subdirectory?: string | undefined;
  info:
    | { kind: "archive"; hash?: string | undefined; hashes?: Record<string, string> | undefined }
    | { kind: "dir"; editable: boolean }
    | { kind: "vcs"; vcs: string; commitId: string; requestedRevision?: string | undefined };
}

/** Parses and validates direct_url.json as pip's models/direct_url.py does. */
export function parseDirectUrlJson(text: string): DirectUrl {
  const d = JSON.parse(text) as unknown;
  const obj = (typeof d === "object" && d !== null && !Array.isArray(d) ? d : {}) as Record<string, unknown>;
  const get = (o: Record<string, unknown>, type: "string" | "object" | "boolean", key: string): unknown => {
    if (!(key in o)) return undefined;
    const v = o[key];
    const ok = type === "object" ? typeof v === "object" && v !== null && !Array.isArray(v) : typeof v === type;
    if (!ok) {
      const expected = type === "string" ? "<class 'str'>" : type === "object" ? "<class 'dict'>" : "<class 'bool'>";
      throw new Error(`${JSON.stringify(v)} has unexpected type for ${key} (expected ${expected})`);
    }
    return v;
  };
  const required = (o: Record<string, unknown>, type: "string" | "boolean", key: string, dflt?: unknown): unknown => {
    const v = get(o, type, key) ?? dflt;
    if (v === undefined || v === null) throw new Error(`${key} must have a value`);
    return v;
  };
  const url = required(obj, "string", "url") as string;
  const subdirectory = get(obj, "string", "subdirectory") as string | undefined;
  const infos: DirectUrl["info"][] = [];
  const archive = get(obj, "object", "archive_info") as Record<string, unknown> | undefined;
  if (archive) {
    const hash = get(archive, "string", "hash") as string | undefined;
    const hashes = get(archive, "object", "hashes") as Record<string, string> | undefined;
    if (hash !== undefined && !hash.includes("=")) throw new Error(`invalid archive_info.hash format: '${hash}'`);
    infos.push({ kind: "archive", hash, hashes });
  }
  const dir = get(obj, "object", "dir_info") as Record<string, unknown> | undefined;
  if (dir) infos.push({ kind: "dir", editable: required(dir, "boolean", "editable", false) as boolean });
  const vcs = get(obj, "object", "vcs_info") as Record<string, unknown> | undefined;
  if (vcs) {
    infos.push({
      kind: "vcs",
      vcs: required(vcs, "string", "vcs") as string,
      commitId: required(vcs, "string", "commit_id") as string,
      requestedRevision: get(vcs, "string", "requested_revision") as string | undefined,
    });
  }
  if (infos.length === 0) throw new Error("missing one of archive_info, dir_info, vcs_info");
  if (infos.length > 1) throw new Error("more than one of archive_info, dir_info, vcs_info");
  return { url, subdirectory, info: infos[0]! };
}
