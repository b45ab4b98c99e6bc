// The wheels the install tests install, built offline: several versions of
// small packages, with dependencies (a chain three deep), an extra, markers
// that hold and that do not, a pre-release and a console script.
import { buildWheel } from "./wheel-builder.js";

/** Builds every test wheel into `dir`. */
export function buildInstallWheels(dir: string): void {
  const py = (name: string, body = "VALUE = 1\n") => ({ [`${name}.py`]: body });
  buildWheel(dir, { name: "alpha", version: "1.0", metadata: ["Requires-Dist: beta>=1"], files: py("alpha", "VERSION = '1.0'\n") });
  buildWheel(dir, { name: "alpha", version: "2.0", metadata: ["Requires-Dist: beta>=2"], files: py("alpha", "VERSION = '2.0'\n") });
  buildWheel(dir, { name: "beta", version: "1.0", files: py("beta") });
  buildWheel(dir, { name: "beta", version: "2.0", files: py("beta") });
  buildWheel(dir, { name: "beta", version: "3.0rc1", files: py("beta") });
  buildWheel(dir, {
    name: "gamma",
    version: "1.0",
    metadata: [
      "Provides-Extra: fast",
      'Requires-Dist: delta ; extra == "fast"',
      'Requires-Dist: epsilon ; python_version < "3"',
      'Requires-Dist: zeta ; python_version >= "3"',
    ],
    files: py("gamma"),
  });
  buildWheel(dir, { name: "delta", version: "1.0", files: py("delta") });
  buildWheel(dir, { name: "epsilon", version: "1.0", files: py("epsilon") });
  buildWheel(dir, {
    name: "zeta",
    version: "1.0",
    files: py("zeta", "def main():\n    print('zeta')\n"),
    entryPoints: { console_scripts: { "zeta-cmd": "zeta:main" } },
  });
  buildWheel(dir, { name: "top", version: "1.0", metadata: ["Requires-Dist: mid"], files: py("top") });
  buildWheel(dir, { name: "mid", version: "1.0", metadata: ["Requires-Dist: leaf>=1"], files: py("mid") });
  buildWheel(dir, { name: "leaf", version: "1.0", files: py("leaf") });
}
