// Locates the files venvctl reads at run time (probe.py, activation script
// templates, shim templates). In the bundle they are copied to dist/assets/;
// when the sources run directly (tests through tsx) they are read from src/.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

declare const __VENVCTL_VERSION__: string | undefined;

const here = dirname(fileURLToPath(import.meta.url));
const bundled = typeof __VENVCTL_VERSION__ !== "undefined";

/**
 * The path of an asset given relative to src/ (e.g. "interpreters/probe.py",
 * "venv/activators/activate"). Bundled chunks all live directly in dist/.
 */
export function assetPath(srcRelative: string): string {
  return bundled ? join(here, "assets", srcRelative) : join(here, "..", srcRelative);
}

/** The project's shim templates directory (shims/ at the package root). */
export function shimTemplatesDir(): string {
  return bundled ? join(here, "assets", "shims") : join(here, "..", "..", "shims");
}

/** venvctl's own version, as package.json says. */
export function venvctlVersion(): string {
  return bundled ? (__VENVCTL_VERSION__ as string) : "0.0.0-dev";
}
