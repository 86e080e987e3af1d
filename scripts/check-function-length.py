#!/usr/bin/env python3
"""List C functions longer than a limit (default 80 lines, body braces included).

A function may be longer when the comment block right above it contains
"long:" followed by the reason.  Exit 1 when any other function is longer.
Usage: funclen.py [--max N] FILE...
"""
import re
import sys

def functions(path):
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i] == "{" and i > 0:
            # the signature ends on the previous line; find where it starts
            j = i - 1
            while j > 0 and not re.match(r"^[A-Za-z_]", lines[j]):
                j -= 1
            k = i + 1
            while k < len(lines) and lines[k] != "}":
                k += 1
            m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(", lines[j])
            name = m.group(1) if m else lines[j].strip()
            c = j - 1
            comment = []
            while c >= 0 and (lines[c].startswith((" *", "/*")) or lines[c].endswith("*/")):
                comment.append(lines[c])
                c -= 1
            yield name, j + 1, k - j + 1, "long:" in "\n".join(comment)
            i = k
        i += 1

def main(argv):
    limit = 80
    if len(argv) > 2 and argv[1] == "--max":
        limit = int(argv[2])
        argv = argv[2:]
    bad = 0
    for path in argv[1:]:
        for name, line, n, excused in functions(path):
            if n > limit and not excused:
                print(f"{path}:{line}: {name}() is {n} lines (limit {limit})")
                bad += 1
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
