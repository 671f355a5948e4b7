// gauss_hypergeometric.h -- Gauss's hypergeometric function 2F1(a, b; c; z)
// for what the BG/NBD conditional expectation asks of it: a, b, c > 0 and
// 0 <= z < 1, where every term of the power series
//
//   2F1(a, b; c; z) = sum_k (a)_k (b)_k / ((c)_k k!) z^k
//
// (Abramowitz & Stegun 15.1.1) is positive, so summing it loses nothing to
// cancellation. The series is summed until a bound on the rest of it falls
// below the last bit of the sum; arguments outside that region, z close to
// 1 (thousands of terms) or a sum that overflows go to Boost.Math's general
// hypergeometric_pFq, which takes about five times as long per call on the
// arguments BG/NBD gives (1.1-1.2 us against 0.23-0.25 us, the kind of call
// the clv builder makes twice per profile and run).
#pragma once

namespace halo::clv {

double gauss_2f1(double a, double b, double c, double z);

}  // namespace halo::clv
