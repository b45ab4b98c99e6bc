# The oracle for the requirements-file parser: pip's own parse_requirements
# over the same files, printed as JSON (one result per file given in argv:
# `[-c] FILE`). Run with the interpreter whose pip is the reference.
import json
import sys

import pip._internal.req.req_file as req_file
from pip._internal.network.session import PipSession
from pip._internal.req.constructors import install_req_from_parsed_requirement

options_seen = []
_orig_handle_option_line = req_file.handle_option_line


def _record(opts, filename, lineno, finder=None, options=None, session=None):
    seen = {}
    for key, value in vars(opts).items():
        if key == "format_control" or value in (None, False, [], {}):
            continue
        seen[key] = value
    options_seen.append({"file": filename, "line": lineno, "opts": seen})
    return _orig_handle_option_line(opts, filename, lineno, finder, options, session)


req_file.handle_option_line = _record


def describe(parsed):
    out = {
        "requirement": parsed.requirement,
        "editable": parsed.is_editable,
        "constraint": parsed.constraint,
        "comes_from": parsed.comes_from,
        "options": {k: v for k, v in (parsed.options or {}).items()},
    }
    try:
        ireq = install_req_from_parsed_requirement(parsed)
    except Exception as exc:  # noqa: BLE001 - reported, compared by the test
        out["ireq_error"] = f"{type(exc).__name__}: {exc}"
        return out
    out["name"] = ireq.name
    out["specifier"] = str(ireq.req.specifier) if ireq.req is not None else None
    out["url"] = ireq.req.url if ireq.req is not None and ireq.req.url else None
    out["link"] = ireq.link.url if ireq.link is not None else None
    out["markers"] = str(ireq.markers) if ireq.markers is not None else None
    out["extras"] = sorted(ireq.extras)
    return out


def main(argv):
    session = PipSession()
    results = []
    i = 0
    while i < len(argv):
        constraint = argv[i] == "-c"
        if constraint:
            i += 1
        filename = argv[i]
        i += 1
        del options_seen[:]
        entry = {"file": filename}
        try:
            entry["requirements"] = [describe(p) for p in req_file.parse_requirements(filename, session, constraint=constraint)]
        except Exception as exc:  # noqa: BLE001
            entry["error"] = f"{type(exc).__name__}: {exc}"
        entry["options"] = list(options_seen)
        results.append(entry)
    json.dump(results, sys.stdout, default=sorted)


if __name__ == "__main__":
    main(sys.argv[1:])
