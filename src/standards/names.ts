// Project names: PEP 503 normalization for comparing, the spelling the
// metadata gives for printing, and the older forms pip still looks for.

/** PEP 503 / packaging.utils.canonicalize_name: runs of `-_.` become `-`, lower-cased. */
export function canonicalizeName(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

/**
 * Whether a normalized name is a valid project name (PEP 508). pip ignores
 * distributions whose names are not, such as `~ip` left behind by an
 * interrupted upgrade (pip's metadata/base.py iter_all_distributions).
 */
export function isValidProjectName(canonical: string): boolean {
  return /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i.test(canonical);
}

/** pkg_resources.safe_name: what setuptools names `.egg-link` files after. */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9.]+/g, "-");
}

/** pkg_resources.safe_extra: how pip before 24.1 compares extras. */
export function safeExtra(extra: string): string {
  return extra.replace(/[^A-Za-z0-9.-]+/g, "_").toLowerCase();
}
