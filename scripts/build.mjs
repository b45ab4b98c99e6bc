// Bundles src/ into dist/ with esbuild: one small entry chunk, and one lazily
// loaded chunk per command, so `venvctl --version` loads almost nothing.
import { build } from "esbuild";
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const dist = join(root, "dist");
const staging = join(root, `.dist-${process.pid}`);

rmSync(staging, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: "src/main.ts" },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  minifySyntax: true,
  legalComments: "none",
  define: { __VENVCTL_VERSION__: JSON.stringify(pkg.version) },
  // Some CommonJS dependencies call require() on node builtins; give the ESM
  // bundle a require of its own for them.
  banner: { js: "import { createRequire as __venvctlCreateRequire } from 'node:module'; const require = __venvctlCreateRequire(import.meta.url);" },
  chunkNames: "[name]-[hash]",
  logLevel: "warning",
});
// Files the bundle reads at run time, kept at their src/-relative paths under
// dist/assets/ (see src/util/assets.ts): the probe and every template.
const copyTree = (from, to) => cpSync(join(root, from), join(staging, "assets", to), { recursive: true });
copyTree("src/python/probe.py", "python/probe.py");
copyTree("src/venv/activators", "venv/activators");
if (existsSync(join(root, "shims"))) copyTree("shims", "shims");
// Swap the new build into place.
rmSync(dist, { recursive: true, force: true });
renameSync(staging, dist);
