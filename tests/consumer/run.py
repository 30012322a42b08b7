#!/usr/bin/env python3
"""tests/consumer/run.py: build tests/consumer/main.cpp the way another project would.

  run.py ... subproject   meson project, subprojects/leibniz -> this source tree
  run.py ... pkgconfig    meson install into a temporary prefix; c++ $(pkg-config --cflags leibniz)
  run.py ... cmake        meson install into a temporary prefix; find_package(leibniz REQUIRED)

The work directory is removed when the test passes and kept (its path printed) when it fails.
"""

import argparse
import json
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
WORK = None  # this test's work directory, set by main()


class Failure(Exception):
    pass


def run(cmd, env=None, cwd=None):
    """Run cmd (in cwd, by default the test's own work directory); on failure raise with the
    command and everything it printed."""
    cmd = [str(c) for c in cmd]
    # Never the shared test directory: meson's cmake module runs `cmake --system-information`
    # in the current directory, and concurrent runs there break each other.
    cwd = cwd or WORK
    proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode != 0:
        raise Failure(f'$ {shlex.join(cmd)}\nexit status {proc.returncode}\n{proc.stdout}')
    return proc.stdout


def check_program(exe, version):
    out = run([exe])
    if f'leibniz {version}' not in out.splitlines():
        raise Failure(f'{exe} printed {out!r}, expected the line "leibniz {version}"')
    print(f'{exe.name} printed: leibniz {version}')


def subproject(args, work, env):
    src = work / 'consumer'
    (src / 'subprojects').mkdir(parents=True)
    shutil.copy(HERE / 'subproject' / 'meson.build', src)
    shutil.copy(HERE / 'main.cpp', src)
    (src / 'subprojects' / 'leibniz').symlink_to(args.source_root, target_is_directory=True)
    build = work / 'build'
    # Force the subproject even if some leibniz is installed on this machine.
    run([args.meson, 'setup', build, src, '--force-fallback-for=leibniz'], env=env)
    # As a subproject, leibniz must not add its tests, examples or benchmarks to the consumer.
    targets = json.loads(run([args.meson, 'introspect', '--targets', build]))
    tests = json.loads(run([args.meson, 'introspect', '--tests', build]))
    names = sorted(t['name'] for t in targets)
    if names != ['consumer'] or tests:
        raise Failure(f'as a subproject leibniz added targets {names} and tests '
                      f'{[t["name"] for t in tests]}; expected only the consumer')
    run([args.meson, 'compile', '-C', build], env=env)
    check_program(build / 'consumer', args.version)


def install(args, work, env):
    """meson install leibniz into work/prefix; check what landed there; return the prefix."""
    prefix = work / 'prefix'
    build = work / 'leibniz-build'
    run([args.meson, 'setup', build, args.source_root, f'--prefix={prefix}',
         '-Dtests=disabled', '-Dexamples=disabled', '-Dbenchmarks=disabled'], env=env)
    run([args.meson, 'install', '-C', build, '--quiet'], env=env)

    source_headers = sorted(p.relative_to(args.source_root / 'include')
                            for p in (args.source_root / 'include' / 'leibniz').rglob('*')
                            if p.is_file())
    installed_headers = sorted(p.relative_to(prefix / 'include')
                               for p in (prefix / 'include' / 'leibniz').rglob('*') if p.is_file())
    if installed_headers != source_headers:
        missing = sorted(set(source_headers) - set(installed_headers))
        extra = sorted(set(installed_headers) - set(source_headers))
        raise Failure(f'installed headers differ from include/: missing {missing}, extra {extra}')
    print(f'installed {len(installed_headers)} headers under {prefix / "include" / "leibniz"}')

    for name in ('leibniz.pc', 'leibnizConfig.cmake', 'leibnizConfigVersion.cmake'):
        found = sorted(prefix.rglob(name))
        if len(found) != 1:
            raise Failure(f'expected one {name} under {prefix}, found {found}')
        print(f'installed {found[0].relative_to(prefix)}')
    return prefix


def pkgconfig(args, work, env):
    prefix = install(args, work, env)
    env = dict(env, PKG_CONFIG_PATH=str(next(prefix.rglob('leibniz.pc')).parent))
    modversion = run([args.pkg_config, '--modversion', 'leibniz'], env=env).strip()
    if modversion != args.version:
        raise Failure(f'pkg-config --modversion leibniz is {modversion}, expected {args.version}')
    cflags = shlex.split(run([args.pkg_config, '--cflags', 'leibniz'], env=env))
    libs = shlex.split(run([args.pkg_config, '--libs', 'leibniz'], env=env))
    if f'-I{prefix / "include"}' not in cflags:
        raise Failure(f'pkg-config --cflags leibniz gives {cflags}, without -I{prefix / "include"}')
    print(f'pkg-config --cflags --libs leibniz: {shlex.join(cflags + libs)}')
    exe = work / 'consumer'
    run(shlex.split(args.cxx) + cflags + ['-Wall', '-Wextra', '-Wpedantic', '-Werror',
                                          str(HERE / 'main.cpp'), '-o', str(exe)] + libs, env=env)
    check_program(exe, args.version)


def cmake(args, work, env):
    prefix = install(args, work, env)
    src = work / 'consumer'
    src.mkdir()
    shutil.copy(HERE / 'cmake' / 'CMakeLists.txt', src)
    shutil.copy(HERE / 'main.cpp', src)
    build = work / 'build'
    cxx = shlex.split(args.cxx)
    launcher = [f'-DCMAKE_CXX_COMPILER_LAUNCHER={";".join(cxx[:-1])}'] if len(cxx) > 1 else []
    # Ninja, not Makefiles: make is not among the packages scripts/install-deps installs.
    run([args.cmake, '-S', src, '-B', build, '-G', 'Ninja', f'-DCMAKE_PREFIX_PATH={prefix}',
         f'-DCMAKE_CXX_COMPILER={cxx[-1]}', f'-DLEIBNIZ_EXPECTED_VERSION={args.version}'] +
        launcher, env=env)
    cache = (build / 'CMakeCache.txt').read_text(encoding='utf-8')
    found_dir = next((line.split('=', 1)[1] for line in cache.splitlines()
                      if line.startswith('leibniz_DIR:')), '')
    if not pathlib.Path(found_dir).resolve().is_relative_to(prefix.resolve()):
        raise Failure(f'find_package(leibniz) used {found_dir!r}, not the package in {prefix}')
    print(f'find_package(leibniz) found {pathlib.Path(found_dir).relative_to(prefix)}')
    run([args.cmake, '--build', build], env=env)
    check_program(build / 'consumer', args.version)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--source-root', type=pathlib.Path, required=True)
    parser.add_argument('--work-root', type=pathlib.Path, required=True)
    parser.add_argument('--version', required=True)
    parser.add_argument('--meson', required=True)
    parser.add_argument('--cxx', required=True, help='the C++ compiler command, as one string')
    parser.add_argument('--pkg-config')
    parser.add_argument('--cmake')
    parser.add_argument('mode', choices=['subproject', 'pkgconfig', 'cmake'])
    args = parser.parse_args()
    args.source_root = args.source_root.resolve()

    args.work_root.mkdir(parents=True, exist_ok=True)
    global WORK
    work = WORK = pathlib.Path(tempfile.mkdtemp(prefix=f'{args.mode}-', dir=args.work_root))
    env = dict(os.environ, CXX=args.cxx)
    env.pop('PKG_CONFIG_PATH', None)
    try:
        {'subproject': subproject, 'pkgconfig': pkgconfig, 'cmake': cmake}[args.mode](args, work,
                                                                                     env)
    except Failure as failure:
        print(f'FAIL ({args.mode}): {failure}\n(work directory kept: {work})')
        return 1
    shutil.rmtree(work)
    return 0


if __name__ == '__main__':
    sys.exit(main())
