// leibniz/leibniz.hpp
// The umbrella header: everything leibniz offers, static mode and tape mode.
#pragma once

#include <leibniz/check/check_gradient.hpp>
#include <leibniz/config.hpp>
#include <leibniz/core/canonical.hpp>
#include <leibniz/core/constant.hpp>
#include <leibniz/core/expression.hpp>
#include <leibniz/core/functions.hpp>
#include <leibniz/core/reduction.hpp>
#include <leibniz/core/variable.hpp>
#include <leibniz/core/vector.hpp>
#include <leibniz/eval/evaluate.hpp>
#include <leibniz/eval/reverse_sweep.hpp>
#include <leibniz/io/dot.hpp>
#include <leibniz/io/to_string.hpp>
#include <leibniz/ops/ops.hpp>
#include <leibniz/symbolic/bind.hpp>
#include <leibniz/symbolic/derivative.hpp>
#include <leibniz/symbolic/gradient.hpp>
#include <leibniz/tape/tape_mode.hpp>
