// leibniz/ops/ops.hpp
// The whole op table: every function leibniz differentiates.
#pragma once

#include <leibniz/ops/arithmetic.hpp>
#include <leibniz/ops/exponential.hpp>
#include <leibniz/ops/hyperbolic.hpp>
#include <leibniz/ops/piecewise.hpp>
#include <leibniz/ops/power.hpp>
#include <leibniz/ops/special.hpp>
#include <leibniz/ops/trigonometric.hpp>
