// entry_points.txt and the scripts pip makes from it: which console_scripts
// and gui_scripts get a launcher, under which names, calling what. Follows
// pip/_internal/operations/install/wheel.py (get_console_script_specs) and
// pip/_vendor/distlib/util.py (get_export_entry, ENTRY_RE).

/** Entry-point groups by section: `console_scripts` → name → `module:attr`. */
export type EntryPointGroups = Map<string, Map<string, string>>;

/**
 * Parses entry_points.txt as importlib.metadata does: stripped lines, `#`
 * comments, `[section]` headers, `name = value` split at the first `=`. A
 * later duplicate name replaces the value and keeps the first one's place.
 */
export function parseEntryPoints(text: string): EntryPointGroups {
  const groups: EntryPointGroups = new Map();
  let section: Map<string, string> | undefined;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    if (line.startsWith("[") && line.endsWith("]")) {
      const name = line.replace(/^\[+|\]+$/g, "");
      section = groups.get(name) ?? new Map();
      groups.set(name, section);
      continue;
    }
    if (!section) continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    section.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return groups;
}

/** A callable to make a launcher for (distlib's ExportEntry). */
export interface ExportEntry {
  /** The script's file name. */
  name: string;
  /** The module to import from (`pip._internal.cli.main`). */
  module: string;
  /** The attribute path called (`main`, `Cli.run`). */
  func: string;
}

/** The entry point cannot become a launcher; the message says why. */
export class EntryPointError extends Error {}

// distlib's ENTRY_RE, searched (not anchored) as distlib does. Python's \w
// is Unicode-aware; a pattern with Unicode property classes costs ~5 ms to
// compile, so it is built only for a specification that is not ASCII.
const entryRe = (w: string, flags: string) =>
  new RegExp(
    `(?<name>[^\\[]\\S*)\\s*=\\s*(?<callable>${w}+(?:[:.]${w}+)*)\\s*(?:\\[\\s*(?<flags>(?:${w}|-)+(?:=${w}+)?(?:,\\s*${w}+(?:=${w}+)?)*)\\s*\\])?`,
    flags,
  );
const ENTRY_RE_ASCII = entryRe("\\w", "");
let entryReUnicode: RegExp | undefined;

/** Parses a `name = module:func [extras]` specification, as distlib's get_export_entry and pip's PipScriptMaker. */
export function parseExportEntry(specification: string): ExportEntry {
  const re = /^[\x00-\x7f]*$/.test(specification) ? ENTRY_RE_ASCII : (entryReUnicode ??= entryRe("[\\p{L}\\p{N}\\p{Mn}\\p{Mc}\\p{Pc}]", "u"));
  const m = re.exec(specification);
  if (!m) throw new EntryPointError(`invalid script entry point: ${specification}`);
  const name = m.groups!.name!;
  const callable = m.groups!.callable!;
  const colons = callable.split(":").length - 1;
  if (colons !== 1) {
    throw new EntryPointError(
      colons === 0
        ? `invalid script entry point: ${specification} - a callable suffix is required (https://packaging.python.org/specifications/entry-points/#use-for-scripts)`
        : `invalid script entry point: ${specification}`,
    );
  }
  // The name becomes a file in bin/: it must stay one.
  if (name.includes("/") || name.includes("\0") || name === "." || name === "..") {
    throw new EntryPointError(`invalid script name in entry point: ${specification}`);
  }
  const [module, func] = callable.split(":") as [string, string];
  return { name, module, func };
}

/**
 * The console scripts pip generates, as `name = value` specifications, in
 * pip's order. pip and setuptools get versioned names for the interpreter
 * they are installed into — `pip`, `pip3`, `pip3.X`; `easy_install`,
 * `easy_install-3.X` — and the versioned names baked into the wheel (for the
 * Python that built it) are dropped. (venv runs ensurepip with --default-pip
 * and no ENSUREPIP_OPTIONS, so all of them are made.)
 */
export function consoleScriptSpecs(console: Map<string, string>, python: { major: number; minor: number }): string[] {
  const rest = new Map(console);
  const specs: string[] = [];
  const xy = `${python.major}.${python.minor}`;
  const pip = rest.get("pip");
  if (pip !== undefined) {
    rest.delete("pip");
    specs.push(`pip = ${pip}`, `pip${python.major} = ${pip}`, `pip${xy} = ${pip}`);
    for (const k of [...rest.keys()]) if (/^pip(\d+(\.\d+)?)?$/.test(k)) rest.delete(k);
  }
  const easyInstall = rest.get("easy_install");
  if (easyInstall !== undefined) {
    rest.delete("easy_install");
    specs.push(`easy_install = ${easyInstall}`, `easy_install-${xy} = ${easyInstall}`);
    for (const k of [...rest.keys()]) if (/^easy_install(-\d+\.\d+)?$/.test(k)) rest.delete(k);
  }
  for (const [k, v] of rest) specs.push(`${k} = ${v}`);
  return specs;
}

/** The launchers to make for a distribution: console scripts, then GUI scripts. */
export function launcherEntries(groups: EntryPointGroups, python: { major: number; minor: number }): Array<ExportEntry & { gui: boolean }> {
  const console = consoleScriptSpecs(groups.get("console_scripts") ?? new Map(), python);
  const gui = [...(groups.get("gui_scripts") ?? new Map<string, string>())].map(([k, v]) => `${k} = ${v}`);
  return [
    ...console.map((s) => ({ ...parseExportEntry(s), gui: false })),
    ...gui.map((s) => ({ ...parseExportEntry(s), gui: true })),
  ];
}

/**
 * Whether a `.data/scripts` file is a wrapper setuptools made for one of the
 * entry points (EP, EP.exe, EP-script.py, EP.pya): pip skips those, since it
 * generates its own.
 */
export function isEntryPointWrapper(fileName: string, groups: EntryPointGroups): boolean {
  const lower = fileName.toLowerCase();
  let match = fileName;
  if (lower.endsWith(".exe") || lower.endsWith(".pya")) match = fileName.slice(0, -4);
  else if (lower.endsWith("-script.py")) match = fileName.slice(0, -10);
  return (groups.get("console_scripts")?.has(match) ?? false) || (groups.get("gui_scripts")?.has(match) ?? false);
}
