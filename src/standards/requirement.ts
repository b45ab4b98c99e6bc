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

/**
 * Where the `packaging` releases that pips vendor read requirements
 * differently. By default, what both accept; each flag adds what one of them
 * accepts besides.
 */
export interface Grammar {
  /**
   * packaging before 22 (pip before 24.1): a clause that is not PEP 440 is a
   * LegacySpecifier — `==1.0.x`, `>=2.0-foo`, even `==` with no version
   * (packaging 21.3's specifiers.py, LegacySpecifier._regex_str).
   */
  legacySpecifiers?: boolean;
  /**
   * packaging 22 and later (pip 24.1+): names and extras are its tokenizer's
   * IDENTIFIER, `\b[a-zA-Z0-9][a-zA-Z0-9._-]*\b`, which may end in `_`
   * (packaging/_tokenizer.py).
   */
  identifierNames?: boolean;
}

/** PEP 508's name, as packaging 21 matches it: a letter or digit at each end. */
const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const IDENTIFIER_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*\b/;
const LEGACY_SPECIFIER_RE = /^(==|!=|<=|>=|<|>)\s*([^,;\s)]*)$/;

/** Parses a requirement as packaging.requirements.Requirement does. */
export function parseRequirement(text: string, grammar: Grammar = {}): ParsedRequirement {
  const fail = (why: string): ParsedRequirement => ({ ok: false, error: `${why}: ${text}` });
  const NAME = grammar.identifierNames ? IDENTIFIER_RE : NAME_RE;
  let s = text.replace(/^\s+/, "");
  const nameMatch = NAME.exec(s);
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
        if (NAME.exec(x)?.[0] !== x) return fail(`invalid extra ${JSON.stringify(x)}`);
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
        const legacy = !spec && grammar.legacySpecifiers ? LEGACY_SPECIFIER_RE.exec(part.trim()) : null;
        if (legacy) specifiers.push({ op: legacy[1] as Specifier["op"], version: legacy[2]!, legacy: true });
        else if (!spec) return fail(`invalid specifier ${JSON.stringify(part.trim())}`);
        else specifiers.push(spec);
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
