// pip's own settings that keep venvctl from answering "already satisfied":
// PIP_* variables and pip.conf files, read as pip reads them.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { installKeys, pipConfigFiles, pipSettingsAskingForChange } from "../../src/pip/settings.js";
import { makeSandbox } from "../helpers/hermetic.js";

const ctxWith = (env: Record<string, string>, home = "/home/u") => ({ env, dirs: { home, root: "/r", cache: "/c" }, platform: "linux" as NodeJS.Platform });

test("the files pip reads, in its order; PIP_CONFIG_FILE=/dev/null reads none", () => {
  assert.deepEqual(pipConfigFiles(ctxWith({ PIP_CONFIG_FILE: "/dev/null" }), "/venv"), []);
  assert.deepEqual(pipConfigFiles(ctxWith({}), "/venv"), [
    "/etc/xdg/pip/pip.conf", "/etc/pip.conf", "/home/u/.pip/pip.conf", "/home/u/.config/pip/pip.conf", "/venv/pip.conf",
  ]);
  assert.deepEqual(pipConfigFiles(ctxWith({ XDG_CONFIG_DIRS: "/a:/b", XDG_CONFIG_HOME: "/x" }), "/venv"), [
    "/a/pip/pip.conf", "/b/pip/pip.conf", "/etc/pip.conf", "/home/u/.pip/pip.conf", "/x/pip/pip.conf", "/venv/pip.conf",
  ]);
});

test("on Windows: pip.ini in platformdirs' places (ProgramData, %APPDATA%) and ~\\pip, as pip's get_configuration_files; nul reads none", () => {
  const win = (env: Record<string, string>) => ({ env, dirs: { home: "C:\\Users\\u", root: "R", cache: "C" }, platform: "win32" as NodeJS.Platform });
  assert.deepEqual(pipConfigFiles(win({ PIP_CONFIG_FILE: "NUL" }), "C:\\venv"), []);
  assert.deepEqual(pipConfigFiles(win({ PROGRAMDATA: "D:\\ProgramData", APPDATA: "C:\\Users\\u\\AppData\\Roaming" }), "C:\\venv"), [
    "D:\\ProgramData\\pip\\pip.ini", "C:\\Users\\u\\pip\\pip.ini", "C:\\Users\\u\\AppData\\Roaming\\pip\\pip.ini", "C:\\venv\\pip.ini",
  ]);
  assert.deepEqual(pipConfigFiles(win({}), "C:\\venv"), [
    "C:\\ProgramData\\pip\\pip.ini", "C:\\Users\\u\\pip\\pip.ini", "C:\\Users\\u\\AppData\\Roaming\\pip\\pip.ini", "C:\\venv\\pip.ini",
  ]);
});

test("a PIP_CONFIG_FILE that exists replaces the user's files and comes last", (t) => {
  const sb = makeSandbox(t);
  const file = join(sb.work, "pip.conf");
  writeFileSync(file, "");
  assert.deepEqual(pipConfigFiles(ctxWith({ PIP_CONFIG_FILE: file }), "/venv"), ["/etc/xdg/pip/pip.conf", "/etc/pip.conf", "/venv/pip.conf", file]);
});

test("the keys of [global] and [install], as configparser reads them", () => {
  assert.deepEqual(installKeys("# c\n[global]\nindex-url = https://x\n  continued\n; c\n[freeze]\nall = true\n[install]\nupgrade: true\n"), ["index-url", "upgrade"]);
  assert.equal(installKeys("not ini at all\n"), undefined);
});

test("settings that could change a satisfied install send it to pip; index settings do not", (t) => {
  const sb = makeSandbox(t);
  const conf = (name: string, text: string) => {
    const p = join(sb.work, name);
    mkdirSync(sb.work, { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  const harmless = conf("harmless.conf", "[global]\nindex-url = http://127.0.0.1:9/simple\nextra_index_url = http://x\ntimeout = 5\n[install]\npre = true\nno-deps = true\n");
  const upgrade = conf("upgrade.conf", "[install]\nupgrade = true\n");
  const target = conf("target.conf", "[global]\ntarget = /tmp/elsewhere\n");
  const garbled = conf("garbled.conf", "upgrade\n");
  const ctx = ctxWith({ PIP_INDEX_URL: "http://127.0.0.1:9/simple", PIP_NO_INPUT: "1", PIP_DISABLE_PIP_VERSION_CHECK: "1" });
  assert.equal(pipSettingsAskingForChange(ctx, "/venv", true, [harmless, join(sb.work, "absent.conf")]), undefined);
  assert.equal(pipSettingsAskingForChange(ctx, "/venv", true, [harmless, upgrade]), `${upgrade} sets upgrade`);
  assert.equal(pipSettingsAskingForChange(ctx, "/venv", true, [target]), `${target} sets target`);
  assert.match(pipSettingsAskingForChange(ctx, "/venv", true, [garbled]) ?? "", /could not be read as pip reads it/);
  for (const [name, why] of [["PIP_UPGRADE", "upgrade"], ["PIP_TARGET", "target"], ["PIP_USER", "user"], ["PIP_CONSTRAINT", "constraint"], ["PIP_FORCE_REINSTALL", "force-reinstall"], ["PIP_IGNORE_INSTALLED", "ignore-installed"], ["PIP_PYTHON", "python"]] as const) {
    assert.equal(pipSettingsAskingForChange(ctxWith({ [name]: "1" }), "/venv", true, []), `the environment variable ${name} sets ${why}`);
  }
  // pip refuses to run outside a virtual environment with require-virtualenv; inside one it changes nothing.
  assert.equal(pipSettingsAskingForChange(ctxWith({ PIP_REQUIRE_VIRTUALENV: "1" }), "/venv", true, []), undefined);
  assert.match(pipSettingsAskingForChange(ctxWith({ PIP_REQUIRE_VIRTUALENV: "1" }), "/usr", false, []) ?? "", /require-virtualenv/);
});
