# The tags oracle: pip's vendored packaging.tags.sys_tags() in the running
# interpreter, printed one per line (first line: packaging's version). With a JSON argument, the facts venvctl
# reads are patched in first (glibc, musl, sysconfig variables, platform,
# 32-bit, the ELF header of a stand-in executable), so that variants this
# machine lacks (free-threaded, debug, i686, armv8l, musl) are still asked of
# packaging itself rather than of a copy of its rules.
import json
import struct
import sys
import sysconfig
import tempfile

# `--packaging-from DIR`: take pip (and its packaging) from DIR instead.
if sys.argv[1:2] == ["--packaging-from"]:
    sys.path.insert(0, sys.argv[2])
    del sys.argv[1:3]

from pip._vendor.packaging import tags, _manylinux, _musllinux

if len(sys.argv) > 1:
    facts = json.loads(sys.argv[1])
    real = tags._get_config_var
    overrides = facts.get("config", {})

    def get_config_var(name, warn=False):
        if name in overrides:
            return overrides[name]
        return real(name, warn)

    tags._get_config_var = get_config_var
    if "platform" in facts:
        sysconfig.get_platform = lambda: facts["platform"]
    if "is_32bit" in facts:
        tags._linux_platforms.__defaults__ = (facts["is_32bit"],)
    if "glibc" in facts:
        glibc = facts["glibc"]
        _manylinux._get_glibc_version = lambda: tuple(glibc) if glibc else (-1, -1)
    if "musl" in facts:
        musl = facts["musl"]
        _musllinux._get_musl_version = lambda exe: _musllinux._MuslVersion(*musl) if musl else None
    if "elf" in facts:
        # A minimal 32-bit little-endian ELF header with this machine and flags.
        elf = facts["elf"]
        head = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
        head += struct.pack("<HHIIIIIHHHHHH", 2, elf["machine"], 1, 0, 0, 0, elf["flags"], 52, 32, 0, 40, 0, 0)
        f = tempfile.NamedTemporaryFile(delete=False)
        f.write(head)
        f.close()
        sys.executable = f.name

import pip._vendor.packaging as packaging
print(getattr(packaging, "__version__", None) or __import__("pip._vendor.packaging.__about__").__version__)
for t in tags.sys_tags():
    print(str(t))
