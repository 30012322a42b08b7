#!/usr/bin/env python3
"""tests/names/run.py: no function of a compiled gradient is named after the whole tape.

Compiles tests/names/large_gradient.cpp with the build's own command (compile_commands.json)
at -O0, so that every function is emitted, and reads the symbol names with nm. The longest
must stay under --limit characters. The names of the passes over a static tape hold the
roots' types (about 2.5 k characters here); a function whose template arguments spelled the
tape's list of entries was 12.6 k characters long here, 45 k at the next order, and g++
spends time quadratic in a name's length spelling it.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile


def compile_command(compile_commands, source):
    """The argv meson uses to compile `source`, and the directory to run it in."""
    with open(compile_commands, encoding='utf-8') as f:
        entries = json.load(f)
    wanted = os.path.realpath(source)
    for entry in entries:
        if os.path.realpath(os.path.join(entry['directory'], entry['file'])) == wanted:
            argv = entry['arguments'] if 'arguments' in entry else shlex.split(entry['command'])
            return argv, entry['directory']
    sys.exit(f'{source}: not in {compile_commands}')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--compile-commands', required=True)
    parser.add_argument('--nm', default='nm')
    parser.add_argument('--limit', type=int, default=6000)
    parser.add_argument('source')
    args = parser.parse_args()

    argv, directory = compile_command(args.compile_commands, args.source)
    with tempfile.TemporaryDirectory() as tmp:
        obj = os.path.join(tmp, 'large_gradient.o')
        cmd, skip = [], False
        for arg in argv:
            if skip:
                skip = False
            elif arg in ('-o', '-MQ', '-MF', '-MT'):
                skip = True
            elif arg in ('-MD', '-MMD') or arg.startswith('-O') or arg.startswith('-g'):
                pass
            else:
                cmd.append(arg)
        cmd += ['-O0', '-g0', '-o', obj]
        proc = subprocess.run(cmd, cwd=directory, capture_output=True, text=True)
        if proc.returncode != 0:
            print(f'FAIL: does not compile:\n$ {shlex.join(cmd)}\n{proc.stderr[-3000:]}')
            return 1
        names = subprocess.run([args.nm, '--format=just-symbols', obj], capture_output=True,
                               text=True, check=True).stdout.split()
    longest = sorted(names, key=len, reverse=True)[:3]
    report = '\n'.join(f'  {len(n):>7}  {n[:100]}...' for n in longest)
    if not longest or len(longest[0]) >= args.limit:
        print(f'FAIL: a symbol name of {len(longest[0])} characters (limit {args.limit}):\n'
              f'{report}')
        return 1
    print(f'OK: {len(names)} symbols, the longest {len(longest[0])} characters '
          f'(limit {args.limit}):\n{report}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
