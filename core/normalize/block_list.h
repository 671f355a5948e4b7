// block_list.h -- identifier values that identify nobody: placeholders typed
// into forms (`test@test.com`, a phone of zeros), guest ids ("0"), and the
// values an admin lists. A blocked value is skipped as if absent, so it can
// never glue two people into one profile; the raw value stays on the event.
//
// Two sources, both applied to the *normalized* value:
//  - the identifier's own list (`ignore:` in the pipeline file): exact values,
//    or patterns where `*` stands for any run of characters
//    (`noemail@*`, `*@mailinator.com`);
//  - built-in placeholders for the identifier's kind, on unless the
//    identifier sets `block_placeholders: false` (docs/pipeline.md lists
//    them).
#pragma once

#include <string_view>

#include "normalize/identifiers.h"

namespace halo {

// `*` matches any run of bytes (including none); every other byte matches
// itself. Linear in |pattern| * |value| at worst, no recursion.
bool glob_match(std::string_view pattern, std::string_view value);

// A built-in placeholder for this kind of identifier (normalized value):
//  - email: test@test.com, a@a.com, email@email.com, none@none.com,
//    no@no.com, x@x.com, and any address whose local part is noemail,
//    no-email, no_email, no.email, nomail or none;
//  - phone (E.164): the last 7 digits all 0 (+989120000000), or the last
//    9 digits all one digit (+981111111111); memorable numbers such as
//    +989121111111 are real and stay;
//  - text: only zeros ("0", "000": guest checkouts), one digit repeated 8 or
//    more times (11111111), and null, undefined, none, nil, nan, n/a
//    (any case): what a broken client sends for a missing id.
bool is_placeholder_identifier(IdentifierRule::Kind kind, std::string_view normalized);

// Whether `rule` blocks `normalized`: its own list, the values an operator
// detached, then (when enabled) the placeholders of its kind.
bool is_blocked_identifier(const IdentifierRule &rule, std::string_view normalized);

}  // namespace halo
