// Builds dist/ with esbuild, in CommonJS because Node's ES-module loader alone
// costs ~5 ms at every start, which the start-up budget cannot spare.
//   main.cjs         runMain: answers --version, else requires run.cjs
//   run.cjs          the command line (commander and cli/)
//   <module>.cjs     every module that some source loads with `await import()`,
//                    named after its path (commands/create.ts → commands.create.cjs),
//                    with its static imports bundled in: a command parses only
//                    its own code, not every command's
//   errors.cjs       shared by all of them, so `instanceof VenvctlError` holds
//                    across files (a module bundled into two files exists
//                    twice: an error class checked with instanceof across a
//                    lazy import belongs in errors.ts)
//   vendor/*.cjs     execa and tar, parsed only by the commands that use them
//   assets/          probe.py, the Python downloads list and the templates, at their src/-relative paths
// `node scripts/build.mjs --out DIR` builds into DIR instead of dist/.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, relative, resolve } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const outArg = process.argv.indexOf("--out");
const dist = outArg >= 0 ? resolve(process.argv[outArg + 1]) : join(root, "dist");
const staging = join(dirname(dist), `.${relative(dirname(dist), dist)}-${process.pid}`);
const src = join(root, "src");
const errorsModule = join(src, "errors.ts");

/** The output name of a source module: src/commands/create.ts → commands.create */
const chunkName = (file) => relative(src, file).replace(/\.ts$/, "").split("/").join(".");

/** The source file an import names (`./create.js` is create.ts), if it is one of ours. */
function sourceOf(args) {
  if (!args.path.startsWith(".")) return undefined;
  const file = resolve(args.resolveDir, args.path).replace(/\.c?js$/, ".ts");
  return file.startsWith(src + "/") ? file : undefined;
}

/**
 * Keeps lazily imported modules out of the file that imports them: an
 * `await import("./x.js")` (or a require) of a source becomes require("./x.cjs")
 * on first use, and every import of errors.ts becomes require("./errors.cjs").
 */
const splitLazy = {
  name: "split-lazy",
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      const file = sourceOf(args);
      if (!file) return undefined;
      const lazy = args.kind === "dynamic-import" || args.kind === "require-call";
      if (lazy || file === errorsModule) return { path: `./${chunkName(file)}.cjs`, external: true };
      return undefined;
    });
  },
};

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
  // An external `import()` would go through Node's ES-module loader (~5 ms,
  // and the CommonJS lexer for each file); as require() it is a plain load.
  supported: { "dynamic-import": false },
  define: {
    __VENVCTL_VERSION__: JSON.stringify(pkg.version),
    // Keys the probe cache (src/interpreters/interpreter.ts): known now, not hashed at each start.
    __VENVCTL_PROBE_HASH__: JSON.stringify(createHash("sha256").update(readFileSync(join(root, "src/interpreters/probe.py"))).digest("hex").slice(0, 16)),
    // The sources are ES modules (tests run them through tsx); in the bundle
    // import.meta.url is the URL of the file it ended up in.
    "import.meta.url": "__venvctlImportMetaUrl",
  },
  banner: { js: 'var __venvctlImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

/** Every source module loaded with `await import()`, found by following them from the entries. */
async function lazyModules(entries) {
  const found = new Set();
  const collect = {
    name: "collect-lazy",
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        const file = sourceOf(args);
        if (!file) return undefined;
        // main.ts require()s what it loads before the program (the compile cache) as built files, as run.cjs.
        if (args.kind === "dynamic-import" || args.kind === "require-call") found.add(file);
        // main.ts require()s the built "./run.cjs": follow its source.
        return args.path.endsWith(".cjs") ? { path: file } : undefined;
      });
    },
  };
  await build({ ...common, entryPoints: entries, outdir: join(staging, ".scan"), write: false, plugins: [collect, lazyChildProcess] });
  return [...found];
}

rmSync(staging, { recursive: true, force: true });
process.on("exit", () => rmSync(staging, { recursive: true, force: true })); // a failed build leaves nothing

const lazy = await lazyModules(["src/main.ts", "src/run.ts"]);
const entryPoints = Object.fromEntries(
  [join(src, "run.ts"), errorsModule, ...lazy].filter((f) => f !== join(src, "main.ts")).map((f) => [chunkName(f), f]),
);
await Promise.all([
  build({
    ...common,
    entryPoints: { main: "src/main.ts" },
    outdir: staging,
    outExtension: { ".js": ".cjs" },
    minifySyntax: true, // folds the bundled/unbundled branch of runMain
    plugins: [splitLazy],
  }),
  build({
    ...common,
    entryPoints,
    outdir: staging,
    outExtension: { ".js": ".cjs" },
    sourcemap: "linked",
    minifySyntax: true,
    plugins: [splitLazy, lazyChildProcess],
  }),
  build({ ...common, entryPoints: ["node_modules/execa/index.js"], outfile: join(staging, "vendor", "execa.cjs"), minify: true }),
  // tar (npm's own), for `python install`: parsed only by that command.
  build({ ...common, entryPoints: ["node_modules/tar/dist/commonjs/index.js"], outfile: join(staging, "vendor", "tar.cjs"), minify: true }),
]);

const copyTree = (from, to) => cpSync(join(root, from), join(staging, "assets", to), { recursive: true });
copyTree("src/interpreters/probe.py", "interpreters/probe.py");
copyTree("src/interpreters/python-downloads.json", "interpreters/python-downloads.json");
copyTree("src/venv/activators", "venv/activators");
copyTree("src/shims/completions", "shims/completions");
if (existsSync(join(root, "shims"))) copyTree("shims", "shims");

// Swap the new build into place: the old one aside, the new one in, the old
// one removed. Another build running at the same time may win the rename;
// its dist/ is as good as ours, so that is success (and ours is dropped).
const aside = join(dirname(dist), `.dist-old-${process.pid}`);
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
