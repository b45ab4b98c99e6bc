// Where things are in a pylock.toml, for FILE:LINE messages. The `toml`
// parser returns plain objects without positions, so a light scan of the text
// finds the line of each top-level key, each [[packages]] entry, and the keys
// and files (`[[packages.wheels]]` headers or `wheels = [{…}, …]` items) of
// each entry. It follows TOML's strings, comments and brackets so that a `[`
// or `=` inside a string does not mislead it; it never decides what the data
// is — the parser does that — so a file it misreads only gets a less precise
// line, never a different meaning.

interface PackageLines {
  line: number;
  /** `key` or `table.key` → the line where it is first written. */
  keys: Map<string, number>;
  /** An array's items, by key (`wheels`): the line each item starts on. */
  items: Map<string, number[]>;
}

/** The lines of a pylock.toml's keys and entries (1-based). */
export class PylockLines {
  private readonly top = new Map<string, number>();
  private readonly packages: PackageLines[] = [];

  constructor(text: string) {
    this.scan(text);
  }

  /** The line of a top-level key or table (`lock-version`, `tool`). */
  topLine(key: string): number | undefined {
    return this.top.get(key);
  }

  /** The line where packages[index] starts. */
  packageLine(index: number): number | undefined {
    return this.packages[index]?.line;
  }

  /** The line of a key (`version`, `sdist`, `sdist.hashes`) of packages[index], else of the entry. */
  packageKeyLine(index: number, key: string): number | undefined {
    const p = this.packages[index];
    if (!p) return undefined;
    for (let k = key; k; k = k.includes(".") ? k.slice(0, k.lastIndexOf(".")) : "") {
      const line = p.keys.get(k);
      if (line !== undefined) return line;
    }
    return p.line;
  }

  /** The line of item `item` of the array `key` (`wheels`) of packages[index], else of the key. */
  itemLine(index: number, key: string, item: number): number | undefined {
    return this.packages[index]?.items.get(key)?.[item] ?? this.packageKeyLine(index, key);
  }

  private scan(text: string): void {
    let line = 1;
    let i = 0;
    /** The path of the last table header (`[[packages.wheels]]` → packages, wheels). */
    let table: string[] = [];
    const n = text.length;

    const skipString = (): void => {
      const quote = text[i]!;
      const multi = text.startsWith(quote.repeat(3), i);
      i += multi ? 3 : 1;
      while (i < n) {
        const c = text[i]!;
        if (c === "\n") {
          if (!multi) return; // an unterminated string: the parser reports it
          line++;
        } else if (c === "\\" && quote === '"') {
          if (text[i + 1] === "\n") line++;
          i += 2;
          continue;
        } else if (multi ? text.startsWith(quote.repeat(3), i) : c === quote) {
          // A multi-line string may end with up to two more quotes: """a"""" is `a"`.
          i += multi ? 3 : 1;
          while (multi && text[i] === quote) i++;
          return;
        }
        i++;
      }
    };
    const skipComment = (): void => {
      while (i < n && text[i] !== "\n") i++;
    };
    const skipBlank = (): void => {
      while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\r")) i++;
    };
    /** A dotted key up to `stop` (`=` or `]`), quotes removed: `a."b.c"` → [a, b.c]. */
    const readKey = (stop: string): string[] => {
      const parts: string[] = [];
      let cur = "";
      while (i < n && text[i] !== stop && text[i] !== "\n") {
        const c = text[i]!;
        if (c === '"' || c === "'") {
          const start = i;
          skipString();
          cur += text.slice(start + 1, i - 1);
          continue;
        }
        if (c === ".") {
          parts.push(cur.trim());
          cur = "";
        } else {
          cur += c;
        }
        i++;
      }
      parts.push(cur.trim());
      return parts;
    };
    /** Skips a value, reporting the line of each inline table directly in an array value. */
    const skipValue = (onItem: ((line: number) => void) | undefined): void => {
      let depth = 0;
      let arrayOuter = false;
      while (i < n) {
        const c = text[i]!;
        if (c === '"' || c === "'") {
          skipString();
          continue;
        }
        if (c === "#") {
          skipComment();
          continue;
        }
        if (c === "\n") {
          if (depth === 0) return;
          line++;
        } else if (c === "[" || c === "{") {
          if (depth === 0) arrayOuter = c === "[";
          else if (depth === 1 && arrayOuter && c === "{") onItem?.(line);
          depth++;
        } else if (c === "]" || c === "}") {
          depth--;
        }
        i++;
      }
    };

    while (i < n) {
      skipBlank();
      const c = text[i];
      if (c === undefined) break;
      if (c === "\n") {
        line++;
        i++;
        continue;
      }
      if (c === "#") {
        skipComment();
        continue;
      }
      if (c === "[") {
        const array = text[i + 1] === "[";
        i += array ? 2 : 1;
        table = readKey("]");
        this.header(table, array, line);
        skipComment(); // the rest of the header line: `]]`, a comment
        continue;
      }
      const key = readKey("=");
      if (text[i] === "=") i++;
      skipBlank();
      skipValue(this.key(table, key, line));
    }
  }

  /** A table header: `[[packages]]`, `[[packages.wheels]]`, `[packages.sdist]`, `[tool]`. */
  private header(path: string[], array: boolean, line: number): void {
    if (path[0] !== "packages") {
      if (!this.top.has(path[0]!)) this.top.set(path[0]!, line);
      return;
    }
    if (path.length === 1) {
      if (!this.top.has("packages")) this.top.set("packages", line);
      if (array) this.packages.push({ line, keys: new Map(), items: new Map() });
      return;
    }
    const p = this.packages[this.packages.length - 1];
    if (!p) return;
    const key = path.slice(1).join(".");
    if (!p.keys.has(key)) p.keys.set(key, line);
    if (array) {
      if (!p.items.has(key)) p.items.set(key, []);
      p.items.get(key)!.push(line);
    }
  }

  /** A `key = value` line; returns what to call for each inline-table item of its array value. */
  private key(table: string[], key: string[], line: number): ((line: number) => void) | undefined {
    if (table.length === 0) {
      if (!this.top.has(key[0]!)) this.top.set(key[0]!, line);
      // `packages = [{ name = … }, …]`: each inline table is an entry.
      if (key.length === 1 && key[0] === "packages") {
        return (l) => this.packages.push({ line: l, keys: new Map(), items: new Map() });
      }
      return undefined;
    }
    if (table[0] !== "packages") return undefined;
    const p = this.packages[this.packages.length - 1];
    if (!p) return undefined;
    const name = [...table.slice(1), ...key].join(".");
    if (!p.keys.has(name)) p.keys.set(name, line);
    if (table.length !== 1 || key.length !== 1 || p.items.has(name)) return undefined;
    const items: number[] = [];
    p.items.set(name, items);
    return (l) => items.push(l);
  }
}
