// identity_forms.h -- how one canonical identifier is written differently by
// different systems (the messiness the kernel's normalizer must undo).
//
// Invariant: every variant normalizes back to the canonical value with the
// rules of the kernel (email: trim + lower-case; phone: E.164 with region IR,
// Persian digits folded, spaces and dashes dropped).
#pragma once

#include <string>
#include <string_view>

#include "rng.h"

namespace halo::datagen {

// `national` is the Iranian national significant number, e.g. "9121234567".
std::string phone_e164(std::string_view national);
// One of: 09121234567 | +98 912 123 4567 | 0098-912-1234567 | ۰۹۱۲۱۲۳۴۵۶۷ | +989121234567.
std::string phone_variant(std::string_view national, Rng &rng);

// `canonical` is lower-case without spaces; returns it in varied case, and
// with surrounding spaces when `allow_spaces`.
std::string email_variant(std::string_view canonical, Rng &rng, bool allow_spaces);

}  // namespace halo::datagen
