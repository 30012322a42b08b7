// bench/peer_torch.cpp
// LibTorch 1.13 (Debian's libtorch-dev), on one thread: the seed cases with 0-dim double
// tensors that require grad (created at each point, as user code does), and normal_lpdf
// written with vectorised tensor ops over the data. One gradient is the forward pass and
// torch::autograd::grad of the result with respect to the inputs.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/generated/variable_factories.h>

#include "bench_support.hpp"
#include "cases.hpp"

#include <span>

namespace {

using bench::point;

at::TensorOptions leaf_options() {
  return at::TensorOptions().dtype(at::kDouble).requires_grad(true);
}

template <class Case>
void add_seed() {
  bench::add_point<Case>("torch", [](const point<2>& p) {
    const at::Tensor x = torch::scalar_tensor(p[0], leaf_options());
    const at::Tensor y = torch::scalar_tensor(p[1], leaf_options());
    const at::Tensor f = Case::template f<at::Tensor>(x, y);
    const std::vector<at::Tensor> g = torch::autograd::grad({f}, {x, y});
    return std::array<double, 2>{g[0].item<double>(), g[1].item<double>()};
  });
}

auto normal_lpdf_torch(bench::normal_lpdf::problem& p) {
  at::Tensor y =
      at::from_blob(p.y.data(), {static_cast<std::int64_t>(p.y.size())}, at::kDouble).clone();
  return [&p, y](std::span<double> g) {
    const at::Tensor mu = torch::scalar_tensor(p.mu, leaf_options());
    const at::Tensor sigma = torch::scalar_tensor(p.sigma, leaf_options());
    const at::Tensor z = (y - mu) / sigma;
    const at::Tensor lp = (-0.5 * z * z - at::log(sigma) - bench::normal_lpdf::log_sqrt_2pi).sum();
    const std::vector<at::Tensor> grads = torch::autograd::grad({lp}, {mu, sigma});
    g[0] = grads[0].item<double>();
    g[1] = grads[1].item<double>();
  };
}

[[maybe_unused]] const bool registered = [] {
  at::set_num_threads(1);  // one core, like every other mode
  add_seed<bench::seed_quadratic>();
  add_seed<bench::seed_mixed>();
  bench::add_gradient<bench::normal_lpdf>("torch", normal_lpdf_torch);
  return true;
}();

}  // namespace
