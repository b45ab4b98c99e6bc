// The requirements-file parser: every construct pip's format has, the errors
// (FILE:LINE, exit 2), and a differential run of pip's own parser
// (pip/_internal/req/req_file.py) over the same files.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import {
  commandLineRequirement,
  emptyParse,
  readInputs,
  readRequirementsFile,
  RequirementsFileError,
  type ParsedRequirements,
  type RequirementEntry,
} from "../../src/pip/requirements-file.js";
import { parseLineOptions } from "../../src/pip/requirement-options.js";
import { breakArgsOptions, decodeRequirementsFile, logicalLines, shlexSplit } from "../../src/pip/requirements-text.js";
import { UsageError } from "../../src/errors.js";
import { makeSandbox, PYENV_ROOT } from "../helpers/hermetic.js";
import { requireOrSkip } from "../helpers/require.js";

const ORACLE = join(dirname(fileURLToPath(import.meta.url)), "..", "helpers", "pip_parse_requirements.py");

function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

function parse(cwd: string, file: string, env: Record<string, string> = {}, constraint = false): ParsedRequirements {
  const into = emptyParse();
  readRequirementsFile(file, constraint, { cwd, env }, into);
  return into;
}

function parseError(cwd: string, file: string, env: Record<string, string> = {}): RequirementsFileError {
  try {
    parse(cwd, file, env);
  } catch (err) {
    assert.ok(err instanceof RequirementsFileError, `expected a RequirementsFileError, got ${String(err)}`);
    assert.ok(err instanceof UsageError, "a requirements file error is a usage error (exit 2)");
    assert.equal(err.exitCode, 2);
    return err;
  }
  assert.fail(`${file} parsed without an error`);
}

const named = (e: RequirementEntry) => (e.spec.kind === "named" ? e.spec.req : undefined);

describe("requirements file: lines", () => {
  test("comments, blank lines and inline comments", () => {
    const lines = logicalLines("# top\n\nfoo==1.0  # pinned\n   # indented comment\nbar#not-a-comment\n\t\n", {});
    assert.deepEqual(lines, [[3, "foo==1.0"], [5, "bar#not-a-comment"]]);
  });

  test("backslash continuations take the first line's number; not after a comment", () => {
    const lines = logicalLines("foo \\\n  >=1.0 \\\n  ,<2\nbar\n# c \\\nbaz\nlast \\", {});
    assert.deepEqual(lines, [[1, "foo   >=1.0   ,<2"], [4, "bar"], [6, "baz"], [7, "last"]]);
  });

  test("a comment line ends a continuation", () => {
    assert.deepEqual(logicalLines("foo \\\n# comment\nbar", {}), [[1, "foo"], [3, "bar"]]);
  });

  test("${VAR}: upper-case, digits and _ only; unset or empty stays as written", () => {
    const env = { VERSION_1: "2.0", EMPTY: "", lower: "x" };
    assert.deepEqual(logicalLines("foo==${VERSION_1}\nbar==${EMPTY}\nbaz==${lower}\nq==$VERSION_1\nr==${VERSION_1}.${VERSION_1}", env), [
      [1, "foo==2.0"], [2, "bar==${EMPTY}"], [3, "baz==${lower}"], [4, "q==$VERSION_1"], [5, "r==2.0.2.0"],
    ]);
  });

  test("universal newlines: \\r\\n, \\r and form feeds split lines", () => {
    assert.deepEqual(logicalLines("a\r\nb\rc\fd", {}), [[1, "a"], [2, "b"], [3, "c"], [4, "d"]]);
  });

  test("arguments end at the first word starting with -", () => {
    assert.deepEqual(breakArgsOptions('foo ; python_version < "3.9" --hash=sha256:x'), {
      args: 'foo ; python_version < "3.9"',
      optionText: "--hash=sha256:x",
    });
    assert.deepEqual(breakArgsOptions("-r other.txt"), { args: "", optionText: "-r other.txt" });
  });

  test("shlex: quotes, escapes and errors", () => {
    assert.deepEqual(shlexSplit(`--hash "sha256:a b" 'x\\y' z\\ w "q\\"q" "a\\b"`), ["--hash", "sha256:a b", "x\\y", "z w", 'q"q', "a\\b"]);
    assert.deepEqual(shlexSplit(`--x ""`), ["--x", ""]);
    assert.deepEqual(shlexSplit(`"open`), { error: "No closing quotation" });
    assert.deepEqual(shlexSplit(`trailing\\`), { error: "No escaped character" });
  });

  test("options: long, =value, abbreviations, short with attached value", () => {
    const r = parseLineOptions(["--ind=https://a/simple", "-fwheels", "-C", "k=v", "--pre", "stray"]);
    assert.ok("values" in r);
    assert.deepEqual(r.values.order, [
      { name: "--index-url", value: "https://a/simple" },
      { name: "--find-links", value: "wheels" },
      { name: "--config-settings", value: "k=v" },
      { name: "--pre", value: undefined },
    ]);
    assert.deepEqual(parseLineOptions(["--nope"]), { error: "no such option: --nope" });
    assert.deepEqual(parseLineOptions(["--e", "x"]), { error: "ambiguous option: --e (--editable, --extra-index-url?)" });
    assert.deepEqual(parseLineOptions(["--pre=1"]), { error: "--pre option does not take a value" });
    assert.deepEqual(parseLineOptions(["-i"]), { error: "-i option requires 1 argument" });
    assert.deepEqual(parseLineOptions(["-x"]), { error: "no such option: -x" });
    assert.deepEqual(parseLineOptions(["--hash=md5:00"]), { error: "Allowed hash algorithms for --hash are sha256, sha384, sha512." });
    assert.deepEqual(parseLineOptions(["--hash", "abc"]), { error: "Arguments to --hash must be a hash name followed by a value, like --hash=sha256:abcde..." });
    assert.deepEqual(parseLineOptions(["--config-settings", "novalue"]), { error: "Arguments to --config-settings must be of the form KEY=VAL" });
  });

  test("decoding: BOMs, a coding comment, UTF-16; NUL bytes and bad UTF-8 are not text", () => {
    assert.equal(decodeRequirementsFile(Buffer.from("\ufefffoo\n", "utf8")), "foo\n");
    assert.equal(decodeRequirementsFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("foo\n", "utf16le")])), "foo\n");
    assert.equal(decodeRequirementsFile(Buffer.from("# -*- coding: latin-1 -*-\ncaf\xe9\n", "latin1")), "# -*- coding: latin-1 -*-\ncafé\n");
    assert.deepEqual(decodeRequirementsFile(Buffer.from([0x66, 0xff, 0xfe, 0x80])), { error: "it is not valid utf-8" });
  });

  test("decoding as pip's auto_decode does: cp437, mac-roman, a NUL in a comment; other codecs are pip's to decode", () => {
    // Python: b"\x82\x8e\xdb".decode("cp437") == "éÄ█", .decode("mac_roman") == "Çé€"
    assert.equal(decodeRequirementsFile(Buffer.from("# -*- coding: cp437 -*-\nfoo # \x82\x8e\xdb\n", "latin1")), "# -*- coding: cp437 -*-\nfoo # éÄ█\n");
    assert.equal(decodeRequirementsFile(Buffer.from("# vim: set fileencoding=mac-roman :\nfoo # \x82\x8e\xdb\n", "latin1")), "# vim: set fileencoding=mac-roman :\nfoo # Çé€\n");
    assert.equal(decodeRequirementsFile(Buffer.from("\n# coding: IBM437\n\x82\n", "latin1")), "\n# coding: IBM437\né\n", "the second line counts too");
    assert.equal(decodeRequirementsFile(Buffer.from("foo # a\0b\n")), "foo # a\0b\n");
    assert.deepEqual(decodeRequirementsFile(Buffer.from("# coding: cp1252\nfoo\n")), { encoding: "cp1252" });
    assert.deepEqual(decodeRequirementsFile(Buffer.from("# coding: ascii\nfoo \xe9\n", "latin1")), { error: "it is not valid ascii" });
    assert.deepEqual(decodeRequirementsFile(Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x66])), { encoding: "utf-32-be" });
  });

  test("a file in an encoding venvctl does not decode is left to pip, not refused", (t) => {
    const sb = makeSandbox(t);
    write(sb.work, { "r.txt": Buffer.from("# -*- coding: cp1252 -*-\nfoo==1.0 # caf\xe9\n", "latin1") });
    const p = parse(sb.work, "r.txt");
    assert.deepEqual(p.unread, [{ file: "r.txt", why: "it is written in cp1252, which pip decodes" }]);
    assert.deepEqual(p.entries, []);
  });
});

describe("requirements file: requirements", () => {
  test("PEP 508: extras, specifiers, markers, name @ url; URLs, paths, -e", (t) => {
    const sb = makeSandbox(t);
    write(sb.work, {
      "proj/pyproject.toml": "[project]\nname = 'proj'\n",
      "dist/present-1.0-py3-none-any.whl": "",
      "r.txt": [
        "Foo.Bar[Extra1, two] >=1.0,<2 ; python_version >= '3.8'",
        "qux (==1.4.*)",
        "named @ https://example.invalid/named-1.0-py3-none-any.whl",
        "https://example.invalid/pkg-1.0.tar.gz#egg=pkg",
        "git+https://example.invalid/repo.git@v1#egg=repo",
        "./proj",
        "./dist/present-1.0-py3-none-any.whl",
        "-e ./proj",
        "--editable=git+https://example.invalid/e.git#egg=e",
        "hashed==1.0 --hash=sha256:aa --hash sha256:bb --hash=sha512:cc",
        "built -C key=one --config-settings key=two --global-option=--quiet",
      ].join("\n"),
    });
    const p = parse(sb.work, "r.txt");
    const kinds = p.entries.map((e) => e.spec.kind);
    assert.deepEqual(kinds, ["named", "named", "named", "url", "url", "path", "path", "editable", "editable", "named", "named"]);
    const foo = named(p.entries[0]!)!;
    assert.equal(foo.name, "Foo.Bar");
    assert.deepEqual(foo.extras, ["Extra1", "two"]);
    assert.deepEqual(foo.specifiers, [{ op: ">=", version: "1.0" }, { op: "<", version: "2" }]);
    assert.equal(p.entries[0]!.markerText, "python_version >= '3.8'");
    assert.deepEqual(named(p.entries[1]!)!.specifiers, [{ op: "==", version: "1.4.*" }]);
    assert.equal(named(p.entries[2]!)!.url, "https://example.invalid/named-1.0-py3-none-any.whl");
    assert.deepEqual(p.entries[9]!.hashes, { sha256: ["aa", "bb"], sha512: ["cc"] });
    assert.deepEqual(p.entries[10]!.configSettings, { key: ["one", "two"] });
    assert.deepEqual(p.entries[10]!.globalOptions, ["--quiet"]);
    assert.deepEqual(p.entries.map((e) => e.source!.line), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test("nested -r/-c relative to the including file; -r inside a constraints file is requirements", (t) => {
    const sb = makeSandbox(t);
    write(sb.work, {
      "reqs/main.txt": "-r sub/more.txt\n-c ../constraints.txt\nmain-pkg\n",
      "reqs/sub/more.txt": "--requirement=../../top.txt\nmore-pkg\n",
      "top.txt": "top-pkg\n",
      "constraints.txt": "limited<2\n-r reqs-from-constraints.txt\n",
      "reqs-from-constraints.txt": "from-c\n",
    });
    const p = parse(sb.work, "reqs/main.txt");
    assert.deepEqual(p.entries.map((e) => [named(e)!.name, e.constraint, e.source!.file]), [
      ["top-pkg", false, "reqs/sub/../../top.txt"],
      ["more-pkg", false, "reqs/sub/more.txt"],
      ["limited", true, "reqs/../constraints.txt"],
      ["from-c", false, "reqs/../reqs-from-constraints.txt"],
      ["main-pkg", false, "reqs/main.txt"],
    ]);
    assert.deepEqual(p.files, ["reqs/main.txt", "reqs/sub/more.txt", "reqs/sub/../../top.txt", "reqs/../constraints.txt", "reqs/../reqs-from-constraints.txt"]);
  });

  test("option lines are recorded; a URL include is left to pip", (t) => {
    const sb = makeSandbox(t);
    write(sb.work, {
      "r.txt": "-i https://idx.invalid/simple\n--extra-index-url https://x.invalid/simple\n-f ./wheels\n--no-index --pre\n--trusted-host h.invalid\n--prefer-binary\n--only-binary :all:\n--no-binary foo\n--require-hashes\n-r https://example.invalid/more.txt\n--hash=sha256:ff\n",
    });
    const p = parse(sb.work, "r.txt");
    assert.deepEqual(p.options.map((o) => o.name), [
      "--index-url", "--extra-index-url", "--find-links", "--no-index", "--pre", "--trusted-host", "--prefer-binary",
      "--only-binary", "--no-binary", "--require-hashes", "--hash",
    ]);
    assert.deepEqual(p.unread, [{ file: "https://example.invalid/more.txt", why: "it is a URL, which pip fetches" }]);
    assert.deepEqual(p.warnings, ["WARNING: r.txt line 11 has --hash but no requirement, and will be ignored."]);
  });

  test("the same file included twice (not a cycle) is read twice, as pip does", (t) => {
    const sb = makeSandbox(t);
    write(sb.work, { "a.txt": "-r common.txt\n-r b.txt\n", "b.txt": "-r common.txt\n", "common.txt": "shared\n" });
    assert.equal(parse(sb.work, "a.txt").entries.length, 2);
  });

  test("command-line requirements: parsed the same way; an invalid one is a usage error", (t) => {
    const sb = makeSandbox(t);
    const e = commandLineRequirement("foo[x]>=1; sys_platform == 'linux'", false, sb.work);
    assert.equal(named(e)!.name, "foo");
    assert.equal(e.markerText, "sys_platform == 'linux'");
    assert.throws(() => commandLineRequirement("foo=1", false, sb.work), (err: unknown) =>
      err instanceof UsageError && /Invalid requirement: 'foo=1'/.test(err.message) && /Did you mean ==/.test(err.hint ?? ""));
  });
});

describe("requirements file: what only some pips accept is pip's to decide", () => {
  test("a legacy specifier (pip before 24.1) and a name ending in _ (pip 24.1 and later) are read, marked for pip", (t) => {
    const sb = makeSandbox(t);
    write(sb.work, { "r.txt": "foo==1.0.x\nbar>=2.0-custom,<3\nbaz_==1.0\nplain==1.0\n" });
    const p = parse(sb.work, "r.txt");
    assert.deepEqual(p.entries.map((e) => [named(e)?.name, named(e)?.specifiers.map((x) => `${x.op}${x.version}`).join(","), e.readAs]), [
      ["foo", "==1.0.x", { legacySpecifiers: true }], ["bar", ">=2.0-custom,<3", { legacySpecifiers: true }],
      ["baz_", "==1.0", { identifierNames: true }], ["plain", "==1.0", undefined],
    ]);
  });

  test("what no pip accepts is still refused at its line", (t) => {
    const sb = makeSandbox(t);
    write(sb.work, { "r.txt": "ok\nfoo_==1.0.x\n" });
    assert.match(parseError(sb.work, "r.txt").message, /^r\.txt:2: Invalid requirement: 'foo_==1\.0\.x'/);
  });
});

describe("requirements file: errors are FILE:LINE, exit 2", () => {
  const cases: Array<[string, Record<string, string | Buffer>, RegExp]> = [
    // (Not `foo==`: pip before 24.1 reads it as a legacy specifier.)
    ["a malformed requirement", { "r.txt": "ok\n\nfoo>=1 2\n" }, /^r\.txt:3: Invalid requirement: 'foo>=1 2'/],
    ["a bad marker", { "r.txt": "foo ; python_version >>> '3'\n" }, /^r\.txt:1: Invalid requirement: /],
    ["an unknown option", { "r.txt": "# c\n--frobnicate\n" }, /^r\.txt:2: no such option: --frobnicate$/],
    ["an option missing its value", { "r.txt": "-i\n" }, /^r\.txt:1: -i option requires 1 argument$/],
    ["a bad --hash", { "r.txt": "foo --hash=md5:00\n" }, /^r\.txt:1: Allowed hash algorithms/],
    ["an unclosed quote", { "r.txt": "foo --hash 'sha256:a\n" }, /^r\.txt:1: could not split options/],
    ["a continuation joins into an error on the first line", { "r.txt": "good\nfoo \\\n  >=1 \\\n 2\n" }, /^r\.txt:2: Invalid requirement/],
    ["an error in a nested file names that file", { "r.txt": "-r sub/s.txt\n", "sub/s.txt": "x\ny z\n" }, /^r\.txt:1: |^sub\/s\.txt:2: Invalid requirement: 'y z'/],
    ["a missing nested file names the including line", { "r.txt": "fine\n-r missing.txt\n" }, /^r\.txt:2: could not open requirements file missing\.txt: No such file or directory$/],
    ["an include cycle", { "r.txt": "-r a.txt\n", "a.txt": "x\n-c b.txt\n", "b.txt": "-r ./a.txt\n" }, /^b\.txt:1: include cycle: a\.txt -> b\.txt -> \.\/a\.txt$/],
    ["a file including itself", { "r.txt": "-r r.txt\n" }, /^r\.txt:1: include cycle: r\.txt -> r\.txt$/],
    ["a binary file", { "r.txt": Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]) }, /^r\.txt: not a text file/],
  ];
  for (const [what, files, expected] of cases) {
    test(what, (t) => {
      const sb = makeSandbox(t);
      write(sb.work, files);
      const err = parseError(sb.work, "r.txt");
      assert.match(err.message, expected);
    });
  }

  test("a missing top-level file", (t) => {
    const sb = makeSandbox(t);
    const err = parseError(sb.work, "nope.txt");
    assert.equal(err.message, "nope.txt: could not open requirements file nope.txt: No such file or directory");
  });
});

// ---- differential: pip's parse_requirements on the same files ---------------

interface OracleRequirement {
  requirement: string;
  editable: boolean;
  constraint: boolean;
  comes_from: string;
  options: Record<string, unknown>;
  name?: string | null;
  specifier?: string | null;
  url?: string | null;
  link?: string | null;
  markers?: string | null;
  extras?: string[];
  ireq_error?: string;
}
interface OracleResult {
  file: string;
  requirements?: OracleRequirement[];
  error?: string;
  options: Array<{ file: string; line: number; opts: Record<string, unknown> }>;
}

/** Marker text in one spelling: no spaces, double quotes (pip prints str(Marker)). */
const normMarker = (m: string | null | undefined) => (m ? m.replace(/\s+/g, "").replace(/'/g, '"') : null);

const DIFFERENTIAL_FILES: Record<string, string | Buffer> = {
  "basic.txt": [
    "# a comment",
    "",
    "Foo.Bar[Extra1,two]>=1.0,<2 ; python_version >= '3.8'  # trailing comment",
    "qux (==1.4.*)",
    "spaced   ==   2.0",
    "tilde~=1.4.2",
    "neq!=1.5,>1.0",
    "arb===weird-version",
    "named @ https://example.invalid/named-1.0-py3-none-any.whl",
    'marked; sys_platform == "linux" and python_version < "4"',
    "https://example.invalid/pkg-1.0.tar.gz#egg=pkg",
    "git+https://example.invalid/repo.git@v1#egg=repo",
    "./proj",
    "./proj[extra]",
    "-e ./proj",
    "--editable=git+https://example.invalid/e.git#egg=e",
    "hashed==1.0 --hash=sha256:aa --hash sha256:bb --hash=sha512:cc",
    "built -C key=one --config-settings key=two --global-option=--quiet",
    "vers==${PKG_VERSION}",
  ].join("\n"),
  "continued.txt": "foo \\\n  >=1.0 \\\n  ,<2\npinned==1.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n# comment \\\nafter\n",
  "options.txt": "-i https://idx.invalid/simple\n--extra-index-url https://x.invalid/simple\n-f ./wheels\n--no-index\n--pre\n--trusted-host h.invalid\n--prefer-binary\n--require-hashes\n--ind=https://abbrev.invalid/simple\n--use-feature=fast-deps\nreq-after-options\n",
  "nested.txt": "-r sub/more.txt\n-c ../diff/constraints.txt\nmain-pkg\n",
  "sub/more.txt": "--requirement=../basic.txt\nmore-pkg>=3\n",
  "constraints.txt": "limited<2\n-r nested-from-c.txt\n",
  "nested-from-c.txt": "from-c\n",
  // (Not `foo==`: pip 23's packaging 21 takes it as a legacy specifier; pip 24 and venvctl refuse it.)
  // What one pip accepts and another refuses: read (for pip to decide), never refused.
  "legacy.txt": "foo==1.0.x\nbar>=2.0-custom,<3\n",
  "underscore.txt": "foo_==1.0\nbar_[x_]>=1\n",
  // Encodings pip's auto_decode takes from a coding comment; a NUL in a comment.
  "cp437.txt": Buffer.from("# -*- coding: cp437 -*-\nfoo==1.0 # caf\x82 \xdb\nbar ; platform_release != '\x8e'\n", "latin1"),
  "macroman.txt": Buffer.from("# -*- coding: mac-roman -*-\nfoo==1.0 # caf\x8e \xdb\n", "latin1"),
  "nul.txt": Buffer.from("foo==1.0 # a\0b\nbar\n", "latin1"),
  "err-requirement.txt": "ok\nfoo==1.0 bar\n",
  "err-bracket.txt": "foo[bar\n",
  "err-equals.txt": "foo=1\n",
  "err-option.txt": "--frobnicate\n",
  "err-hash.txt": "foo --hash=md5:00\n",
  "err-quote.txt": "foo --hash 'sha256:a\n",
  "err-marker.txt": "foo ; python_version >>> '3'\n",
};

function ours(cwd: string, file: string, env: Record<string, string>, constraint: boolean): { requirements?: RequirementEntry[]; error?: string; options: ParsedRequirements["options"] } {
  const into = emptyParse();
  try {
    readRequirementsFile(file, constraint, { cwd, env }, into);
    return { requirements: into.entries, options: into.options };
  } catch (err) {
    if (err instanceof RequirementsFileError) return { error: err.message, options: into.options };
    throw err;
  }
}

const OPTION_DEST: Record<string, string> = {
  "--index-url": "index_url",
  "--extra-index-url": "extra_index_urls",
  "--find-links": "find_links",
  "--no-index": "no_index",
  "--pre": "pre",
  "--trusted-host": "trusted_hosts",
  "--prefer-binary": "prefer_binary",
  "--require-hashes": "require_hashes",
  "--use-feature": "features_enabled",
  "--hash": "hashes",
};

for (const [label, version] of [["pip 24.2 (Python 3.13.0)", "3.13.0"], ["pip 23.2.1 (Python 3.12.1)", "3.12.1"]] as const) {
  test(`differential against ${label}'s parse_requirements`, (t) => {
    const python = join(PYENV_ROOT, "versions", version, "bin", "python3");
    if (!requireOrSkip(t, existsSync(python), `${python} is not installed`)) return;
    const sb = makeSandbox(t);
    const dir = join(sb.work, "diff");
    write(dir, { ...DIFFERENTIAL_FILES, "proj/pyproject.toml": "[project]\nname = 'proj'\nversion = '1'\n" });
    const env = { ...sb.env, PKG_VERSION: "4.5" };
    const files = Object.keys(DIFFERENTIAL_FILES).filter((f) => !f.startsWith("sub/") && f !== "nested-from-c.txt");
    const argv = files.flatMap((f) => (f === "constraints.txt" ? ["-c", f] : [f]));
    // (stderr captured: pip's option parser prints its usage there for the files it refuses.)
    const oracle = JSON.parse(execFileSync(python, [ORACLE, ...argv], { cwd: dir, env, encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] })) as OracleResult[];
    assert.equal(oracle.length, files.length);
    for (const [i, file] of files.entries()) {
      const theirs = oracle[i]!;
      const mine = ours(dir, file, env, file === "constraints.txt");
      const where = `${file} (pip: ${JSON.stringify(theirs.error ?? "")}, ours: ${JSON.stringify(mine.error ?? "")})`;
      // We refuse only what pip refuses (while parsing, or building the
      // requirement); what pip refuses we refuse too, or mark for pip to decide.
      const pipFailed = theirs.error !== undefined || (theirs.requirements ?? []).some((r) => r.ireq_error && !/does not exist|not installable/.test(r.ireq_error));
      if (mine.error !== undefined) assert.ok(pipFailed, `refused what pip accepts: ${where}`);
      if (pipFailed) {
        assert.ok(mine.error !== undefined || mine.requirements!.some((e) => e.readAs), `accepted, and not left to pip: ${where}`);
        continue;
      }
      const mineReqs = mine.requirements!;
      const theirReqs = theirs.requirements!;
      assert.equal(mineReqs.length, theirReqs.length, `${file}: number of requirements`);
      for (const [j, r] of theirReqs.entries()) {
        const m = mineReqs[j]!;
        const at = `${file} requirement ${j} (${r.requirement})`;
        assert.equal(m.text, r.requirement, at);
        assert.equal(m.spec.kind === "editable", r.editable, `${at}: editable`);
        assert.equal(m.constraint, r.constraint, `${at}: constraint`);
        assert.equal(`${m.constraint ? "-c" : "-r"} ${m.source!.file} (line ${m.source!.line})`, r.comes_from, `${at}: source`);
        assert.deepEqual(m.hashes, (r.options.hashes as Record<string, string[]> | undefined) ?? {}, `${at}: hashes`);
        assert.deepEqual(m.configSettings, (r.options.config_settings as Record<string, string | string[]> | undefined) ?? {}, `${at}: config settings`);
        assert.deepEqual(m.globalOptions, (r.options.global_options as string[] | undefined) ?? [], `${at}: global options`);
        if (r.editable) continue;
        assert.equal(normMarker(m.markerText), normMarker(r.markers), `${at}: markers`);
        if (m.spec.kind === "named") {
          const req = m.spec.req;
          assert.equal(req.name, r.name, `${at}: name`);
          const spec = req.specifiers.map((s) => `${s.op}${s.version}`).sort().join(",");
          assert.equal(spec, r.specifier ?? "", `${at}: specifier`);
          // pip 23 lower-cases extras; pip 24 keeps their spelling.
          assert.deepEqual(req.extras.map((x) => x.toLowerCase()).sort(), (r.extras ?? []).map((x) => x.toLowerCase()).sort(), `${at}: extras`);
          assert.equal(req.url ?? null, r.url ?? null, `${at}: url`);
        } else {
          // A URL or a path: pip has a link, and a requirement only from #egg= or a wheel name.
          assert.ok(r.link, `${at}: pip has a link for a ${m.spec.kind}`);
        }
      }
      // Option lines: the same options, on the same lines of the same files.
      const theirOptions = theirs.options.map((o) => `${o.file}:${o.line}: ${Object.keys(o.opts).sort().join(",")}`);
      const byLine = new Map<string, Set<string>>();
      for (const o of mine.options) {
        const key = `${o.source.file}:${o.source.line}`;
        const set = byLine.get(key) ?? new Set<string>();
        byLine.set(key, set);
        // --no-binary/--only-binary change pip's format control, which the oracle leaves out.
        if (o.name !== "--no-binary" && o.name !== "--only-binary") set.add(OPTION_DEST[o.name] ?? o.name);
      }
      const mineOptions = [...byLine].map(([key, set]) => `${key}: ${[...set].sort().join(",")}`);
      assert.deepEqual(mineOptions, theirOptions, `${file}: option lines`);
    }
  });
}

test("a PEP 751 lock under another name is not read as requirements: the error says how lock files are named", (t) => {
  const sb = makeSandbox(t);
  writeFileSync(join(sb.work, "deps.lock.toml"), 'lock-version = "1.0"\ncreated-by = "uv"\n');
  assert.throws(() => readInputs({ requirementFiles: ["deps.lock.toml"] }, { cwd: sb.work, env: {} }), (err: unknown) => {
    assert.ok(err instanceof UsageError);
    assert.equal(err.message, "deps.lock.toml: this is a PEP 751 lock file, but lock files are known by their name");
    assert.match(err.hint ?? "", /rename it pylock\.toml or pylock\.NAME\.toml/);
    return true;
  });
  // Any other .toml is read as pip reads it (and refused line by line as pip would).
  writeFileSync(join(sb.work, "other.toml"), "requests\n");
  assert.equal(readInputs({ requirementFiles: ["other.toml"] }, { cwd: sb.work, env: {} }).entries.length, 1);
});
