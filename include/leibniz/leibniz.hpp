// leibniz/leibniz.hpp
// The umbrella header: everything leibniz offers, static mode and tape mode.
#pragma once

#include <leibniz/config.hpp>
