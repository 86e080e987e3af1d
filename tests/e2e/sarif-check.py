#!/usr/bin/env python3
# tests/e2e/sarif-check.py FILE.sarif... - checks SARIF logs written by
# vscheck against the SARIF 2.1.0 schema's rules for every object vscheck
# writes (required members, types, enums, no members the schema does not
# define: its objects are "additionalProperties": false) and against what
# GitHub code scanning documents for uploads (tool.driver.name, rule ids
# unique, ruleIndex consistent, message.text, a physical location with an
# artifact URI, startLine >= 1, partialFingerprints, at most 25000 results
# and 1000 locations per result, at most 20 tags per rule, a base URI ending
# in '/').  With VS_SARIF_SCHEMA=schema.json and the jsonschema module, the
# files are also validated against that full schema.  Prints one "FAIL ..."
# line per problem and exits 1 when there was any.
import json
import os
import re
import sys

problems = []


def bad(where, what):
    problems.append("%s: %s" % (where, what))


# name -> (required members, {member: type-or-object-name})
OBJECTS = {
    "log": ({"version", "runs"}, {"$schema": str, "version": "2.1.0", "runs": ["run"]}),
    "run": ({"tool"}, {"tool": "tool", "results": ["result"], "originalUriBaseIds": {"*": "artifactLocation"}}),
    "tool": ({"driver"}, {"driver": "toolComponent"}),
    "toolComponent": ({"name"}, {"name": str, "version": str, "informationUri": "uri",
                                 "rules": ["reportingDescriptor"]}),
    "reportingDescriptor": ({"id"}, {"id": str, "name": str, "shortDescription": "multiformat",
                                     "fullDescription": "multiformat", "help": "multiformat",
                                     "helpUri": "uri", "defaultConfiguration": "reportingConfiguration",
                                     "properties": "propertyBag"}),
    "multiformat": ({"text"}, {"text": str, "markdown": str}),
    "reportingConfiguration": (set(), {"level": ("none", "note", "warning", "error"), "enabled": bool}),
    "result": ({"message"}, {"ruleId": str, "ruleIndex": int, "level": ("none", "note", "warning", "error"),
                             "message": "message", "locations": ["location"],
                             "partialFingerprints": {"*": str}, "properties": "propertyBag"}),
    "message": (set(), {"text": str, "markdown": str}),
    "location": (set(), {"physicalLocation": "physicalLocation"}),
    "physicalLocation": (set(), {"artifactLocation": "artifactLocation", "region": "region"}),
    "artifactLocation": (set(), {"uri": "uri-reference", "uriBaseId": str, "index": int}),
    "region": (set(), {"startLine": int, "startColumn": int, "endLine": int, "endColumn": int}),
}
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
URI_REF = re.compile(r"^[^\s%]*(%[0-9A-Fa-f]{2}[^\s%]*)*$")


def check(where, value, kind):
    if kind == "propertyBag":
        if not isinstance(value, dict):
            bad(where, "not an object")
        elif "tags" in value:
            tags = value["tags"]
            if not isinstance(tags, list) or len(tags) > 20 or len(set(tags)) != len(tags):
                bad(where, "tags must be at most 20 unique strings")
        return
    if isinstance(kind, tuple):
        if value not in kind:
            bad(where, "%r not one of %s" % (value, kind))
        return
    if kind is str or kind is bool:
        if not isinstance(value, kind):
            bad(where, "not a %s" % kind.__name__)
        return
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool):
            bad(where, "not an integer")
        return
    if kind == "2.1.0":
        if value != "2.1.0":
            bad(where, "version is not 2.1.0")
        return
    if kind == "uri":
        if not isinstance(value, str) or not URI.match(value):
            bad(where, "not an absolute URI: %r" % (value,))
        return
    if kind == "uri-reference":
        if not isinstance(value, str) or not value or not URI_REF.match(value):
            bad(where, "not a URI reference: %r" % (value,))
        return
    if isinstance(kind, list):
        if not isinstance(value, list):
            bad(where, "not an array")
            return
        for i, v in enumerate(value):
            check("%s[%d]" % (where, i), v, kind[0])
        return
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            bad(where, "not an object")
            return
        for k, v in value.items():
            check("%s.%s" % (where, k), v, kind["*"])
        return
    required, members = OBJECTS[kind]
    if not isinstance(value, dict):
        bad(where, "not an object")
        return
    for k in required - set(value):
        bad(where, "%s has no required member '%s'" % (kind, k))
    for k, v in value.items():
        if k not in members:
            bad(where, "%s has no member '%s' in the schema" % (kind, k))
        else:
            check("%s.%s" % (where, k), v, members[k])


def github(path, log):
    for r, run in enumerate(log.get("runs", [])):
        where = "%s: runs[%d]" % (path, r)
        driver = run.get("tool", {}).get("driver", {})
        rules = driver.get("rules", [])
        ids = [x.get("id") for x in rules]
        if len(ids) != len(set(ids)):
            bad(where, "rule ids are not unique")
        for i, rule in enumerate(rules):
            for m in ("shortDescription", "fullDescription", "help", "helpUri"):
                if m not in rule:
                    bad("%s.rules[%d]" % (where, i), "no %s" % m)
        for base, loc in run.get("originalUriBaseIds", {}).items():
            if not loc.get("uri", "").endswith("/"):
                bad(where, "originalUriBaseIds.%s does not end in '/'" % base)
        results = run.get("results", [])
        if len(results) > 25000:
            bad(where, "more than 25000 results")
        for i, res in enumerate(results):
            w = "%s.results[%d]" % (where, i)
            if "ruleIndex" in res and ids[res["ruleIndex"]] != res.get("ruleId"):
                bad(w, "ruleIndex does not match ruleId")
            if not res.get("message", {}).get("text"):
                bad(w, "no message.text")
            locs = res.get("locations", [])
            if not 1 <= len(locs) <= 1000:
                bad(w, "needs 1 to 1000 locations")
            for loc in locs:
                pl = loc.get("physicalLocation", {})
                art = pl.get("artifactLocation", {})
                if not art.get("uri"):
                    bad(w, "no artifact uri")
                if art.get("uriBaseId") and art["uriBaseId"] not in run.get("originalUriBaseIds", {}):
                    bad(w, "uriBaseId %s not defined" % art["uriBaseId"])
                if art.get("uri", "").endswith(".db"):
                    bad(w, "points at a trace, not at a source file")
                if "region" in pl and pl["region"].get("startLine", 0) < 1:
                    bad(w, "startLine < 1")
            if not res.get("partialFingerprints"):
                bad(w, "no partialFingerprints")


def main():
    schema = None
    if os.environ.get("VS_SARIF_SCHEMA"):
        try:
            import jsonschema
            schema = json.load(open(os.environ["VS_SARIF_SCHEMA"]))
        except ImportError:
            print("skip full schema validation (no jsonschema module)")
    for path in sys.argv[1:]:
        log = json.load(open(path))
        check(path + ": $", log, "log")
        github(path, log)
        if schema is not None:
            for e in jsonschema.Draft7Validator(schema).iter_errors(log):
                bad(path, "schema: %s at %s" % (e.message, list(e.path)))
    for p in problems:
        print("FAIL " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
