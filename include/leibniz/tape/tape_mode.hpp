// leibniz/tape/tape_mode.hpp
// Tape mode, all of it: vars, arrays, no_grad, backward, the functional forms, to_dot.
#pragma once

#include <leibniz/tape/array.hpp>
#include <leibniz/tape/array_block.hpp>
#include <leibniz/tape/array_statement.hpp>
#include <leibniz/tape/dot.hpp>
#include <leibniz/tape/errors.hpp>
#include <leibniz/tape/functional.hpp>
#include <leibniz/tape/no_grad.hpp>
#include <leibniz/tape/record.hpp>
#include <leibniz/tape/scalar_ops.hpp>
#include <leibniz/tape/sum_block.hpp>
#include <leibniz/tape/tape.hpp>
#include <leibniz/tape/var.hpp>
