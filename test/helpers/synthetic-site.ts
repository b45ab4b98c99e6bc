// A synthetic site-packages: N installed distributions written as pip writes
// them (dist-info with METADATA, RECORD, INSTALLER, WHEEL, top_level.txt, and
// the module), for measuring how reading installed packages scales.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The project name of synthetic distribution i, spelled unevenly (normalization matters). */
export function syntheticName(i: number): string {
  const n = String(i).padStart(4, "0");
  return i % 3 === 0 ? `Synth_Pkg.${n}` : i % 3 === 1 ? `synth-pkg-${n}` : `SynthPkg_${n}`;
}

/** Writes `count` distributions into `sitePackages`; answers their names. */
export function writeSyntheticDists(sitePackages: string, count: number): string[] {
  mkdirSync(sitePackages, { recursive: true });
  const body = "# A synthetic package\n\n" + "This paragraph stands in for a long description. ".repeat(40) + "\n";
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = syntheticName(i);
    names.push(name);
    const mod = name.replace(/[-_.]+/g, "_").toLowerCase();
    const version = `1.${i % 7}.${i}`;
    const info = join(sitePackages, `${mod}-${version}.dist-info`);
    mkdirSync(info);
    mkdirSync(join(sitePackages, mod));
    const deps: string[] = [];
    if (i > 0) deps.push(`Requires-Dist: ${syntheticName(i - 1)} (>=1.0)`);
    if (i > 1) deps.push(`Requires-Dist: ${syntheticName(i - 2)} ; python_version < "3.8"`);
    deps.push('Requires-Dist: pytest ; extra == "test"');
    const metadata = [
      "Metadata-Version: 2.1",
      `Name: ${name}`,
      `Version: ${version}`,
      `Summary: Synthetic package number ${i}`,
      `Home-page: https://example.invalid/synth/${i}`,
      "Author: Bench Author",
      "Author-email: bench@example.invalid",
      "License: MIT",
      "Classifier: Programming Language :: Python :: 3",
      "Classifier: License :: OSI Approved :: MIT License",
      "Classifier: Operating System :: OS Independent",
      "Requires-Python: >=3.8",
      ...deps,
      "Provides-Extra: test",
      "Description-Content-Type: text/markdown",
      "",
      body,
    ].join("\n");
    const init = `__version__ = "${version}"\n`;
    writeFileSync(join(sitePackages, mod, "__init__.py"), init);
    writeFileSync(join(info, "METADATA"), metadata);
    writeFileSync(join(info, "INSTALLER"), "pip\n");
    writeFileSync(join(info, "WHEEL"), "Wheel-Version: 1.0\nGenerator: synthetic\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
    writeFileSync(join(info, "top_level.txt"), `${mod}\n`);
    const infoName = `${mod}-${version}.dist-info`;
    writeFileSync(join(info, "RECORD"), [
      `${mod}/__init__.py,sha256=AAAA,${init.length}`,
      `${infoName}/INSTALLER,sha256=BBBB,4`,
      `${infoName}/METADATA,sha256=CCCC,${metadata.length}`,
      `${infoName}/RECORD,,`,
      `${infoName}/WHEEL,sha256=DDDD,80`,
      `${infoName}/top_level.txt,sha256=EEEE,${mod.length + 1}`,
      "",
    ].join("\n"));
  }
  return names;
}
