// A process that changes an env with venvctl's transaction and stops half-way,
// for the signal tests: after placing the first wheel it writes MARKER and
// waits (with the default signal handling: a signal rolls back and exits).
//   CHANGE_ENV='{"envDir":…,"wheels":[…],"cacheDir":…,"marker":…}' node --import tsx test/helpers/change-env.ts
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { probeInterpreter } from "../../src/interpreters/interpreter.js";
import { resolveDirs } from "../../src/util/dirs.js";
import { venvLayout } from "../../src/venv/layout.js";
import { venvEnvTarget } from "../../src/venv/install-target.js";
import { installDistributions } from "../../src/wheel/transaction.js";

const cfg = JSON.parse(process.env.CHANGE_ENV!) as { envDir: string; wheels: string[]; cacheDir: string; marker: string };
const ctx = { cwd: process.cwd(), env: process.env, stderr: process.stderr, dirs: resolveDirs(process.env, process.env.HOME!) };
const venvPython = await probeInterpreter(ctx, join(cfg.envDir, "bin", "python"));
const base = await probeInterpreter(ctx, venvPython.info.base_executable);
const target = venvEnvTarget(base, venvLayout(base, cfg.envDir));
await installDistributions(target, cfg.wheels.map((wheel) => ({ wheel })), {
  cacheDir: cfg.cacheDir,
  linkMode: "auto",
  afterEach: async () => {
    writeFileSync(cfg.marker, "");
    await new Promise((r) => setTimeout(r, 120_000));
  },
});
