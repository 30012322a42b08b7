// examples/tutorial/tutorial.hpp
// What the tutorial's programs share that is not automatic differentiation: where figures go,
// how they are drawn (data as CSV, plots through gnuplot, graphs through Graphviz), and the
// line that says that tape mode and static mode agree. Without gnuplot or Graphviz, the data
// and the scripts are still written, and the program says how to render them.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tutorial {

namespace fs = std::filesystem;

/// The directory the figures go to, created if need be: the program's first argument, else
/// $LEIBNIZ_FIGURES, else figures/ under the current directory.
inline fs::path figure_directory(int argc, char** argv) {
  fs::path dir = "figures";
  if (argc > 1)
    dir = argv[1];
  else if (const char* env = std::getenv("LEIBNIZ_FIGURES"); env != nullptr && *env != '\0')
    dir = env;
  fs::create_directories(dir);
  return dir;
}

/// A table of numbers written as CSV: a header line, then one line per row, each number in
/// the fewest digits that read back to the same double.
inline void write_csv(const fs::path& file, std::string_view header,
                      const std::vector<std::vector<double>>& rows) {
  std::ofstream out(file);
  out << header << "\n";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      char text[32];
      std::snprintf(text, sizeof text, "%.17g", row[i]);
      out << (i > 0 ? "," : "") << text;
    }
    out << "\n";
  }
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

inline void write_text(const fs::path& file, std::string_view text) {
  std::ofstream out(file);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

namespace detail {

/// s in single quotes for sh, with its own single quotes escaped.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// True if `program` is on the PATH.
inline bool have(const char* program) {
  const std::string command = std::string("command -v ") + program + " >/dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

/// Runs `command` in `dir` through sh; true if it exits with 0.
inline bool run_in(const fs::path& dir, const std::string& command) {
  std::cout.flush();  // what was printed so far comes before what the command prints
  std::fflush(stdout);
  const std::string line = "cd " + shell_quote(dir.string()) + " && " + command;
  return std::system(line.c_str()) == 0;
}

}  // namespace detail

/// A figure drawn by gnuplot: `body` (the plot commands, reading CSV files of `dir` by their
/// bare names) goes into dir/name.gp twice, once for SVG and once for PNG, and gnuplot runs it
/// in dir. Prints what was written, or how to render it when gnuplot is missing.
inline void plot(const fs::path& dir, const std::string& name, std::string_view body,
                 int width = 800, int height = 500) {
  const std::string size = std::to_string(width) + "," + std::to_string(height);
  std::string script = "# " + name + ".gp: written by a leibniz tutorial program; run `gnuplot " +
                       name + ".gp` in this directory\nset encoding utf8\n" +
                       "set datafile separator ','\nset datafile columnheaders\n";
  script += "set terminal svg size " + size +
            " dynamic enhanced font 'Helvetica,14' background rgb 'white'\n";
  script += "set output '" + name + ".svg'\n" + std::string(body) + "\nunset output\n";
  script += "set terminal pngcairo size " + size +
            " enhanced font 'Helvetica,11' background rgb 'white'\n";
  script += "set output '" + name + ".png'\n" + std::string(body) + "\nunset output\n";
  write_text(dir / (name + ".gp"), script);

  const fs::path shown = dir / name;
  if (!detail::have("gnuplot")) {
    std::cout << "  gnuplot not found: wrote the data and " << shown.string()
              << ".gp; to draw it: cd " << dir.string() << " && gnuplot " << name
              << ".gp (Debian: apt-get install gnuplot-nox)\n";
    return;
  }
  if (!detail::run_in(dir, "gnuplot " + detail::shell_quote(name + ".gp")))
    throw std::runtime_error("gnuplot failed on " + shown.string() + ".gp");
  std::cout << "  figure: " << shown.string() << ".svg, .png (script " << name << ".gp)\n";
}

/// A graph drawn by Graphviz: the DOT text goes to dir/name.dot, and `dot` renders it as
/// dir/name.svg and dir/name.png. Prints what was written, or how to render it.
inline void draw_graph(const fs::path& dir, const std::string& name, std::string_view dot) {
  write_text(dir / (name + ".dot"), dot);
  const fs::path shown = dir / name;
  if (!detail::have("dot")) {
    std::cout << "  Graphviz not found: wrote " << shown.string() << ".dot; to draw it: cd "
              << dir.string() << " && dot -Tsvg " << name << ".dot -o " << name
              << ".svg (Debian: apt-get install graphviz)\n";
    return;
  }
  const std::string file = detail::shell_quote(name + ".dot");
  const std::string svg = detail::shell_quote(name + ".svg");
  const std::string png = detail::shell_quote(name + ".png");
  if (!detail::run_in(dir, "dot -Tsvg " + file + " -o " + svg + " && dot -Tpng -Gdpi=96 " + file +
                               " -o " + png))
    throw std::runtime_error("dot failed on " + shown.string() + ".dot");
  std::cout << "  graph: " << shown.string() << ".svg, .png (from " << name << ".dot)\n";
}

/// The figure of "Visualizing Gradients": y = x^2 on [-3, 3], and through each of `points`
/// (rows x, y, dy/dx) its tangent line, of half-width 0.5. Writes gradients_curve.csv,
/// gradients_points.csv, gradients.gp and, through gnuplot, gradients.svg and .png.
inline void draw_gradients(const fs::path& dir, const std::vector<std::vector<double>>& points) {
  std::vector<std::vector<double>> curve;  // np.linspace(-3, 3, 100)
  for (int i = 0; i < 100; ++i) {
    const double x = -3.0 + 6.0 * i / 99.0;
    curve.push_back({x, x * x});
  }
  write_csv(dir / "gradients_curve.csv", "x,y", curve);
  write_csv(dir / "gradients_points.csv", "x,y,dy_dx", points);
  plot(dir, "gradients", R"(set title 'Function y = x^2 and its Gradients' font ',16'
set xlabel 'x'
set ylabel 'y'
set grid linecolor rgb '#e0e0e0'
set key top center box opaque Left reverse samplen 3 spacing 1.3 width 1
set xrange [-3.2:3.2]
set yrange [-1.5:10]
plot 'gradients_curve.csv' using 1:2 with lines linewidth 2.5 linecolor rgb '#1f77b4' title 'y = x^2', \
     'gradients_points.csv' using ($1-0.5):($2-0.5*$3):(1):($3) with vectors nohead dashtype 2 linewidth 2 linecolor rgb '#d62728' title 'Tangent lines (slope dy/dx)', \
     '' using 1:2 with points pointtype 7 pointsize 1.6 linecolor rgb '#d62728' title 'Points where we computed gradients', \
     '' using ($1 < 0 ? $1 : NaN):2:(sprintf('dy/dx = %g', $3)) with labels right offset -1.2,-0.3 font ',11' textcolor rgb '#d62728' notitle, \
     '' using ($1 > 0 ? $1 : NaN):2:(sprintf('dy/dx = %g', $3)) with labels left offset 1.2,-0.3 font ',11' textcolor rgb '#d62728' notitle, \
     '' using ($1 == 0 ? $1 : NaN):2:(sprintf('dy/dx = %g', $3)) with labels offset 0,-1.3 font ',11' textcolor rgb '#d62728' notitle)");
}

/// The two figures of "Visualizing Gradient Descent", from `history` (rows step k, x_k, y_k for
/// k = 0..20): the path on the curve y = x^2 (descent_path), and y by iteration
/// (descent_convergence). Writes descent.csv, descent_curve.csv, their scripts, SVG and PNG.
inline void draw_descent(const fs::path& dir, const std::vector<std::vector<double>>& history) {
  std::vector<std::vector<double>> curve;  // np.linspace(-1, 5.5, 100)
  for (int i = 0; i < 100; ++i) {
    const double x = -1.0 + 6.5 * i / 99.0;
    curve.push_back({x, x * x});
  }
  write_csv(dir / "descent.csv", "step,x,y", history);
  write_csv(dir / "descent_curve.csv", "x,y", curve);
  plot(dir, "descent_path", R"(set title 'Gradient Descent Path' font ',16'
set xlabel 'x'
set ylabel 'y'
set grid linecolor rgb '#e0e0e0'
set key top left box opaque Left reverse samplen 3 spacing 1.3 width 1
set xrange [-1:5.5]
set yrange [-1:31]
plot 'descent_curve.csv' using 1:2 with lines linewidth 2.5 linecolor rgb '#1f77b4' title 'y = x^2', \
     'descent.csv' using 2:3 with linespoints linewidth 2 pointtype 7 pointsize 1.2 linecolor rgb '#d62728' title 'Gradient Descent Path', \
     '' using ($1 == 0 ? $2 : NaN):3 with points pointtype 5 pointsize 2.2 linecolor rgb '#2ca02c' title 'Start (x = 5)', \
     '' using ($1 == 20 ? $2 : NaN):3 with points pointtype 9 pointsize 2.4 linecolor rgb '#111111' title 'End (x = 0.0576)')");
  plot(dir, "descent_convergence", R"(set title 'Convergence to Minimum' font ',16'
set xlabel 'Iteration'
set ylabel 'y value'
set grid linecolor rgb '#e0e0e0'
set xrange [-0.5:20.5]
set yrange [-1:26]
set xtics 0,2,20
plot 'descent.csv' using 1:3 with linespoints linewidth 2 pointtype 7 pointsize 1.2 linecolor rgb '#d62728' notitle)");
}

/// The figure of Exercise 3, from `history` (rows iteration k, x_k for k = 0..20): x
/// approaching the minimum at 3. Writes exercise_descent.csv, its script, SVG and PNG.
inline void draw_exercise_descent(const fs::path& dir,
                                  const std::vector<std::vector<double>>& history) {
  write_csv(dir / "exercise_descent.csv", "iteration,x", history);
  plot(dir, "exercise_descent",
       R"(set title 'Gradient descent on f(x) = (x - 3)^2 from x = 0' font ',16'
set xlabel 'Iteration'
set ylabel 'x'
set grid linecolor rgb '#e0e0e0'
set key bottom right box opaque Left reverse samplen 3 spacing 1.3 width 1
set xrange [-0.5:20.5]
set yrange [-0.2:3.4]
set xtics 0,2,20
plot 3 with lines dashtype 2 linewidth 2 linecolor rgb '#2ca02c' title 'minimum, x = 3', \
     'exercise_descent.csv' using 1:2 with linespoints linewidth 2 pointtype 7 pointsize 1.2 linecolor rgb '#d62728' title 'x after each step')");
}

/// Prints whether tape mode and static mode computed the same numbers, and returns it (each
/// program exits with 1 if a comparison failed). `tolerance` 0 means bit for bit.
inline bool agree(std::string_view what, const std::vector<double>& tape,
                  const std::vector<double>& fixed, double tolerance = 0.0) {
  bool same = tape.size() == fixed.size();
  for (std::size_t i = 0; same && i < tape.size(); ++i)
    same = tolerance == 0.0 ? tape[i] == fixed[i] : std::abs(tape[i] - fixed[i]) <= tolerance;
  // Up to six values in full; more as the first two, the last, and how many.
  auto print = [](const std::vector<double>& v) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v.size() > 6 && i == 2) {
        std::cout << ", ...";
        i = v.size() - 1;
      }
      std::cout << (i == 0 ? "" : ", ") << v[i];
    }
    if (v.size() > 6) std::cout << " (" << v.size() << " values)";
  };
  if (same) {
    std::cout << "tape and static agree: " << what << " = ";
    print(tape);
    if (tolerance == 0.0)
      std::cout << " in both, bit for bit\n";
    else
      std::cout << " in both, within " << tolerance << "\n";
  } else {
    std::cout << "tape and static DISAGREE: " << what << ": tape ";
    print(tape);
    std::cout << "; static ";
    print(fixed);
    std::cout << "\n";
  }
  return same;
}

}  // namespace tutorial
