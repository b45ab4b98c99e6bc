// Loads a dependency on first use. In the bundle each one is built into its
// own CommonJS file (dist/vendor/NAME.cjs) so that commands that never need
// it never parse it, and it is require()d — an import() would start Node's
// ES-module loader, which costs more than most commands spend working.
// From the sources (tests through tsx) it comes from node_modules.
import { createRequire } from "node:module";

declare const __VENVCTL_VERSION__: string | undefined;

/** Whether this code runs from the bundle in dist/. */
export const BUNDLED = typeof __VENVCTL_VERSION__ !== "undefined";

/** Loads a vendored dependency from node_modules (execa; tar, for `python install`). */
export async function importVendor<T>(name: "execa" | "tar"): Promise<T> {
  if (BUNDLED) return createRequire(import.meta.url)(`./vendor/${name}.cjs`) as T;
  return (await import(name)) as T;
}
