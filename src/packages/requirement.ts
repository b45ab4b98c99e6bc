// PEP 508 requirement strings (`name[extra] >=1,<2 ; python_version < "3.11"`,
// `name @ https://…`): the parts pip reads from Requires-Dist and from
// requirements files. Parsing never throws; an invalid string says why.
import { parseMarker, type MarkerNode, MarkerSyntaxError } from "./markers.js";
import { parseSpecifier, type Specifier } from "./pep440.js";

export interface Requirement {
  /** The name as written. */
  name: string;
  extras: string[];
  specifiers: Specifier[];
  url?: string | undefined;
  marker?: MarkerNode | undefined;
  /** The marker text as written (after `;`). */
  markerText?: string | undefined;
}

export type ParsedRequirement = { ok: true; req: Requirement } | { ok: false; error: string };

const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;

/** Parses a requirement as packaging.requirements.Requirement does. */
export function parseRequirement(text: string): ParsedRequirement {
  const fail = (why: string): ParsedRequirement => ({ ok: false, error: `${why}: ${text}` });
  let s = text.replace(/^\s+/, "");
  const nameMatch = NAME_RE.exec(s);
  if (!nameMatch) return fail("expected a package name");
  const name = nameMatch[0];
  s = s.slice(name.length).replace(/^\s+/, "");

  const extras: string[] = [];
  if (s.startsWith("[")) {
    const close = s.indexOf("]");
    if (close < 0) return fail("expected ] after extras");
    const inner = s.slice(1, close).trim();
    if (inner) {
      for (const e of inner.split(",")) {
        const x = e.trim();
        if (!NAME_RE.test(x) || NAME_RE.exec(x)![0] !== x) return fail(`invalid extra ${JSON.stringify(x)}`);
        extras.push(x);
      }
    }
    s = s.slice(close + 1).replace(/^\s+/, "");
  }

  let url: string | undefined;
  const specifiers: Specifier[] = [];
  let markerText: string | undefined;
  if (s.startsWith("@")) {
    s = s.slice(1).replace(/^\s+/, "");
    const m = /^\S+/.exec(s);
    if (!m) return fail("expected a URL after @");
    url = m[0];
    s = s.slice(url.length);
    // A `;` right after the URL belongs to the URL unless whitespace precedes it.
    const rest = /^(\s+;\s*(.*))?\s*$/s.exec(s);
    if (!rest) return fail("expected a marker after the URL");
    markerText = rest[2];
  } else {
    const semi = s.indexOf(";");
    let specText = semi >= 0 ? s.slice(0, semi) : s;
    if (semi >= 0) markerText = s.slice(semi + 1);
    specText = specText.trim();
    if (specText.startsWith("(")) {
      if (!specText.endsWith(")")) return fail("expected ) after the version specifier");
      specText = specText.slice(1, -1).trim();
    }
    if (specText) {
      for (const part of specText.split(",")) {
        const spec = parseSpecifier(part);
        if (!spec) return fail(`invalid specifier ${JSON.stringify(part.trim())}`);
        specifiers.push(spec);
      }
    }
  }

  let marker: MarkerNode | undefined;
  if (markerText !== undefined) {
    markerText = markerText.trim();
    if (!markerText) return fail("expected a marker after ;");
    try {
      marker = parseMarker(markerText);
    } catch (err) {
      if (err instanceof MarkerSyntaxError) return fail(err.message);
      throw err;
    }
  }
  return { ok: true, req: { name, extras, specifiers, url, marker, markerText } };
}
