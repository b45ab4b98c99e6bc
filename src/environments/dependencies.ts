// The dependencies of an installed distribution that apply in its
// environment: Requires-Dist entries whose markers hold with no extra
// requested (pip's Distribution.iter_dependencies()).
import type { InstalledDist } from "./installed-dist.js";
import { evaluateMarker } from "../standards/markers.js";
import type { PipProfile } from "./pip-profile.js";
import { parseRequirement, type Requirement } from "../standards/requirement.js";
import { stripPy } from "../util/python-text.js";

export type Dependencies = { ok: true; requirements: Requirement[] } | { ok: false; raw: string[]; error: string };

const cache = new WeakMap<InstalledDist, Dependencies>();

/** Requires-Dist requirements that apply (markers evaluated with extra == ""). */
export function dependenciesOf(dist: InstalledDist, markerEnv: Record<string, string>, profile: PipProfile): Dependencies {
  const hit = cache.get(dist);
  if (hit) return hit;
  const raw = dist.headers("all").getAll("Requires-Dist");
  const env: Record<string, string> = { ...markerEnv, extra: "" };
  if (profile.modernPackaging && env.python_full_version?.endsWith("+")) env.python_full_version += "local";
  const requirements: Requirement[] = [];
  let result: Dependencies | undefined;
  for (const text of raw) {
    const parsed = parseRequirement(profile.modernPackaging ? stripPy(text) : text);
    if (!parsed.ok) {
      result = { ok: false, raw, error: parsed.error };
      break;
    }
    const req = parsed.req;
    if (!req.marker || evaluateMarker(req.marker, env, { legacy: !profile.modernPackaging })) requirements.push(req);
  }
  result ??= { ok: true, requirements };
  cache.set(dist, result);
  return result;
}
