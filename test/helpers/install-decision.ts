// The no-op decision, scenario by scenario, on a real venv whose
// distributions are written by hand: venvctl answers "satisfied" only where
// pip itself would change nothing — checked against the env's own pip
// (`pip install --dry-run --no-index`, which says what it would install, or
// fails looking for it) — and hands every uncertain case to pip. Shared by
// the test files of each interpreter (they run in parallel).
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decideNoOp, openForCheck } from "../../src/plans/install-check.js";
import { clearListingCache } from "../../src/environments/listing.js";
import { readInputs } from "../../src/pip/requirements-file.js";
import type { Satisfaction } from "../../src/plans/satisfaction.js";
import { resolveTarget } from "../../src/environments/target.js";
import { makeContext } from "./context.js";
import { makeSandbox, type Sandbox } from "./hermetic.js";
import { makeEnv, pip, show, writeDist, type HandDist, type TestEnv } from "./install-env.js";

interface Scenario {
  name: string;
  dists: HandDist[];
  /** requirements.txt */
  requirements: string;
  constraints?: string;
  noDeps?: boolean;
  env?: Record<string, string>;
  /** true: satisfied; a RegExp: handed to pip, with a reason matching it. */
  expect: true | RegExp;
  /** `expect` where the env's pip (by its label, "pip 24.2") answers otherwise. */
  expectWithPip?: Record<string, true | RegExp>;
  /** For a handed-over case: pip itself would change something (checked with --dry-run). Default true. */
  pipChanges?: boolean;
}

const A = (requires: string[] = [], extras: string[] = []): HandDist => ({ name: "alpha", version: "1.0", requires, extras });
const dist = (name: string, version = "1.0", requires: string[] = []): HandDist => ({ name, version, requires });

const SCENARIOS: Scenario[] = [
  {
    // pip before 24.1 accepts it (packaging 21's LegacySpecifier); pip 24.1 refuses it: either way, pip says.
    name: "a legacy (non-PEP 440) specifier is handed to pip, not refused",
    dists: [A()],
    requirements: "alpha==1.0.x\n",
    expect: /not PEP 440 \(which only pip before 24\.1 accepts\)/,
  },
  {
    // pip 24.1 and later accept it (packaging 24's identifier names), and
    // venvctl checks it for them: like pip 24.2, it finds no valid
    // distribution alpha- (pip ignores a dist-info of that name as invalid).
    // Older pips refuse the line, and say so.
    name: "a name ending in _: checked where the env's pip reads it, else handed to pip, never refused",
    dists: [dist("alpha_")],
    requirements: "alpha_==1.0\n",
    expect: /its name is one only pip 24\.1 and later accept/,
    expectWithPip: { "pip 24.2": /alpha- is not installed/ },
  },
  {
    name: "everything installed: dependencies, an extra, markers both ways",
    dists: [
      A(["beta>=1", 'gamma[fast]; python_version >= "3"', 'never-installed; python_version < "3"', 'opt; extra == "x"'], ["x"]),
      dist("beta", "2.0"),
      { name: "gamma", version: "1.0", extras: ["fast"], requires: ['delta; extra == "fast"'] },
      dist("delta"),
      dist("opt"),
    ],
    requirements: "alpha[x]==1.0\nbeta>=1,<3\n# a comment\n",
    expect: true,
  },
  {
    name: "a missing dependency deep in the closure",
    dists: [A(["beta"]), dist("beta", "1.0", ["gamma>=1"]), dist("gamma", "1.0", ["delta"])],
    requirements: "alpha\n",
    expect: /delta is not installed \(required by gamma 1\.0\)/,
  },
  {
    name: "a dependency under a marker that holds here is missing",
    dists: [A(['beta; python_version >= "3"'])],
    requirements: "alpha\n",
    expect: /beta is not installed/,
  },
  {
    name: "a dependency under a marker that does not hold here may be missing",
    dists: [A(['beta; python_version < "3"', 'gamma; sys_platform == "win32"'])],
    requirements: "alpha\n",
    expect: true,
  },
  {
    name: "an extra pulls a missing package",
    dists: [A(['beta; extra == "x"'], ["x"])],
    requirements: "alpha[x]\n",
    expect: /beta is not installed/,
  },
  {
    name: "the same package without the extra is satisfied",
    dists: [A(['beta; extra == "x"'], ["x"])],
    requirements: "alpha\n",
    expect: true,
  },
  {
    name: "an extra the package does not provide (pip warns): pip says so",
    dists: [A()],
    requirements: "alpha[nope]\n",
    expect: /does not provide the extra 'nope'/,
    pipChanges: false,
  },
  {
    name: "a pre-release installed, excluded by `<2.0`",
    dists: [{ name: "alpha", version: "2.0rc1" }],
    requirements: "alpha<2.0\n",
    expect: /alpha 2\.0rc1 is installed/,
  },
  {
    name: "a pre-release installed satisfies `>=1.0` (pip accepts installed pre-releases)",
    dists: [{ name: "alpha", version: "2.0rc1" }],
    requirements: "alpha>=1.0\n",
    expect: true,
  },
  {
    name: "a dependency's pre-release excluded by its specifier",
    dists: [A(["beta!=2.0b1"]), dist("beta", "2.0b1")],
    requirements: "alpha\n",
    expect: /beta 2\.0b1 is installed/,
  },
  {
    name: "another version installed",
    dists: [A()],
    requirements: "alpha==2.0\n",
    expect: /alpha 1\.0 is installed, -r requirements\.txt \(line 1\) asks for alpha==2\.0/,
  },
  {
    name: "a dependency at a version its dependent excludes",
    dists: [A(["beta>=2"]), dist("beta", "1.5")],
    requirements: "alpha\n",
    expect: /beta 1\.5 is installed, alpha 1\.0 asks for beta>=2/,
  },
  {
    name: "a constraint the installed dependency breaks",
    dists: [A(["beta"]), dist("beta", "1.5")],
    requirements: "alpha\n",
    constraints: "beta<1.5\nunrelated==9\n",
    expect: /the constraint -c constraints\.txt \(line 1\) asks for beta<1\.5/,
  },
  {
    name: "constraints that hold, and one on a project outside the closure",
    dists: [A(["beta"]), dist("beta", "1.5")],
    requirements: "alpha\n",
    constraints: "beta>=1,<2\nunrelated==9\n",
    expect: true,
  },
  {
    name: "a requirement whose marker does not hold here is ignored, as pip ignores it",
    dists: [A()],
    requirements: 'alpha\nmissing-pkg; python_version < "3"\n',
    expect: true,
  },
  {
    name: "names compare normalized",
    dists: [{ name: "Foo.Bar_baz", version: "1.0", requires: ["Dep_Thing>=1"] }, dist("dep.thing", "1.0")],
    requirements: "foo-bar-baz==1.0\nFOO_BAR.BAZ\n",
    expect: true,
  },
  {
    name: "--no-deps looks at the named requirements only",
    dists: [A(["beta"])],
    requirements: "alpha\n",
    noDeps: true,
    expect: true,
  },
  {
    name: "a dependency on argparse (pip never counts it installed)",
    dists: [A(["argparse"]), dist("argparse")],
    requirements: "alpha\n",
    expect: /argparse is not installed/,
  },
  {
    name: "a broken Requires-Dist",
    dists: [A(["beta >>>= 1"]), dist("beta")],
    requirements: "alpha\n",
    expect: /invalid Requires-Dist/,
    pipChanges: false,
  },
  {
    name: "a version that is not PEP 440",
    dists: [{ name: "alpha", version: "1.0-custom-build" }],
    requirements: "alpha\n",
    expect: /not PEP 440/,
    pipChanges: false,
  },
  {
    name: "the .dist-info name and METADATA disagree on the version",
    dists: [{ name: "alpha", version: "2.0", dirVersion: "1.0" }],
    requirements: "alpha==2.0\n",
    expect: /says version 1\.0, its metadata 2\.0/,
    pipChanges: false,
  },
  {
    name: "a URL requirement goes to pip",
    dists: [A()],
    requirements: "alpha @ https://example.invalid/alpha-1.0-py3-none-any.whl\n",
    expect: /direct reference/,
    pipChanges: false,
  },
  {
    name: "an editable requirement goes to pip",
    dists: [A()],
    requirements: "-e git+https://example.invalid/alpha.git#egg=alpha\n",
    expect: /editable/,
    pipChanges: false,
  },
  {
    name: "a local path goes to pip",
    dists: [A()],
    requirements: "./alpha-1.0-py3-none-any.whl\n",
    expect: /local path/,
    pipChanges: false,
  },
  {
    name: "--hash goes to pip",
    dists: [A()],
    requirements: "alpha==1.0 --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
    expect: /--hash/,
    // pip checks hashes only for what it downloads: here it finds nothing to download.
    pipChanges: false,
  },
  {
    name: "--require-hashes goes to pip",
    dists: [A()],
    requirements: "--require-hashes\nalpha==1.0\n",
    expect: /require-hashes/,
    // pip checks hashes only for what it downloads: here it finds nothing to download.
    pipChanges: false,
  },
  {
    name: "PIP_UPGRADE in the environment goes to pip",
    dists: [A()],
    requirements: "alpha\n",
    env: { PIP_UPGRADE: "1" },
    expect: /PIP_UPGRADE sets upgrade/,
    // With no index pip finds nothing newer; with one it would upgrade.
    pipChanges: false,
  },
  {
    name: "index settings change nothing for satisfied requirements",
    dists: [A()],
    requirements: "--index-url http://127.0.0.1:9/simple/\n--extra-index-url http://127.0.0.1:9/extra/\n--pre\nalpha\n",
    env: { PIP_INDEX_URL: "http://127.0.0.1:9/simple/", PIP_FIND_LINKS: "/nonexistent" },
    expect: true,
  },
];

/**
 * The scenarios on a venv of `python`. The env's pip is asked about every
 * scenario (`oracle: "all"`) or only where venvctl answers without it.
 */
export function decisionSuite(python: string, pipLabel: string, oracle: "all" | "satisfied"): void {
  describe(`install: the no-op decision (Python ${python}, ${pipLabel})`, () => {
    let sb: Sandbox & { cleanup(): void };
    let env: TestEnv;
    let written: string[] = [];
    before(() => {
      sb = makeSandbox(undefined, "venvctl-install-decision");
      env = makeEnv(sb, "venv", { python });
    });
    after(() => sb.cleanup());
    const decide = async (s: Scenario): Promise<Satisfaction> => {
      for (const p of written) rmSync(p, { recursive: true, force: true });
      written = s.dists.map((d) => writeDist(env.site, d));
      writeFileSync(join(sb.work, "requirements.txt"), s.requirements);
      writeFileSync(join(sb.work, "constraints.txt"), s.constraints ?? "");
      clearListingCache();
      const ctx = makeContext(sb, { env: s.env });
      const target = await resolveTarget(ctx, env.dir);
      const inputs = readInputs({ requirementFiles: ["requirements.txt"], constraintFiles: s.constraints ? ["constraints.txt"] : [] }, { cwd: ctx.cwd, env: ctx.env });
      return decideNoOp(ctx, openForCheck(ctx, target), inputs, Boolean(s.noDeps));
    };

    for (const scenario of SCENARIOS) {
      const s = { ...scenario, expect: scenario.expectWithPip?.[pipLabel] ?? scenario.expect };
      test(s.name, async () => {
        const d = await decide(s);
        if (s.expect === true) {
          assert.ok(d.satisfied, `expected satisfied, got: ${d.satisfied ? "" : d.reason}`);
        } else {
          assert.ok(!d.satisfied, "expected pip to be needed");
          assert.match(d.reason, s.expect);
        }
        if (s.expect !== true && (s.pipChanges === false || oracle === "satisfied")) return;
        // The oracle: the env's pip on the same files, finding nothing to fetch.
        const empty = join(sb.dir, "no-wheels");
        mkdirSync(empty, { recursive: true });
        const args = ["install", "--dry-run", "--no-index", "--find-links", empty, ...(s.noDeps ? ["--no-deps"] : []), "-r", "requirements.txt"];
        if (s.constraints) args.push("-c", "constraints.txt");
        const r = await pip(env.python, args, sb, { ...(s.env ?? {}) });
        const pipNoOp = r.code === 0 && !/Would install/.test(r.stdout);
        assert.equal(pipNoOp, s.expect === true, `pip's own answer disagrees:\n${show(r)}`);
      });
    }
  });
}
