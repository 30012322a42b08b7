#!/usr/bin/env python3
"""bench/compile_time.py: compile seconds and peak memory of static mode.

For expressions of about 10, 50 and 200 nodes and derivative orders 1 to 3, it compiles a
translation unit that builds the expression f, differentiates it to one order less (order 1:
f itself; order 2: d(f, x); order 3: d(d(f, x), y)) and instantiates the compiled gradient of
the result, so order k yields k-th derivatives. One table row per case. The expressions come
from a seeded generator over + * - / sin cos exp log sqrt tanh, so each run measures the same
code. A compile over --max-seconds (600) or --max-mb of address space (6144) is stopped and
shown as over the limit. A compile that g++ stops at its default limit of operations in one
constant evaluation (the 200-node third derivative, built in a constexpr variable) is measured
again with -fconstexpr-ops-limit raised, and its row marked *.
Usage: bench/compile_time.py [--compiler g++] [--sizes 10,50,200] [--orders 1,2,3]
[--max-seconds S] [--max-mb MB]
"""

import argparse
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE = os.path.join(HERE, '..', 'include')
VARIABLES = ['x', 'y', 'z']
OPS_LIMIT = 2 ** 31 - 1


def expression(rng, nodes):
    """A random expression of `nodes` nodes, as C++ source, and its node count. Arguments of
    log and sqrt pass through exp, divisors through 2 + cos, so every value is defined."""
    if nodes <= 1:
        return rng.choice(VARIABLES + VARIABLES + ['2_c', '0.5']), 1
    if nodes <= 3 or rng.random() < 0.3:
        f = rng.choice(['sin', 'cos', 'exp', 'tanh', 'sqrt', 'log'])
        if f in ('sqrt', 'log') and nodes >= 3:
            inner, n = expression(rng, nodes - 2)
            return 'leibniz::{}(leibniz::exp({}))'.format(f, inner), n + 2
        f = f if f not in ('sqrt', 'log') else 'sin'
        inner, n = expression(rng, nodes - 1)
        return 'leibniz::{}({})'.format(f, inner), n + 1
    op = rng.choice(['+', '*', '-', '*', '+', '/'] if nodes >= 6 else ['+', '*', '-'])
    extra = 3 if op == '/' else 0
    left_size = rng.randint(1, nodes - 2 - extra)
    left, a = expression(rng, left_size)
    right, b = expression(rng, nodes - 1 - extra - left_size)
    if op == '/':
        right, b = '(2_c + leibniz::cos({}))'.format(right), b + 3
    return '({} {} {})'.format(left, op, right), a + b + 1


def source(expr, order):
    """The translation unit for one case."""
    derived = 'f'
    for v in ['x', 'y'][:order - 1]:
        derived = 'leibniz::d({}, {})'.format(derived, v)
    return '\n'.join([
        '#include <leibniz/leibniz.hpp>',
        'using namespace leibniz::literals;',
        'constexpr leibniz::variable<"x"> x;',
        'constexpr leibniz::variable<"y"> y;',
        'constexpr leibniz::variable<"z"> z;',
        'constexpr auto f = {};'.format(expr),
        'constexpr auto g = {};'.format(derived),
        'std::array<double, 3> gradient_of(double a, double b, double c) {',
        '  return leibniz::gradient(g, x, y, z)(x = a, y = b, z = c);',
        '}',
        '// The number of distinct subexpressions of the function differentiated.',
        'std::size_t entries() { return leibniz::detail::tape_of<decltype(g)>::size; }',
        'int main() { return entries() > 0 ? 0 : 1; }',
        ''])


def compile_once(compiler, text, max_seconds, max_mb, extra=()):
    """Seconds and peak resident megabytes of compiling and linking text with -O2, and the
    number of distinct subexpressions of the differentiated function. A compile that takes
    more than max_seconds, or more than max_mb of address space, is stopped (the machine is
    shared: the 200-node third derivative took more than 16 GB with g++ 12) and reported as
    over the limit: the returned seconds or megabytes are then None."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'case.cpp')
        exe = os.path.join(tmp, 'case')
        with open(path, 'w') as f:
            f.write(text.replace('int main() { return entries() > 0 ? 0 : 1; }',
                                 '#include <cstdio>\nint main() { std::printf("%zu", entries()); }'))
        def limit():
            memory = max_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

        start = time.monotonic()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            result = subprocess.run([compiler, '-std=c++20', '-O2', *extra, '-I', INCLUDE, path,
                                     '-o', exe], capture_output=True, text=True,
                                    timeout=max_seconds, preexec_fn=limit)
        except subprocess.TimeoutExpired:
            return None, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0, '?', None
        seconds = time.monotonic() - start
        if result.returncode != 0:
            if re.search(r'out of memory|memory exhausted|bad_alloc|Killed|signal',
                         result.stderr):
                return seconds, None, '?', None
            if 'operation count exceeds limit' in result.stderr:
                return seconds, 'ops-limit', '?', None
            # Another error (clang's bracket depth, say): shown in the table, not fatal.
            errors = [line for line in result.stderr.splitlines() if 'error:' in line]
            print('error: ' + (errors[0] if errors else result.stderr[-300:]), file=sys.stderr)
            return seconds, 'error', '?', None
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = after.ru_maxrss / 1024.0
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        entries = subprocess.run([exe], capture_output=True, text=True).stdout.strip()
        return seconds, peak, entries, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--compiler', default=os.environ.get('CXX', 'g++'))
    parser.add_argument('--sizes', default='10,50,200')
    parser.add_argument('--orders', default='1,2,3')
    parser.add_argument('--max-seconds', type=int, default=600,
                        help='stop a compile after this long (default 600)')
    parser.add_argument('--max-mb', type=int, default=6144,
                        help='address space of one compile, in MB (default 6144)')
    parser.add_argument('--one', help=argparse.SUPPRESS)  # internal: size,order
    args = parser.parse_args()

    if args.one:
        # One case per interpreter, so that the peak memory of children is this compile's own.
        size, order = (int(v) for v in args.one.split(','))
        expr, nodes = expression(random.Random(size), size)
        seconds, megabytes, entries, cpu = compile_once(args.compiler, source(expr, order),
                                                        args.max_seconds, args.max_mb)
        marker = ''
        if megabytes == 'ops-limit':
            # g++ counts the operations of one constant evaluation and stops at 2^25 by
            # default; `constexpr auto g = d(d(f, x), y)` of 200 nodes needs more. Measured
            # again with the limit raised, and marked.
            print('g++ stopped the constant evaluation of g at its default operation limit; '
                  'measured with -fconstexpr-ops-limit={} (marked *)'.format(OPS_LIMIT),
                  file=sys.stderr)
            seconds, megabytes, entries, cpu = compile_once(
                args.compiler, source(expr, order), args.max_seconds, args.max_mb,
                ['-fconstexpr-ops-limit={}'.format(OPS_LIMIT)])
            marker = '*'
        if megabytes == 'error':
            memory = 'error'
        elif megabytes is None:
            memory = '>{}'.format(args.max_mb)
        else:
            memory = '{:.0f}'.format(megabytes)
        print('{} {} {} {} {} {}'.format(
            nodes, order, str(entries) + marker,
            '{:.2f}'.format(seconds) if seconds is not None else '>{}'.format(args.max_seconds),
            '{:.2f}'.format(cpu) if cpu is not None else '-', memory))
        return

    print('compile time of static mode with {} -O2 (build f, differentiate to order - 1, '
          'instantiate the compiled gradient)'.format(args.compiler))
    print('{:>6} {:>6} {:>9} {:>10} {:>10} {:>10}'.format('nodes', 'order', 'entries', 'seconds',
                                                         'CPU s', 'peak MB'))
    notes = []
    for size in (int(s) for s in args.sizes.split(',')):
        for order in (int(o) for o in args.orders.split(',')):
            out = subprocess.run([sys.executable, __file__, '--compiler', args.compiler,
                                  '--max-seconds', str(args.max_seconds),
                                  '--max-mb', str(args.max_mb),
                                  '--one', '{},{}'.format(size, order)],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                print(out.stdout + out.stderr)
                sys.exit(1)
            print('{:>6} {:>6} {:>9} {:>10} {:>10} {:>10}'.format(*out.stdout.split()), flush=True)
            if out.stderr.strip():
                notes.append('{} nodes, order {}: {}'.format(size, order, out.stderr.strip()[:400]))
    for note in notes:
        print(note)


if __name__ == '__main__':
    main()
