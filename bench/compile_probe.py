#!/usr/bin/env python3
"""bench/compile_probe.py: a compiler wrapper that logs each compile's seconds and peak memory.

Used as CXX="bench/compile_probe.py g++" by bench/compile-times: runs the command given,
then appends one JSON line {"output", "seconds", "cpu_seconds", "peak_mb"} to the file named
by $LEIBNIZ_COMPILE_LOG (when set, and when the command compiles with -c and -o). CPU seconds
(user + system) hardly depend on how busy the machine is; wall-clock seconds do.
"""

import json
import os
import sys
import time


def main():
    args = sys.argv[1:]
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(args[0], args)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.monotonic() - start
    log = os.environ.get('LEIBNIZ_COMPILE_LOG')
    if log and '-o' in args and '-c' in args:
        output = args[args.index('-o') + 1]
        with open(log, 'a') as f:
            f.write(json.dumps({'output': output, 'seconds': round(seconds, 3),
                                'cpu_seconds': round(usage.ru_utime + usage.ru_stime, 3),
                                'peak_mb': round(usage.ru_maxrss / 1024.0, 1)}) + '\n')
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == '__main__':
    main()
