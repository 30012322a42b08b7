#!/ usr / bin / env python3
""
    "bench/compile_time.py: compile seconds and peak memory of static mode.

    For expressions of about 10,
    50 and 200 nodes, and derivative orders 1 to 3,
    it compiles a translation unit that builds the expression, takes d() to that order,
    and instantiates the compiled gradient of the result; it prints one table row per case. The expressions are drawn
from a seeded generator over + * - / sin cos exp log sqrt tanh, so each run measures the same
code. Usage: bench/compile_time.py [--compiler g++] [--sizes 10,50,200] [--orders 1,2,3]
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE = os.path.join(HERE, '..', 'include')
VARIABLES = ['x', 'y', 'z']


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
    """The translation unit for one case: the gradient (order 1) of f, or of its derivative
    d(f, x) (order 2, so second derivatives), or of d(d(f, x), y) (order 3)."""
    derived = 'f'
    for v in ['x', 'y'][:order - 1]:
        derived = 'leibniz::d({}, {})'.format(derived, v)
    return '\n'.join([
        '#include <leibniz/leibniz.hpp>',
        '#include <cstdio>',
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
        ''])


def compile_once(compiler, text):
    """Seconds and peak resident megabytes of compiling text with -O2."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'case.cpp')
        with open(path, 'w') as f:
            f.write(text)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        result = subprocess.run([compiler, '-std=c++20', '-O2', '-I', INCLUDE, '-c', path,
                                 '-o', os.path.join(tmp, 'case.o')],
                                capture_output=True, text=True)
        seconds = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            sys.exit('compile failed:\n' + result.stderr[-3000:])
#ru_maxrss of children is the largest child so far; run each case in a fresh
#interpreter(see main) so that it is this compile's own peak.
        return seconds, max(after.ru_maxrss, before.ru_maxrss) / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--compiler', default=os.environ.get('CXX', 'g++'))
    parser.add_argument('--sizes', default='10,50,200')
    parser.add_argument('--orders', default='1,2,3')
    parser.add_argument('--one', help=argparse.SUPPRESS)  # internal: size,order
    args = parser.parse_args()

    if args.one:
        size, order = (int(v) for v in args.one.split(','))
        expr, nodes = expression(random.Random(size), size)
        seconds, megabytes = compile_once(args.compiler, source(expr, order))
        print('{} {} {:.2f} {:.0f}'.format(nodes, order, seconds, megabytes))
        return

    print('compile time of static mode with {} -O2: build f, take d() to the order, '
          'instantiate the compiled gradient'.format(args.compiler))
    print('{:>6} {:>6} {:>10} {:>10}'.format('nodes', 'order', 'seconds', 'peak MB'))
    for size in (int(s) for s in args.sizes.split(',')):
        for order in (int(o) for o in args.orders.split(',')):
            out = subprocess.run([sys.executable, __file__, '--compiler', args.compiler,
                                  '--one', '{},{}'.format(size, order)],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                print(out.stdout + out.stderr)
                sys.exit(1)
            nodes, order_, seconds, megabytes = out.stdout.split()
            print('{:>6} {:>6} {:>10} {:>10}'.format(nodes, order_, seconds, megabytes),
                  flush=True)


if __name__ == '__main__':
    main()
