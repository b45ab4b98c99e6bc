/*
 * A stand-in for Windows CPython, for the tests that run venvctl under wine
 * (no Windows CPython can be fetched on the machines the tests run on).
 * It does what venvctl asks of a real one, the way a real one does it:
 *
 * - As a venv's Scripts\python.exe (a pyvenv.cfg with `home = ...` in its own
 *   directory or the one above), it is CPython's venvlauncher: it sets
 *   __PYVENV_LAUNCHER__ to its own path and runs <home>\python.exe (or
 *   pythonw.exe, when its name says w) with the same command line, and exits
 *   with that program's exit code.
 * - As the interpreter, run with probe.py (`python.exe -E ...\probe.py`), it
 *   prints the probe's answer: fake-probe.json beside it, written by the test
 *   from what CPython of that version reports on Windows, with @EXECUTABLE@,
 *   @BASE_EXECUTABLE@, @PREFIX@, @BASE_PREFIX@ and @IN_VENV@ filled in as
 *   CPython fills sys.executable, sys._base_executable, sys.prefix and
 *   sys.base_prefix (sys.executable is __PYVENV_LAUNCHER__ when a launcher
 *   started it; the prefix is the directory of the pyvenv.cfg found beside or
 *   above it).
 * - Run with anything else, it prints one JSON line saying what it was asked
 *   ({"fake_python": ..., "executable": ..., "prefix": ..., "argv": [...]})
 *   and exits 0, so a test sees exactly what a launcher or shim ran.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <fcntl.h>
#include <io.h>

#define BIG 32768

static wchar_t self_path[BIG];

static void dirname_of(const wchar_t *path, wchar_t *out) {
  wcscpy(out, path);
  wchar_t *slash = wcsrchr(out, L'\\');
  if (slash) *slash = 0;
  else out[0] = 0;
}

static char *utf8(const wchar_t *w) {
  int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
  char *s = malloc(n > 0 ? n : 1);
  if (n > 0) WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
  else s[0] = 0;
  return s;
}

/* The JSON string body of `s` (UTF-8), without the quotes. */
static char *json_escaped(const char *s) {
  size_t n = strlen(s);
  char *out = malloc(n * 6 + 1), *o = out;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\\' || *p == '"') { *o++ = '\\'; *o++ = *p; }
    else if (*p < 0x20) o += sprintf(o, "\\u%04x", *p);
    else *o++ = *p;
  }
  *o = 0;
  return out;
}

/* The value of `home = ...` in <dir>\pyvenv.cfg, or 0 when there is no such file. */
static int read_home(const wchar_t *dir, wchar_t *home) {
  wchar_t cfg[BIG];
  swprintf(cfg, BIG, L"%ls\\pyvenv.cfg", dir);
  FILE *f = _wfopen(cfg, L"rb");
  if (!f) return 0;
  char line[BIG];
  home[0] = 0;
  while (fgets(line, sizeof line, f)) {
    char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (_strnicmp(p, "home", 4) != 0) continue;
    p += 4;
    while (*p == ' ' || *p == '\t') p++;
    if (*p != '=') continue;
    p++;
    while (*p == ' ' || *p == '\t') p++;
    size_t len = strlen(p);
    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r' || p[len - 1] == ' ')) p[--len] = 0;
    MultiByteToWideChar(CP_UTF8, 0, p, -1, home, BIG);
  }
  fclose(f);
  return 1;
}

/* The directory holding the pyvenv.cfg of the venv `exe` belongs to (its own directory or the one above), else 0. */
static int venv_of(const wchar_t *exe, wchar_t *venv, wchar_t *home) {
  wchar_t dir[BIG], up[BIG];
  dirname_of(exe, dir);
  if (read_home(dir, home)) { wcscpy(venv, dir); return 1; }
  dirname_of(dir, up);
  if (up[0] && read_home(up, home)) { wcscpy(venv, up); return 1; }
  return 0;
}

/* The command line after argv[0], as Windows parses argv[0] (quoted or up to a space). */
static const wchar_t *after_program(const wchar_t *cmd) {
  if (*cmd == L'"') {
    cmd++;
    while (*cmd && *cmd != L'"') cmd++;
    if (*cmd) cmd++;
  } else {
    while (*cmd && *cmd != L' ' && *cmd != L'\t') cmd++;
  }
  while (*cmd == L' ' || *cmd == L'\t') cmd++;
  return cmd;
}

static int launch(const wchar_t *home) {
  const wchar_t *name = wcsrchr(self_path, L'\\');
  name = name ? name + 1 : self_path;
  int windowed = _wcsnicmp(name, L"pythonw", 7) == 0 || _wcsnicmp(name, L"venvwlauncher", 13) == 0;
  wchar_t program[BIG];
  swprintf(program, BIG, L"%ls\\%ls", home, windowed ? L"pythonw.exe" : L"python.exe");
  static wchar_t cmdline[BIG * 2];
  swprintf(cmdline, BIG * 2, L"\"%ls\" %ls", program, after_program(GetCommandLineW()));
  SetEnvironmentVariableW(L"__PYVENV_LAUNCHER__", self_path);
  STARTUPINFOW si;
  PROCESS_INFORMATION pi;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  if (!CreateProcessW(program, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
    fprintf(stderr, "Unable to create process using '%s': error %lu\n", utf8(cmdline), GetLastError());
    return 101;
  }
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = 1;
  GetExitCodeProcess(pi.hProcess, &code);
  return (int)code;
}

static char *read_file(const wchar_t *path) {
  FILE *f = _wfopen(path, L"rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc(n + 1);
  s[fread(s, 1, n, f)] = 0;
  fclose(f);
  return s;
}

static void put_replaced(const char *text, const char **keys, char **values, int count) {
  const char *p = text;
  while (*p) {
    int matched = 0;
    if (*p == '@') {
      for (int i = 0; i < count; i++) {
        size_t k = strlen(keys[i]);
        if (strncmp(p, keys[i], k) == 0) {
          fputs(values[i], stdout);
          p += k;
          matched = 1;
          break;
        }
      }
    }
    if (!matched) fputc(*p++, stdout);
  }
}

int wmain(int argc, wchar_t **argv) {
  _setmode(_fileno(stdout), _O_BINARY);
  GetModuleFileNameW(NULL, self_path, BIG);
  wchar_t venv[BIG], home[BIG];

  /* A launcher in a venv hands over to the base interpreter. */
  if (venv_of(self_path, venv, home) && home[0]) return launch(home);

  wchar_t executable[BIG], self_dir[BIG];
  DWORD got = GetEnvironmentVariableW(L"__PYVENV_LAUNCHER__", executable, BIG);
  if (!got || got >= BIG) wcscpy(executable, self_path);
  dirname_of(self_path, self_dir);
  int in_venv = venv_of(executable, venv, home);
  const wchar_t *prefix = in_venv ? venv : self_dir;

  int probe = 0;
  for (int i = 1; i < argc; i++) {
    size_t n = wcslen(argv[i]);
    if (n >= 8 && _wcsicmp(argv[i] + n - 8, L"probe.py") == 0) probe = 1;
  }
  if (probe) {
    wchar_t template_path[BIG];
    swprintf(template_path, BIG, L"%ls\\fake-probe.json", self_dir);
    char *text = read_file(template_path);
    if (!text) {
      fprintf(stderr, "fake python: no %s\n", utf8(template_path));
      return 1;
    }
    const char *keys[] = {"@EXECUTABLE@", "@BASE_EXECUTABLE@", "@PREFIX@", "@BASE_PREFIX@", "@IN_VENV@"};
    char *values[] = {
      json_escaped(utf8(executable)), json_escaped(utf8(self_path)), json_escaped(utf8(prefix)),
      json_escaped(utf8(self_dir)), in_venv ? "true" : "false",
    };
    put_replaced(text, keys, values, 5);
    return 0;
  }

  printf("{\"fake_python\": \"%s\", \"executable\": \"%s\", \"prefix\": \"%s\", \"argv\": [",
         json_escaped(utf8(self_path)), json_escaped(utf8(executable)), json_escaped(utf8(prefix)));
  for (int i = 1; i < argc; i++) printf("%s\"%s\"", i > 1 ? ", " : "", json_escaped(utf8(argv[i])));
  printf("]}\n");
  return 0;
}
