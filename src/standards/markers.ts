// PEP 508 environment markers (`python_version < "3.11" and extra == "test"`):
// parsed and evaluated as pip's vendored packaging.markers does, against the
// marker variables the interpreter probe recorded.
import { canonicalizeName } from "./names.js";
import { parseSpecifier, specifierContains, type SpecifierOp } from "./pep440.js";

type Operand = { kind: "var"; name: string } | { kind: "str"; value: string };
export type MarkerNode =
  | { kind: "cmp"; lhs: Operand; op: string; rhs: Operand }
  | { kind: "and" | "or"; items: MarkerNode[] };

export class MarkerSyntaxError extends Error {}

const VARIABLES = new Set([
  "python_version", "python_full_version", "os_name", "sys_platform", "platform_release",
  "platform_system", "platform_version", "platform_machine", "platform_python_implementation",
  "implementation_name", "implementation_version", "extra",
]);
// Sets of names, defined only where a lock file is read (PEP 751): `'dev' in
// dependency_groups`. Anywhere else they are unknown variables.
const LOCK_FILE_SETS = new Set(["extras", "dependency_groups"]);
// Names older tools wrote; packaging still reads them.
const ALIASES: Record<string, string> = {
  "os.name": "os_name",
  "sys.platform": "sys_platform",
  "platform.version": "platform_version",
  "platform.machine": "platform_machine",
  "platform.python_implementation": "platform_python_implementation",
  python_implementation: "platform_python_implementation",
};

interface Token {
  kind: "(" | ")" | "str" | "op" | "and" | "or" | "var";
  text: string;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v") {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push({ kind: c, text: c });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new MarkerSyntaxError(`unterminated string in marker: ${text}`);
      out.push({ kind: "str", text: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const op = /^(===|==|!=|<=|>=|~=|<|>)/.exec(text.slice(i));
    if (op) {
      out.push({ kind: "op", text: op[1]! });
      i += op[1]!.length;
      continue;
    }
    const notIn = /^not\s+in\b/.exec(text.slice(i));
    if (notIn) {
      out.push({ kind: "op", text: "not in" });
      i += notIn[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (word) {
      const w = word[0];
      if (w === "in") out.push({ kind: "op", text: "in" });
      else if (w === "and" || w === "or") out.push({ kind: w, text: w });
      else out.push({ kind: "var", text: w });
      i += w.length;
      continue;
    }
    throw new MarkerSyntaxError(`unexpected character ${JSON.stringify(c)} in marker: ${text}`);
  }
  return out;
}

export interface ParseMarkerOptions {
  /**
   * A lock file's marker (packaging's context="lock_file"): `extras` and
   * `dependency_groups` are sets, only ever the right side of `in`/`not in`;
   * `extra` is not defined.
   */
  lockFile?: boolean;
}

/** Parses a marker expression; throws MarkerSyntaxError when packaging would. */
export function parseMarker(text: string, options: ParseMarkerOptions = {}): MarkerNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const operand = (): Operand => {
    const t = tokens[pos++];
    if (!t) throw new MarkerSyntaxError(`marker ends early: ${text}`);
    if (t.kind === "str") return { kind: "str", value: t.text };
    if (t.kind === "var") {
      const name = ALIASES[t.text] ?? t.text;
      if (options.lockFile && LOCK_FILE_SETS.has(name)) return { kind: "var", name };
      // packaging's lock_file context defines no `extra`: evaluating it fails there.
      if (options.lockFile && name === "extra") throw new MarkerSyntaxError(`a lock file's markers have no extra variable (use 'NAME' in extras): ${text}`);
      if (!VARIABLES.has(name)) throw new MarkerSyntaxError(`unknown marker variable ${t.text}: ${text}`);
      return { kind: "var", name };
    }
    throw new MarkerSyntaxError(`expected a variable or a string, found ${t.text}: ${text}`);
  };
  const atom = (): MarkerNode => {
    if (peek()?.kind === "(") {
      pos++;
      const inner = orExpr();
      if (tokens[pos++]?.kind !== ")") throw new MarkerSyntaxError(`expected ) in marker: ${text}`);
      return inner;
    }
    const lhs = operand();
    const op = tokens[pos++];
    if (!op || op.kind !== "op") throw new MarkerSyntaxError(`expected an operator in marker: ${text}`);
    const rhs = operand();
    // A set is only ever asked whether it holds a name (packaging asserts as much).
    const set = [lhs, rhs].find((o) => o.kind === "var" && LOCK_FILE_SETS.has(o.name)) as { name: string } | undefined;
    if (set && (set !== rhs || lhs.kind !== "str" || (op.text !== "in" && op.text !== "not in"))) {
      throw new MarkerSyntaxError(`${set.name} is a set of names, only asked with 'NAME' in ${set.name}: ${text}`);
    }
    return { kind: "cmp", lhs, op: op.text, rhs };
  };
  const andExpr = (): MarkerNode => {
    const items = [atom()];
    while (peek()?.kind === "and") {
      pos++;
      items.push(atom());
    }
    return items.length === 1 ? items[0]! : { kind: "and", items };
  };
  const orExpr = (): MarkerNode => {
    const items = [andExpr()];
    while (peek()?.kind === "or") {
      pos++;
      items.push(andExpr());
    }
    return items.length === 1 ? items[0]! : { kind: "or", items };
  };
  const node = orExpr();
  if (pos !== tokens.length) throw new MarkerSyntaxError(`unexpected ${tokens[pos]!.text} in marker: ${text}`);
  return node;
}

export interface MarkerOptions {
  /**
   * packaging before 22 (pip before 24.1): pre-releases match only when the
   * specifier names one, and extras are compared as written.
   */
  legacy?: boolean;
}

function compare(lhs: string, op: string, rhs: string, opts: MarkerOptions): boolean {
  // As packaging's _eval_op: a version comparison when `op rhs` is a valid
  // specifier, else a string comparison.
  const spec = parseSpecifier(op + rhs);
  if (spec && op !== "in" && op !== "not in") {
    return specifierContains(spec as { op: SpecifierOp; version: string }, lhs, opts.legacy ? undefined : true);
  }
  switch (op) {
    case "==": return lhs === rhs;
    case "!=": return lhs !== rhs;
    case "<": return lhs < rhs;
    case "<=": return lhs <= rhs;
    case ">": return lhs > rhs;
    case ">=": return lhs >= rhs;
    case "in": return rhs.includes(lhs);
    case "not in": return !rhs.includes(lhs);
  }
  // `~=` or `===` on something that is not a version: packaging raises
  // UndefinedComparison; the requirement does not apply.
  return false;
}

/**
 * Evaluates a marker against marker variables (`extra` included; for a lock
 * file's marker, `extras` and `dependency_groups` as sets of names).
 */
export function evaluateMarker(
  node: MarkerNode,
  env: Readonly<Record<string, string | ReadonlySet<string>>>,
  opts: MarkerOptions = {},
): boolean {
  switch (node.kind) {
    case "and":
      return node.items.every((n) => evaluateMarker(n, env, opts));
    case "or":
      return node.items.some((n) => evaluateMarker(n, env, opts));
    case "cmp": {
      let key: string;
      let lhs: string;
      let rhs: string;
      if (node.rhs.kind === "var" && LOCK_FILE_SETS.has(node.rhs.name)) {
        // `'name' in extras`: names compared normalized (packaging's _normalize).
        const set = env[node.rhs.name];
        const names = typeof set === "string" || set === undefined ? [] : [...set].map(canonicalizeName);
        const has = names.includes(canonicalizeName(node.lhs.kind === "str" ? node.lhs.value : ""));
        return node.op === "in" ? has : !has;
      }
      const text = (name: string): string => {
        const value = env[name];
        return typeof value === "string" ? value : "";
      };
      if (node.lhs.kind === "var") {
        key = node.lhs.name;
        lhs = text(key);
        rhs = node.rhs.kind === "str" ? node.rhs.value : node.rhs.name;
      } else {
        lhs = node.lhs.value;
        key = node.rhs.kind === "var" ? node.rhs.name : node.rhs.value;
        rhs = text(key);
      }
      if (key === "extra" && !opts.legacy) {
        lhs = canonicalizeName(lhs);
        rhs = canonicalizeName(rhs);
      }
      return compare(lhs, node.op, rhs, opts);
    }
  }
}
