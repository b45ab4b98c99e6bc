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
    sys.stdout.write(json.dumps(info))
    sys.stdout.write("\n")


main()
