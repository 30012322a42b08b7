#!/usr/bin/env python3
"""examples/tutorial/check.py: runs a tutorial program (or the tour) and checks what it prints
against the seed tutorial's numbers, and the figures it writes.

    check.py SECTION PROGRAM DIR                  run PROGRAM DIR; SECTION names the expectations
    check.py --without-tools SECTION PROGRAM DIR  the same with gnuplot and dot off the PATH: the
                                                  data and scripts are written, and the program
                                                  says how to render them

The expected lines are the seed's numbers, written out here or computed here by the seed's own
arithmetic (gradient descent), never read from a program's output. They must appear in the
output, in order, as whole lines. Each check also proves that it can fail: every expected line,
altered in the output, must make the check fail.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def descent(start, target, steps=20, learning_rate=0.1):
    """The seed's gradient descent on (x - target)^2: (step, x after the step, f before it)."""
    x, rows = start, []
    for step in range(steps):
        f = (x - target) ** 2
        x = x - learning_rate * (2 * (x - target))
        rows.append((step, x, f))
    return rows


def gradient_descent_lines():
    rows = descent(5.0, 0.0)
    lines = ["Gradient Descent to minimize y = x^2", "=" * 50, "Starting point: x = 5.00"]
    lines += [f"Step {s}: x = {x:.4f}, y = {y:.4f}, gradient = zeroed"
              for s, x, y in rows if s % 5 == 0]
    _, x, y = rows[-1]
    lines += [f"Final: x = {x:.4f}, y = {y:.4f}", "Expected minimum: x = 0.0, y = 0.0"]
    return lines


def exercise_descent_lines():
    rows = descent(0.0, 3.0)
    lines = ["Gradient Descent to minimize f(x) = (x - 3)^2", "=" * 50]
    lines += [f"Step {s}: x = {x:.4f}, f(x) = {f:.4f}" for s, x, f in rows if s % 5 == 0]
    x = rows[-1][1]
    assert abs(x - 3.0) < 0.1
    lines += [f"Final: x = {x:.4f} (expected: 3.0)", "Converged: true"]
    return lines


BIT = " in both, bit for bit"

# SECTION: (expected lines in order, figures drawn by gnuplot, graphs drawn by dot, data files)
EXPECTED = {
    "01_requires_grad": ([
        "Normal tensor: var(2)",
        "requires_grad: false",
        "Tensor with gradient tracking:",
        "Value: var(2, requires_grad)",
        "requires_grad: true",
        "is_leaf: true, grad: none yet",
        "2*x + 3 = var(7, grad_fn=add), requires_grad: true",
        "2*x_normal + 3 = var(7), requires_grad: false",
        "static mode: nothing to switch on; y = 2*x + 3, dy/dx = 2 (static_assert'ed)",
    ], [], [], []),
    "02_simple_gradient": ([
        "x = var(3, requires_grad)",
        "y = x^2 = var(9, grad_fn=pow)",
        "Gradient dy/dx = 6",
        "Manual calculation: 2 * x = 2 * 3 = 6",
        "leibniz gradient: 6",
        "Match! true",
        "static mode: d(x^2)/dx = 2*x = 6 at x = 3",
        "tape and static agree: dy/dx = 6" + BIT,
    ], [], [], []),
    "03_zeroing_gradients": ([
        "After first backward(): 4",
        "After second backward(): 8  (doubled)",
        "After zeroing: 0",
        "After new backward(): 4  (back to the correct value)",
        "A third backward() through a released graph throws tape::graph_released:",
        "static mode: d(x^2)/dx at 2 = 4 on every call; adding two is 8 only if you add them",
        "tape and static agree: first and second backward() = 4, 8" + BIT,
    ], [], [], []),
    "04_multiple_variables": ([
        "x = var(2, requires_grad)",
        "y = var(3, requires_grad)",
        "z = x^2 + y^2 = var(13, grad_fn=add)",
        "Gradient with respect to x (dz/dx): 4",
        "Gradient with respect to y (dz/dy): 6",
        "Manual check:",
        "dz/dx = 2x = 4",
        "dz/dy = 2y = 6",
        "static mode: z = x^2 + y^2, gradient (4, 6)",
        "tape and static agree: (dz/dx, dz/dy) = 4, 6" + BIT,
    ], [], [], []),
    "05_visualizing_gradients": ([
        "Gradients of y = x^2:",
        "at x = -2: dy/dx = -4",
        "at x = -1: dy/dx = -2",
        "at x = 0: dy/dx = 0",
        "at x = 1: dy/dx = 2",
        "at x = 2: dy/dx = 4",
        "Notice: At x=0, the gradient is 0 (minimum point)",
        "For x>0, gradient is positive (function increases)",
        "For x<0, gradient is negative (function decreases)",
        "static mode: dy/dx = 2*x at the same points (static_assert'ed)",
        "tape and static agree: the slopes = -4, -2, 0, 2, 4" + BIT,
    ], ["gradients"], [], ["gradients_curve.csv", "gradients_points.csv"]),
    "06_gradient_descent": (gradient_descent_lines() + [
        "Notice how the algorithm converges to x=0, y=0 (the minimum)!",
        "static mode: dy/dx = 2*x; x_20 = 0.0576 at compile time (static_assert'ed)",
        "tape and static agree: the iterates x_0, ..., x_20 = 5, 4, ..., 0.0576461 (21 values)"
        + BIT,
    ], ["descent_path", "descent_convergence"], [], ["descent.csv", "descent_curve.csv"]),
    "07_computation_graph": ([
        "x = 3, requires_grad = true",
        "y = 2, requires_grad = true",
        "a = x + y = 5",
        "b = x - y = 1",
        "a.requires_grad = true  (because it depends on x, y)",
        "z = a * b = 5",
        "dz/dx = 6",
        "dz/dy = -4",
        "Manual check:",
        "dz/dx = 2x = 6",
        "dz/dy = -2y = -4",
        "static mode: z = (x + y)*(x - y), dz/dx = 2*x = 6, dz/dy = -2*y = -4",
        "tape and static agree: (dz/dx, dz/dy) = 6, -4" + BIT,
    ], [], ["computation_graph_tape", "computation_graph_static"], []),
    "08_detach": ([
        "y.requires_grad = true",
        "y.grad_fn = pow",
        "y_detached.requires_grad = false",
        "y_detached.grad_fn = None",
        "y_detached = var(4)",
        "d(y_detached * x)/dx = 4 (y_detached is a constant)",
        "static mode: y(x = 2) = 4, a plain double",
        "tape and static agree: y = 4" + BIT,
    ], [], [], []),
    "09_no_grad": ([
        "With gradient tracking:",
        "y1.requires_grad = true",
        "Inside no_grad context:",
        "y2.requires_grad = false",
        "y2 value = 4",
        "Outside no_grad context:",
        "y2.requires_grad = false  (still false)",
        "tracking is back on: pow(x, 2).requires_grad = true",
        "static mode: y(x = 2) = 4, computed without recording anything",
        "tape and static agree: y2 = 4" + BIT,
    ], [], [], []),
    "10_multiple_outputs": ([
        "Input: array([1, 2, 3], requires_grad)",
        "Output 1 (x^2): array([1, 4, 9], grad_fn=pow)",
        "Output 2 (x^3): array([1, 8, 27], grad_fn=pow)",
        "Gradients after y1.backward():",
        "x.grad = array([2, 4, 6])",
        "Gradients after y2.backward():",
        "x.grad = array([3, 12, 27])",
        "static mode: d/dx sum(i < size(x), x[i]^2) = [2, 4, 6], "
        "d/dx sum(i < size(x), x[i]^3) = [3, 12, 27]",
        "tape and static agree: grad of sum(x^2) = 2, 4, 6" + BIT,
        "tape and static agree: grad of sum(x^3) = 3, 12, 27" + BIT,
    ], [], [], []),
    "11_exercise_simple_gradient": ([
        "x = 4",
        "y = 3x^2 + 2x + 1 = 57",
        "Gradient dy/dx = 26",
        "Manual check: 6x + 2 = 26",
        "Match: true",
        "static mode: d(3*x^2 + 2*x + 1)/dx = 6*x + 2 = 26 at x = 4",
        "tape and static agree: dy/dx = 26" + BIT,
    ], [], [], []),
    "12_exercise_multiple_variables": ([
        "x = 2, y = 3",
        "z = x^2y + xy^2 = 30",
        "Gradient dz/dx = 21",
        "Gradient dz/dy = 16",
        "dz/dx = 2xy + y^2 = 2(2)(3) + 3^2 = 21",
        "dz/dy = x^2 + 2xy = 2^2 + 2(2)(3) = 16",
        "static mode: dz/dx = 2*x*y + y^2 = 21, dz/dy = x^2 + 2*x*y = 16",
        "tape and static agree: (dz/dx, dz/dy) = 21, 16" + BIT,
    ], [], [], []),
    "13_exercise_gradient_descent": (exercise_descent_lines() + [
        "static mode: df/dx = 2*x - 6; x_20 = 2.9654 at compile time (static_assert'ed)",
        "tape and static agree: the iterates x_0, ..., x_20 = 0, 0.6, ..., 2.96541 (21 values)"
        + BIT,
    ], ["exercise_descent"], [], ["exercise_descent.csv"]),
}


def tour_expected():
    gd = descent(5.0, 0.0)
    ex = descent(0.0, 3.0)
    lines = [
        "1. requires_grad: var(2) requires no grad; var(2, requires_grad) does",
        "2. y = x^2 at 3: dy/dx = 6 (static: d(x^2)/dx = 2*x = 6)",
        "3. gradients accumulate: 4, then 8; zero_grad(): 0; backward() again: 4",
        "4. z = x^2 + y^2 at (2, 3): dz/dx = 4, dz/dy = 6 (static: 4, 6)",
        "5. slopes of y = x^2 at -2, -1, 0, 1, 2: -4, -2, 0, 2, 4",
        "6. gradient descent on y = x^2 from 5, lr 0.1: "
        + ", ".join(f"x_{s + 1} = {x:.4f}" for s, x, _ in gd if s % 5 == 0),
        f"   after 20 steps: x = {gd[-1][1]:.4f}, y = {gd[-1][2]:.4f}",
        "7. z = (x + y)(x - y) at (3, 2): dz/dx = 6, dz/dy = -4 (static: 2*x, -2*y)",
        "8. y.detach(): var(4), requires_grad false, grad_fn None",
        "9. under no_grad: pow(x, 2) = var(4), requires_grad false",
        "10. x = [1, 2, 3]: grad of sum(x^2) = [2, 4, 6], then of sum(x^3) = [3, 12, 27]",
        "11. exercise 1: y = 3x^2 + 2x + 1 at 4: dy/dx = 26 (static: 6*x + 2 = 26)",
        "12. exercise 2: z = x^2y + xy^2 at (2, 3): dz/dx = 21, dz/dy = 16 (static: 21, 16)",
        f"13. exercise 3: (x - 3)^2 from 0: x_20 = {ex[-1][1]:.4f}, within 0.1 of 3: true",
        "tape and static mode agree on every number above",
    ]
    return (lines, ["gradients", "descent_path", "descent_convergence", "exercise_descent"],
            ["computation_graph_tape", "computation_graph_static"],
            ["gradients_curve.csv", "gradients_points.csv", "descent.csv", "descent_curve.csv",
             "exercise_descent.csv"])


EXPECTED["tour"] = tour_expected()


def missing_lines(output, expected):
    """The expected lines not found, in order, as whole (stripped) lines of output."""
    lines = [line.strip() for line in output.splitlines()]
    at, missing = 0, []
    for want in expected:
        try:
            at = lines.index(want.strip(), at) + 1
        except ValueError:
            missing.append(want)
    return missing


def alter(line):
    """The line with its last digit changed, or with a character added if it has none."""
    for i in range(len(line) - 1, -1, -1):
        if line[i].isdigit():
            return line[:i] + str((int(line[i]) + 1) % 10) + line[i + 1:]
    return line + "!"


def check_can_fail(output, expected):
    """Every expected line, altered where the program printed it, must be missed."""
    problems = []
    for want in expected:
        altered = "\n".join(alter(line) if line.strip() == want.strip() else line
                            for line in output.splitlines())
        if not missing_lines(altered, expected):
            problems.append(f"altering {want!r} in the output does not fail the check")
    return problems


def nonempty(path):
    return os.path.isfile(path) and os.path.getsize(path) > 0


def check_files(directory, plots, graphs, data, with_tools, output):
    problems = []
    for name in data + [p + ".gp" for p in plots] + [g + ".dot" for g in graphs]:
        if not nonempty(os.path.join(directory, name)):
            problems.append(f"{name} was not written")
    drawn = [(p, "gnuplot") for p in plots] + [(g, "dot") for g in graphs]
    for name, tool in drawn:
        svg, png = (os.path.join(directory, name + ext) for ext in (".svg", ".png"))
        if with_tools and shutil.which(tool):
            if not nonempty(svg) or b"<svg" not in open(svg, "rb").read(4096):
                problems.append(f"{name}.svg is missing or not SVG")
            if not nonempty(png) or open(png, "rb").read(8) != b"\x89PNG\r\n\x1a\n":
                problems.append(f"{name}.png is missing or not PNG")
        else:
            if os.path.exists(svg) or os.path.exists(png):
                problems.append(f"{name}.svg or .png drawn without {tool}")
            how = "gnuplot " + name + ".gp" if tool == "gnuplot" else f"dot -Tsvg {name}.dot -o {name}.svg"
            if how not in output:
                problems.append(f"without {tool}, the output does not say how to draw {name}: "
                                f"expected '{how}'")
    return problems


def main(argv):
    with_tools = True
    if argv and argv[0] == "--without-tools":
        with_tools = False
        argv = argv[1:]
    if len(argv) != 3 or argv[0] not in EXPECTED:
        sys.exit(__doc__ + "\nsections: " + ", ".join(EXPECTED))
    section, program, directory = argv
    expected, plots, graphs, data = EXPECTED[section]

    # A fresh directory, so that files of an earlier run cannot pass for this one's.
    shutil.rmtree(directory, ignore_errors=True)
    env = dict(os.environ)
    env.pop("LEIBNIZ_FIGURES", None)
    empty = None
    if not with_tools:
        empty = tempfile.mkdtemp()
        env["PATH"] = empty  # sh finds no gnuplot and no dot
    try:
        run = subprocess.run([program, directory], capture_output=True, text=True, env=env,
                             timeout=300)
    finally:
        if empty:
            os.rmdir(empty)
    output = run.stdout
    sys.stdout.write(output)
    sys.stderr.write(run.stderr)

    problems = []
    if run.returncode != 0:
        problems.append(f"{program} exited with status {run.returncode}")
    if "DISAGREE" in output:
        problems.append("tape mode and static mode disagree")
    problems += [f"expected line not found (in order): {m!r}"
                 for m in missing_lines(output, expected)]
    problems += check_files(directory, plots, graphs, data, with_tools, output)
    if not problems:
        problems += check_can_fail(output, expected)
    for p in problems:
        print("check.py: " + p, file=sys.stderr)
    if problems:
        return 1
    drawn = len(plots) + len(graphs)
    print(f"check.py: {section}: {len(expected)} lines as the seed has them, {drawn} figure"
          + ("s" if drawn != 1 else "") + ("" if with_tools else " (without gnuplot and dot)"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
