#!/usr/bin/env python3
"""tests/fail/run.py: run one must-not-compile test and its compiling twin.

The file's twin (compiled as is) must compile; the failing variant (-DLEIBNIZ_FAIL) must not,
and its diagnostics must match every `// expected-error: <regex>` line of the file (and every
`// expected-error-<compiler id>: <regex>` line for this compiler, e.g. expected-error-gcc).
Both compiles use the exact command meson generated for the file (compile_commands.json),
turned into a syntax-only check.
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys


def compile_command(compile_commands, source):
    """The argv meson uses to compile `source`, and the directory to run it in."""
    with open(compile_commands, encoding='utf-8') as f:
        entries = json.load(f)
    wanted = os.path.realpath(source)
    for entry in entries:
        path = os.path.join(entry['directory'], entry['file'])
        if os.path.realpath(path) == wanted:
            argv = entry['arguments'] if 'arguments' in entry else shlex.split(entry['command'])
            return argv, entry['directory']
    sys.exit(f'{source}: not in {compile_commands}; is it listed in tests/fail/meson.build?')


def syntax_only(argv, source_in_entry):
    """argv without its outputs, dependency files and colour; checking syntax only."""
    out = []
    skip_next = False
    for arg in argv:
        if skip_next:
            skip_next = False
        elif arg in ('-o', '-MQ', '-MF', '-MT'):
            skip_next = True
        elif arg in ('-c', '-MD', '-MMD', '-fcolor-diagnostics', source_in_entry) or \
                arg.startswith('-fdiagnostics-color'):
            pass
        else:
            out.append(arg)
    return out + ['-fdiagnostics-color=never', '-fsyntax-only', source_in_entry]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--compile-commands', required=True)
    parser.add_argument('--compiler-id', required=True, help="meson's id: gcc, clang, ...")
    parser.add_argument('source')
    args = parser.parse_args()

    with open(args.source, encoding='utf-8') as f:
        text = f.read()
    keys = ('expected-error', f'expected-error-{args.compiler_id}')
    patterns = [m.group(2).strip()
                for m in re.finditer(r'^\s*//\s*([\w-]+):(.*)$', text, re.MULTILINE)
                if m.group(1) in keys]
    if not patterns:
        sys.exit(f'{args.source}: no "// expected-error: <regex>" line for {args.compiler_id}')
    if not re.search(r'^\s*#\s*(ifdef\s+LEIBNIZ_FAIL|if\s+defined\(?\s*LEIBNIZ_FAIL)\b', text,
                     re.MULTILINE):
        sys.exit(f'{args.source}: no "#ifdef LEIBNIZ_FAIL" section')

    argv, directory = compile_command(args.compile_commands, args.source)
    source_in_entry = next(a for a in argv if os.path.realpath(os.path.join(directory, a)) ==
                           os.path.realpath(args.source))
    base = syntax_only(argv, source_in_entry)

    def run(extra):
        cmd = base[:1] + extra + base[1:]
        # LC_ALL=C: plain ASCII quotes in gcc's diagnostics, whatever the user's locale.
        proc = subprocess.run(cmd, cwd=directory, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              env=dict(os.environ, LC_ALL='C'))
        return cmd, proc.returncode, proc.stdout

    cmd, rc, out = run([])
    if rc != 0:
        print(f'FAIL: the compiling twin does not compile:\n$ {shlex.join(cmd)}\n{out}')
        return 1

    cmd, rc, out = run(['-DLEIBNIZ_FAIL'])
    if rc == 0:
        print(f'FAIL: the failing variant compiles:\n$ {shlex.join(cmd)}\n{out}')
        return 1
    unmatched = [p for p in patterns if not re.search(p, out)]
    if unmatched:
        print('FAIL: the failing variant fails, but not as expected; no match for:')
        for p in unmatched:
            print(f'  {p}')
        print(f'$ {shlex.join(cmd)}\n{out}')
        return 1

    print(f'OK: the twin compiles; the failing variant fails with: {", ".join(patterns)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
