// The options a requirements-file line may carry, parsed as pip's
// build_parser does over optparse (pip/_internal/req/req_file.py): -r, -c,
// -e, index options, --hash and the per-requirement options, with
// optparse's prefix matching of long options and its error messages.
import { DIGEST_ALGORITHMS, isDigestAlgorithm, type DigestAlgorithm } from "../util/digest.js";

interface OptionSpec {
  long: string[];
  short?: string;
  takesValue: boolean;
}

/** SUPPORTED_OPTIONS + SUPPORTED_OPTIONS_REQ of pip's req_file.py (pip 23.1 and later). */
const OPTION_SPECS: OptionSpec[] = [
  { long: ["--index-url", "--pypi-url"], short: "-i", takesValue: true },
  { long: ["--extra-index-url"], takesValue: true },
  { long: ["--no-index"], takesValue: false },
  { long: ["--constraint"], short: "-c", takesValue: true },
  { long: ["--requirement"], short: "-r", takesValue: true },
  { long: ["--editable"], short: "-e", takesValue: true },
  { long: ["--find-links"], short: "-f", takesValue: true },
  { long: ["--no-binary"], takesValue: true },
  { long: ["--only-binary"], takesValue: true },
  { long: ["--prefer-binary"], takesValue: false },
  { long: ["--require-hashes"], takesValue: false },
  { long: ["--pre"], takesValue: false },
  { long: ["--trusted-host"], takesValue: true },
  { long: ["--use-feature"], takesValue: true },
  { long: ["--global-option"], takesValue: true },
  { long: ["--hash"], takesValue: true },
  { long: ["--config-settings"], short: "-C", takesValue: true },
];
const LONG = new Map<string, OptionSpec>();
const SHORT = new Map<string, OptionSpec>();
for (const spec of OPTION_SPECS) {
  for (const l of spec.long) LONG.set(l, spec);
  if (spec.short) SHORT.set(spec.short, spec);
}
const LONG_NAMES = [...LONG.keys()].sort();

/** The hash algorithms pip accepts (pip's STRONG_HASHES). */
export const STRONG_HASHES: readonly DigestAlgorithm[] = DIGEST_ALGORITHMS;

/** What the options of one line set. */
export interface LineOptions {
  requirements: string[];
  constraints: string[];
  editables: string[];
  hashes: Record<string, string[]> | undefined;
  configSettings: Record<string, string | string[]> | undefined;
  globalOptions: string[];
  /** Every option given, in order, by its first long name. */
  order: Array<{ name: string; value?: string | undefined }>;
}

/** Parses a line's options as optparse does for pip (long-option prefixes included). */
export function parseLineOptions(args: string[]): { values: LineOptions } | { error: string } {
  const v: LineOptions = { requirements: [], constraints: [], editables: [], hashes: undefined, configSettings: undefined, globalOptions: [], order: [] };
  const rargs = [...args];
  const take = (spec: OptionSpec, opt: string, value: string | undefined): string | undefined => {
    const name = spec.long[0]!;
    v.order.push({ name, value });
    switch (name) {
      case "--requirement": v.requirements.push(value!); break;
      case "--constraint": v.constraints.push(value!); break;
      case "--editable": v.editables.push(value!); break;
      case "--global-option": v.globalOptions.push(value!); break;
      case "--hash": {
        const colon = value!.indexOf(":");
        if (colon < 0) return `Arguments to ${opt} must be a hash name followed by a value, like --hash=sha256:abcde...`;
        const algo = value!.slice(0, colon);
        if (!isDigestAlgorithm(algo)) return `Allowed hash algorithms for ${opt} are ${STRONG_HASHES.join(", ")}.`;
        v.hashes ??= {};
        (v.hashes[algo] ??= []).push(value!.slice(colon + 1));
        break;
      }
      case "--config-settings": {
        const eq = value!.indexOf("=");
        if (eq < 0) return `Arguments to ${opt} must be of the form KEY=VAL`;
        const key = value!.slice(0, eq);
        const val = value!.slice(eq + 1);
        v.configSettings ??= {};
        const prev = v.configSettings[key];
        v.configSettings[key] = prev === undefined ? val : Array.isArray(prev) ? [...prev, val] : [prev, val];
        break;
      }
      case "--no-binary":
      case "--only-binary":
        if (value!.startsWith("-")) return "--no-binary / --only-binary option requires 1 argument.";
        break;
    }
    return undefined;
  };
  while (rargs.length) {
    const arg = rargs.shift()!;
    if (arg === "--") break;
    if (arg.startsWith("--")) {
      let opt = arg;
      let explicit: string | undefined;
      const eq = arg.indexOf("=");
      if (eq >= 0) {
        opt = arg.slice(0, eq);
        explicit = arg.slice(eq + 1);
      }
      let spec = LONG.get(opt);
      if (!spec) {
        const matches = LONG_NAMES.filter((n) => n.startsWith(opt));
        if (matches.length === 0) return { error: `no such option: ${opt}` };
        if (matches.length > 1) return { error: `ambiguous option: ${opt} (${matches.join(", ")}?)` };
        opt = matches[0]!;
        spec = LONG.get(opt)!;
      }
      let value: string | undefined;
      if (spec.takesValue) {
        if (explicit !== undefined) value = explicit;
        else if (rargs.length) value = rargs.shift()!;
        else return { error: `${opt} option requires 1 argument` };
      } else if (explicit !== undefined) {
        return { error: `${opt} option does not take a value` };
      }
      const err = take(spec, opt, value);
      if (err) return { error: err };
    } else if (arg.startsWith("-") && arg.length > 1) {
      for (let i = 1; i < arg.length; i++) {
        const opt = `-${arg[i]}`;
        const spec = SHORT.get(opt);
        if (!spec) return { error: `no such option: ${opt}` };
        // Every short option pip allows in a file takes a value.
        let value: string;
        if (i + 1 < arg.length) value = arg.slice(i + 1);
        else if (rargs.length) value = rargs.shift()!;
        else return { error: `${opt} option requires 1 argument` };
        const err = take(spec, opt, value);
        if (err) return { error: err };
        break;
      }
    }
    // Anything else is a positional argument, which pip ignores on an option line.
  }
  return { values: v };
}

