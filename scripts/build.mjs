// Builds dist/ with esbuild, in CommonJS because Node's ES-module loader alone
// costs ~5 ms at every start, which the start-up budget cannot spare:
//   main.cjs         runMain: answers --version, else requires run.cjs
//   run.cjs          the program; each lazy `await import()` of our own modules
//                    becomes a closure that runs on first use
//   vendor/*.cjs     execa and semver, each parsed only by the commands that use them
//   assets/          probe.py and the templates, at their src/-relative paths
import { build } from "esbuild";
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const dist = join(root, "dist");
const staging = join(root, `.dist-${process.pid}`);

/** Resolves `from` (a module specifier) to a file of ours, kept out of the bundle. */
const externalAs = (name, from, to) => ({
  name,
  setup(b) {
    b.onResolve({ filter: from }, () => ({ path: to, external: true }));
  },
});

// commander requires node:child_process at load time, for executable
// subcommands venvctl never uses; loading it costs ~3 ms of every start-up.
// Give commander a stand-in that loads the real module on first use.
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes("/node_modules/commander/") ? { path: "lazy-child-process", namespace: "venvctl-lazy" } : undefined);
    b.onLoad({ filter: /.*/, namespace: "venvctl-lazy" }, () => ({
      contents: "let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:child_process'))[k] });",
      loader: "js",
    }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  legalComments: "none",
  logLevel: "warning",
  define: {
    __VENVCTL_VERSION__: JSON.stringify(pkg.version),
    // The sources are ES modules (tests run them through tsx); in the bundle
    // import.meta.url is the URL of the file it ended up in.
    "import.meta.url": "__venvctlImportMetaUrl",
  },
  banner: { js: 'var __venvctlImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

rmSync(staging, { recursive: true, force: true });
process.on("exit", () => rmSync(staging, { recursive: true, force: true })); // a failed build leaves nothing
await Promise.all([
  build({
    ...common,
    entryPoints: ["src/main.ts"],
    outfile: join(staging, "main.cjs"),
    minifySyntax: true, // folds the bundled/unbundled branch of runMain
    plugins: [externalAs("run", /^\.\/run\.(c?js)$/, "./run.cjs")],
  }),
  build({
    ...common,
    entryPoints: ["src/run.ts"],
    outfile: join(staging, "run.cjs"),
    sourcemap: "linked",
    minifySyntax: true,
    plugins: [lazyChildProcess],
  }),
  build({ ...common, entryPoints: ["node_modules/execa/index.js"], outfile: join(staging, "vendor", "execa.cjs"), minify: true }),
  build({ ...common, entryPoints: ["node_modules/semver/index.js"], outfile: join(staging, "vendor", "semver.cjs"), minify: true }),
]);

const copyTree = (from, to) => cpSync(join(root, from), join(staging, "assets", to), { recursive: true });
copyTree("src/python/probe.py", "python/probe.py");
copyTree("src/venv/activators", "venv/activators");
if (existsSync(join(root, "shims"))) copyTree("shims", "shims");

// Swap the new build into place: the old one aside, the new one in, the old
// one removed. Another build running at the same time may win the rename;
// its dist/ is as good as ours, so that is success (and ours is dropped).
const aside = join(root, `.dist-old-${process.pid}`);
try {
  renameSync(dist, aside);
} catch (err) {
  if (err.code !== "ENOENT") throw err;
}
try {
  renameSync(staging, dist);
} catch (err) {
  if (err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err;
  rmSync(staging, { recursive: true, force: true });
}
rmSync(aside, { recursive: true, force: true });
