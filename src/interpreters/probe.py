# venvctl's interpreter probe: prints one JSON object describing the running
# interpreter. It must run on every Python venvctl may meet (2.7 included, so
# that venvctl can say precisely why 2.7 cannot make a venv): no f-strings,
# no imports beyond the standard library.
import json
import os
import sys

PLACEHOLDER = "{{VENV}}"


def venv_layout():
    """The directories `python -m venv` of this version creates, and the
    install paths pip would use inside such a venv, with PLACEHOLDER for the
    environment's directory."""
    import sysconfig
    base_vars = {
        "base": PLACEHOLDER,
        "platbase": PLACEHOLDER,
        "installed_base": PLACEHOLDER,
        "installed_platbase": PLACEHOLDER,
        "userbase": PLACEHOLDER,
    }
    schemes = sysconfig.get_scheme_names()
    if "venv" in schemes:
        # 3.11+: venv itself asks sysconfig for the "venv" scheme.
        paths = sysconfig.get_paths(scheme="venv", vars=base_vars)
        created = {
            "scripts": paths["scripts"],
            "include": paths["include"],
            "purelib": paths["purelib"],
        }
    else:
        # Before 3.11, venv hard-codes these (Lib/venv/__init__.py).
        scheme = "nt" if os.name == "nt" else "posix_prefix"
        paths = sysconfig.get_paths(scheme=scheme, vars=base_vars)
        if os.name == "nt":
            created = {
                "scripts": os.path.join(PLACEHOLDER, "Scripts"),
                "include": os.path.join(PLACEHOLDER, "Include"),
                "purelib": os.path.join(PLACEHOLDER, "Lib", "site-packages"),
            }
        else:
            created = {
                "scripts": os.path.join(PLACEHOLDER, "bin"),
                "include": os.path.join(PLACEHOLDER, "include"),
                "purelib": os.path.join(
                    PLACEHOLDER, "lib", "python%d.%d" % sys.version_info[:2], "site-packages"
                ),
            }
    return created, dict(paths)


def bundled_wheels():
    """Seed wheels this interpreter ships: ensurepip's own choice first."""
    out = {"dir": None, "pip": None, "setuptools": None, "files": []}
    try:
        import ensurepip
    except Exception:
        return out
    d = os.path.join(os.path.dirname(ensurepip.__file__), "_bundled")
    if os.path.isdir(d):
        out["dir"] = d
        out["files"] = sorted(f for f in os.listdir(d) if f.endswith(".whl"))
    out["pip"] = getattr(ensurepip, "_PIP_VERSION", None)
    out["setuptools"] = getattr(ensurepip, "_SETUPTOOLS_VERSION", None)
    # Distributions (Debian, Fedora) point ensurepip at a shared wheel
    # directory (/usr/share/python-wheels) through this build variable. An
    # empty value means none (3.13's ensurepip would resolve it to the cwd).
    try:
        import sysconfig
        wheel_dir = sysconfig.get_config_var("WHEEL_PKG_DIR")
    except Exception:
        wheel_dir = None
    out["wheel_pkg_dir"] = wheel_dir or None
    return out


USERBASE = "{{USERBASE}}"


def site_layout(here):
    """How site.py builds sys.path, so that package commands can rebuild it
    per call without running Python: the entries before the site directories,
    the site directories of this interpreter, of a venv made from it (with
    PLACEHOLDER) and of its base when a venv includes system site-packages,
    and the user site (with USERBASE). The user site, .pth files and HOME are
    read per call: they change without the interpreter changing."""
    import site
    out = {}
    try:
        site_dirs = list(site.getsitepackages())
    except Exception:
        site_dirs = []
    out["site_dirs"] = site_dirs
    # Debian's site.py adds lib/pythonX.Y/site-packages only when it runs in
    # a virtual environment; pretend to be in one for the venv answers.
    had_real_prefix = hasattr(sys, "real_prefix")
    try:
        if not had_real_prefix:
            sys.real_prefix = sys.prefix
        try:
            out["venv_site_dirs"] = list(site.getsitepackages([PLACEHOLDER]))
            out["venv_base_site_dirs"] = list(site.getsitepackages(
                [getattr(sys, "base_prefix", sys.prefix), getattr(sys, "base_exec_prefix", sys.exec_prefix)]))
        except Exception:
            pass
    finally:
        if not had_real_prefix:
            del sys.real_prefix
    # The user site for a given user base (site._get_path, 3.10+; older
    # versions ask sysconfig for the <os>_user scheme).
    user_site = None
    try:
        get_path = getattr(site, "_get_path", None)
        if get_path is not None:
            user_site = get_path(USERBASE)
        else:
            import sysconfig
            scheme = "osx_framework_user" if (sys.platform == "darwin" and sysconfig.get_config_var("PYTHONFRAMEWORK")) else os.name + "_user"
            user_site = sysconfig.get_path("purelib", scheme, vars={"userbase": USERBASE})
    except Exception:
        user_site = None
    out["user_site"] = user_site
    framework = None
    try:
        import sysconfig
        framework = sysconfig.get_config_var("PYTHONFRAMEWORK") or None
    except Exception:
        pass
    out["user_base_kind"] = "nt" if os.name == "nt" else ("framework" if (sys.platform == "darwin" and framework) else "posix")
    # sys.path up to the first site directory: what Python puts there before
    # site.py runs (the stdlib zip, the stdlib, lib-dynload).
    site_set = set(os.path.normcase(os.path.abspath(p)) for p in site_dirs)
    try:
        site_set.add(os.path.normcase(os.path.abspath(site.getusersitepackages())))
    except Exception:
        pass
    base_path = []
    for p in sys.path:
        if not p or os.path.abspath(p) == here:
            continue
        if os.path.normcase(os.path.abspath(p)) in site_set:
            break
        base_path.append(p)
    out["base_path"] = base_path
    # pip picks its metadata backend from this (pip/_internal/metadata/__init__.py).
    use_importlib = None
    try:
        import importlib.metadata as md
        use_importlib = bool(getattr(md, "_PIP_USE_IMPORTLIB_METADATA", True))
    except Exception:
        use_importlib = None
    out["pip_importlib_flag"] = use_importlib
    return out


def marker_environment():
    """PEP 508 marker variables, as packaging.markers.default_environment()."""
    import platform
    impl = getattr(sys, "implementation", None)
    if impl is not None:
        iv = impl.version
        iver = "%d.%d.%d" % (iv[0], iv[1], iv[2])
        if iv[3] != "final":
            iver += iv[3][0] + str(iv[4])
        iname = impl.name
    else:
        iver = "0"
        iname = ""
    return {
        "implementation_name": iname,
        "implementation_version": iver,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }


def elf_facts(path):
    """What packaging.tags reads of the interpreter's ELF header (its class,
    byte order, machine and flags: _manylinux._have_compatible_abi) and its
    program interpreter (PT_INTERP: _musllinux._get_musl_version)."""
    import struct
    try:
        f = open(path, "rb")
    except Exception:
        return None
    try:
        ident = f.read(16)
        if len(ident) < 16 or ident[:4] != b"\x7fELF":
            return None
        capacity = bytearray(ident[4:5])[0]
        encoding = bytearray(ident[5:6])[0]
        if capacity not in (1, 2) or encoding not in (1, 2):
            return None
        order = "<" if encoding == 1 else ">"
        if capacity == 1:
            fmt, size = order + "HHIIIIIHHHHHH", 36
        else:
            fmt, size = order + "HHIQQQIHHHHHH", 48
        head = f.read(size)
        if len(head) < size:
            return None
        fields = struct.unpack(fmt, head)
        machine, phoff, flags, phentsize, phnum = fields[1], fields[4], fields[6], fields[8], fields[9]
        interp = None
        pfmt = order + ("IIIIIIII" if capacity == 1 else "IIQQQQQQ")
        psize = struct.calcsize(pfmt)
        for i in range(phnum):
            f.seek(phoff + phentsize * i)
            ph = f.read(psize)
            if len(ph) < psize:
                break
            p = struct.unpack(pfmt, ph)
            if capacity == 1:
                p_type, p_offset, p_filesz = p[0], p[1], p[4]
            else:
                p_type, p_offset, p_filesz = p[0], p[2], p[5]
            if p_type == 3:
                f.seek(p_offset)
                interp = f.read(p_filesz).split(b"\0", 1)[0].decode("latin-1")
                break
        return {"capacity": capacity, "encoding": encoding, "machine": machine, "flags": flags, "interpreter": interp}
    except Exception:
        return None
    finally:
        f.close()


def musl_version(interp):
    """The musl version, as _musllinux._get_musl_version: the loader prints it when run."""
    if not interp or "musl" not in interp:
        return None
    try:
        import re
        import subprocess
        proc = subprocess.Popen([interp], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        err = proc.communicate()[1].decode("latin-1")
    except Exception:
        return None
    lines = [l.strip() for l in err.splitlines() if l.strip()]
    if len(lines) < 2 or lines[0][:4] != "musl":
        return None
    m = re.match(r"Version (\d+)\.(\d+)", lines[1])
    return [int(m.group(1)), int(m.group(2))] if m else None


def glibc_version():
    """os.confstr('CS_GNU_LIBC_VERSION') as _manylinux._glibc_version_string
    reads it (with its ctypes fallback); None off glibc."""
    version = None
    try:
        version = os.confstr("CS_GNU_LIBC_VERSION")
        _, version = version.split()
    except Exception:
        version = None
    if version is None:
        try:
            import ctypes
            process_namespace = ctypes.CDLL(None)
            gnu_get_libc_version = process_namespace.gnu_get_libc_version
            gnu_get_libc_version.restype = ctypes.c_char_p
            version = gnu_get_libc_version()
            if not isinstance(version, str):
                version = version.decode("ascii")
        except Exception:
            version = None
    if version is None:
        return None
    import re
    m = re.match(r"(?P<major>[0-9]+)\.(?P<minor>[0-9]+)", version)
    return [int(m.group("major")), int(m.group("minor"))] if m else None


def tag_facts():
    """What packaging.tags.sys_tags() reads, so venvctl computes the same list."""
    import sysconfig
    out = {}
    cv = sysconfig.get_config_var
    out["platform"] = sysconfig.get_platform()
    out["py_debug"] = cv("Py_DEBUG")
    out["with_pymalloc"] = cv("WITH_PYMALLOC")
    out["unicode_size"] = cv("Py_UNICODE_SIZE")
    out["py_version_nodot"] = cv("py_version_nodot")
    out["gil_disabled"] = cv("Py_GIL_DISABLED")
    out["has_refcount"] = hasattr(sys, "gettotalrefcount")
    try:
        import importlib.machinery
        out["ext_d_pyd"] = "_d.pyd" in importlib.machinery.EXTENSION_SUFFIXES
    except Exception:
        out["ext_d_pyd"] = False
    out["maxunicode"] = sys.maxunicode
    out["glibc"] = glibc_version()
    elf = elf_facts(sys.executable)
    out["elf"] = elf
    out["musl"] = musl_version(elf and elf.get("interpreter"))
    # A _manylinux module may veto manylinux tags (PEP 600); venvctl then
    # leaves manylinux wheels to pip.
    try:
        import _manylinux  # noqa: F401
        out["manylinux_module"] = True
    except Exception:
        out["manylinux_module"] = False
    return out


def has_module(name):
    try:
        __import__(name)
        return True
    except Exception:
        return False


def main():
    info = {}
    vi = sys.version_info
    info["version_info"] = [vi[0], vi[1], vi[2], vi[3], vi[4]]
    impl = getattr(sys, "implementation", None)
    info["implementation"] = impl.name if impl is not None else "cpython"
    # importlib.util.cache_from_source's tag: __pycache__/<name>.<cache_tag>.pyc
    info["cache_tag"] = getattr(impl, "cache_tag", None) if impl is not None else None
    info["executable"] = sys.executable
    info["base_executable"] = getattr(sys, "_base_executable", sys.executable)
    info["real_executable"] = os.path.realpath(sys.executable)
    info["prefix"] = sys.prefix
    info["base_prefix"] = getattr(sys, "base_prefix", sys.prefix)
    info["exec_prefix"] = sys.exec_prefix
    info["base_exec_prefix"] = getattr(sys, "base_exec_prefix", sys.exec_prefix)
    info["pointer_size"] = 64 if sys.maxsize > 2 ** 32 else 32
    info["platform"] = sys.platform
    info["os_name"] = os.name
    info["has_venv"] = has_module("venv")
    info["has_ensurepip"] = has_module("ensurepip")
    info["in_venv"] = info["prefix"] != info["base_prefix"]
    try:
        import sysconfig
        info["gil_disabled"] = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
        info["abiflags"] = getattr(sys, "abiflags", "")
        info["ext_suffix"] = sysconfig.get_config_var("EXT_SUFFIX")
        info["sys_paths"] = sysconfig.get_paths()
    except Exception:
        info["sys_paths"] = {}
    # sys.path without the probe's own directory. (The user site depends on
    # HOME, so venvctl computes it per call rather than caching it here.)
    here = os.path.dirname(os.path.abspath(__file__))
    info["sys_path"] = [p for p in sys.path if p and os.path.abspath(p) != here]
    if info["has_venv"]:
        created, paths = venv_layout()
        info["venv_dirs"] = created
        info["venv_paths"] = paths
    info["seed"] = bundled_wheels()
    try:
        info["site"] = site_layout(here)
    except Exception:
        pass
    try:
        info["marker_env"] = marker_environment()
    except Exception:
        pass
    try:
        info["tags"] = tag_facts()
    except Exception:
        pass
    sys.stdout.write(json.dumps(info))
    sys.stdout.write("\n")


main()
