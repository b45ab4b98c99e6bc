// A process that installs one wheel with venvctl's installer, for tests that
// need several at once (the unpack cache's concurrent fill). It waits until
// the wall-clock time START_AT (ms) so that processes started one after the
// other begin together, then prints the InstallResult as JSON.
//   node --import tsx test/helpers/install-wheel.ts WHEEL TARGET CACHE_DIR START_AT
import { join } from "node:path";
import { installWheel } from "../../src/wheel/install.js";

const [wheel, target, cacheDir, startAt] = process.argv.slice(2) as [string, string, string, string];
const debugLines: string[] = [];
while (Date.now() < Number(startAt)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
const result = await installWheel(wheel, {
  scheme: {
    purelib: join(target, "site-packages"),
    platlib: join(target, "site-packages"),
    scripts: join(target, "bin"),
    headers: join(target, "include"),
    data: target,
  },
  python: join(target, "bin", "python3"),
  pythonVersion: { major: 3, minor: 12 },
  cacheDir,
  linkMode: "auto",
  debug: (m) => debugLines.push(m),
});
process.stdout.write(JSON.stringify({ ...result, files: result.files.length, debug: debugLines }) + "\n");
