#!/usr/bin/env python3
"""Fails on a Swift name that only some C libraries have, used outside a matching #if canImport.

Each rule below names what is specific to glibc (Glibc), musl (Musl) or Darwin's libc (Darwin),
and the libraries that have it. A line using such a name must sit inside an `#if`/`#elseif`
branch whose condition is `canImport(X)` (or several joined by `||`), every X having the name.
`#if os(Linux)` is not enough: glibc and musl are both Linux. Such code belongs in
Sources/TBKit/Platform/Platform.swift, the one file that talks to the C library beyond POSIX.

Usage: Scripts/check-libc-names.py [DIRECTORY ...]   (default: Sources Tests)
"""

import re
import sys
from pathlib import Path

RULES = [
    (r"\b__sigaction_handler\b", {"Glibc"}, "glibc's name for struct sigaction's handler union"),
    (r"\b__sigaction_u\b", {"Darwin"}, "Darwin's name for struct sigaction's handler union"),
    (r"\b__sa_handler\b", {"Musl", "Darwin"}, "musl's union (and Darwin's member) in struct sigaction"),
    (r"\b(stat64|lstat64|fstat64|off64_t|ino64_t|dirent64|readdir64)\b", {"Glibc"}, "glibc's LFS64 names"),
    (r"\bst_[acm]tim\b", {"Glibc", "Musl"}, "Linux's timespec fields of struct stat (Darwin: st_*timespec)"),
    (r"\bst_(a|c|m|birth)timespec\b", {"Darwin"}, "Darwin's timespec fields of struct stat"),
    (r"\bGlibc\.", {"Glibc"}, "a name qualified with the Glibc module"),
    (r"\bMusl\.", {"Musl"}, "a name qualified with the Musl module"),
    (r"\bDarwin\.", {"Darwin"}, "a name qualified with the Darwin module"),
    (r"Unsafe(Mutable)?Pointer<FILE>", {"Glibc", "Darwin"}, "a typed FILE pointer (musl's FILE is opaque)"),
    (r"\b(F_FULLFSYNC|sysctlbyname|mach_absolute_time)\b", {"Darwin"}, "a Darwin-only call or constant"),
    (r"\b(getauxval|HOST_NAME_MAX|O_DIRECT|O_PATH)\b", {"Glibc", "Musl"}, "a Linux-only call or constant"),
]
COMPILED = [(re.compile(p), allowed, why) for p, allowed, why in RULES]
CAN_IMPORT = re.compile(r"^\s*canImport\((\w+)\)\s*$")


def branch_libraries(condition):
    """The C libraries a branch is compiled for, when its condition names them; else None."""
    names = set()
    for part in condition.split("||"):
        match = CAN_IMPORT.match(part.strip().strip("()") if part.count("(") > part.count(")") else part)
        if not match:
            return None
        names.add(match.group(1))
    return names


def code_part(line):
    """The line without a trailing // comment (not inside a string literal such as s3://)."""
    in_string = False
    for i, ch in enumerate(line):
        if ch == '"':
            in_string = not in_string
        elif not in_string and line.startswith("//", i):
            return line[:i]
    return line


def check(path):
    problems = []
    stack = []  # one condition per open #if: the current branch's condition (None for #else)
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = raw.strip()
        directive = re.match(r"#(if|elseif|else|endif)\b\s*(.*)", stripped)
        if directive:
            kind, condition = directive.groups()
            if kind == "if":
                stack.append(condition)
            elif kind == "elseif" and stack:
                stack[-1] = condition
            elif kind == "else" and stack:
                stack[-1] = None
            elif kind == "endif" and stack:
                stack.pop()
            continue
        code = code_part(raw)
        for pattern, allowed, why in COMPILED:
            if not pattern.search(code):
                continue
            guarded = any(
                (libs := branch_libraries(c)) is not None and libs <= allowed for c in stack if c is not None
            )
            if not guarded:
                need = " || ".join(f"canImport({n})" for n in sorted(allowed))
                problems.append(
                    f"{path}:{number}: {pattern.search(code).group(0)!r} is {why}; "
                    f"put it in an `#if {need}` branch (in Sources/TBKit/Platform/Platform.swift)"
                )
    return problems


def main(argv):
    roots = [Path(a) for a in argv[1:]] or [Path("Sources"), Path("Tests")]
    problems = []
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*.swift"))
        for file in files:
            problems.extend(check(file))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} libc-specific name(s) outside a matching #if canImport branch")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
