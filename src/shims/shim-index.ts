// The shim index: the inventory (interpreters/inventory.ts) written as sh, which
// every shim sources. Keys are quoted literals, so a version file's words only
// ever match their own text.
import { installedList, type Inventory, type Target } from "../interpreters/inventory.js";
import { formatVersion, type PreKind } from "../interpreters/version.js";
import { shQuote } from "./posix-shell.js";

const PRE_RANK: Record<PreKind, number> = { a: 0, b: 1, rc: 2 };

/**
 * The index as sh, sourced by every shim: `_vc_lookup WORD` sets `_vc_bin`
 * (a managed install's bin directory) or `_vc_py` + `_vc_names` (an
 * interpreter on PATH and the names it answers), or fails. Keys are quoted,
 * so a case pattern only ever matches its own literal text. `_vc_ranked`
 * lists what a range may select (interpreters/inventory.ts `matchRequest`: not
 * free-threaded builds), newest first, as `#N MAJOR MINOR PATCH PRE N SHOWN`
 * (PRE: a=0 b=1 rc=2 final=3); `#N` is a key no version file can spell,
 * since a word starting with `#` is a comment.
 */
export function renderIndexScript(index: Inventory): string {
  const byTarget = new Map<Target, string[]>();
  for (const [key, t] of index.keys) {
    const list = byTarget.get(t) ?? [];
    list.push(key);
    byTarget.set(t, list);
  }
  const ranked: string[] = [];
  index.targets.forEach((t, i) => {
    if (t.freeThreaded) return;
    const key = `#${i}`;
    byTarget.set(t, [...(byTarget.get(t) ?? []), key]);
    const v = t.version;
    const pre = v.pre ? PRE_RANK[v.pre.kind] : 3;
    ranked.push(`${key} ${v.major} ${v.minor} ${v.patch} ${pre} ${v.pre?.n ?? 0} ${formatVersion(v)}`);
  });
  const lines = [
    "# venvctl shim index: written by `venvctl rehash`, rewritten by each rehash.",
    "# Each installed Python with the spellings that select it (a prefix names",
    "# the newest match, as in pyenv), and where its commands are.",
    "_vc_lookup() {",
    "  case $1 in",
  ];
  for (const t of index.targets) {
    const keys = byTarget.get(t);
    if (!keys || keys.length === 0) continue;
    const pattern = keys.map((k) => `'${k.replace(/'/g, `'\\''`)}'`).join("|");
    const action = t.bin !== undefined
      ? `_vc_bin=${shQuote(t.bin)}`
      : `_vc_py=${shQuote(t.python)} _vc_names=${shQuote((t.names ?? []).join(" "))}`;
    lines.push(`    ${pattern}) ${action} ;;`);
  }
  lines.push("    *) return 1 ;;", "  esac", "}");
  lines.push(`_vc_ranked=${shQuote(ranked.join("\n"))}`);
  lines.push(`_vc_installed=${shQuote(installedList(index))}`);
  return lines.join("\n") + "\n";
}


/** Keys a cmd shim can look up: the characters shims/shim.cmd lets a pin hold (and no `#` first: a comment). */
const CMD_KEY = /^[A-Za-z0-9._@+-][A-Za-z0-9._@+#-]*$/;

/**
 * The index as shims/shim.cmd reads it with `for /f "eol=# tokens=1-4
 * delims=|"`, one line per key: `KEY|D|DIR|SCRIPTS` for an install (its
 * interpreter's directory and the others it keeps commands in, as
 * platform/shims.ts says), `KEY|P|PYTHON|NAMES` for an interpreter found on
 * PATH, which answers its own names only. No field is ever empty (`for /f`
 * would merge the delimiters around it), `|` cannot be in a Windows path, and
 * a key a pin could not spell in cmd is left out (the shim hands such a pin
 * to venvctl). Lines end in CRLF.
 */
export function renderCmdIndex(index: Inventory, commandDirs: (bin: string) => string[]): string {
  const lines = [
    "# venvctl shim index for cmd: written by `venvctl rehash`, rewritten by each rehash.",
    "# KEY|D|DIR|DIR (an install) or KEY|P|PYTHON|NAMES (an interpreter on PATH); a prefix names the newest match.",
  ];
  const clean = (s: string) => s !== "" && !/[|\r\n"]/.test(s);
  for (const [key, t] of index.keys) {
    if (!CMD_KEY.test(key)) continue;
    if (t.bin !== undefined) {
      const [first = t.bin, second = first] = commandDirs(t.bin);
      if (!clean(first) || !clean(second)) continue;
      lines.push(`${key}|D|${first}|${second}`);
    } else {
      const names = (t.names ?? []).join(" ");
      if (!clean(t.python) || !clean(names)) continue;
      lines.push(`${key}|P|${t.python}|${names}`);
    }
  }
  return lines.join("\r\n") + "\r\n";
}
