// typos.h -- mistakes people and clerks make when they type an identifier or
// a name, for the demo's hard cases. Unlike identity_forms.h, a typo is a
// *different* value after normalization; the generator's truth lists it.
#pragma once

#include <string>
#include <string_view>

#include "rng.h"

namespace halo::datagen {

// `canonical` is "local@label.tld", lower-case. Either swaps two adjacent,
// different letters of the domain's first label ("gmail" -> "gmial") or
// doubles a letter of the local part ("ali7" -> "alli7").
// Invariants: the result differs from `canonical`, is still a syntactically
// valid address, and keeps every digit of the local part in place (demo
// emails are unique through those digits, so a typo never names another
// person).
std::string mistype_email(std::string_view canonical, Rng &rng);

// Swaps two adjacent, different code points of a UTF-8 name ("علی" ->
// "لعی"). Returns the name unchanged when it has no such pair.
std::string mistype_name(std::string_view utf8, Rng &rng);

}  // namespace halo::datagen
