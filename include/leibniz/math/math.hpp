// leibniz/math/math.hpp
// All of leibniz::math: elementary functions that are std:: at run time and constexpr everywhere.
#pragma once

#include <leibniz/math/classify.hpp>
#include <leibniz/math/complex.hpp>
#include <leibniz/math/exponential.hpp>
#include <leibniz/math/hyperbolic.hpp>
#include <leibniz/math/power.hpp>
#include <leibniz/math/special.hpp>
#include <leibniz/math/trigonometric.hpp>
