// utf8.h -- Strict UTF-8 validation (RFC 3629, section 4): no overlong
// forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF. The JSON
// writer and the normalizer share it so that whatever Halo writes as JSON
// is text every conforming parser accepts.
#pragma once

#include <cstddef>
#include <string_view>

namespace halo {

// Length (1..4) of the well-formed UTF-8 sequence starting at s[i], or 0
// when the bytes there are not one. Requires i < s.size().
size_t utf8_sequence_length(std::string_view s, size_t i);

// Byte offset of the first byte that is not valid UTF-8, or npos.
size_t first_invalid_utf8(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that does not end
// inside a UTF-8 sequence (all of `s` when it fits).
std::string_view utf8_prefix(std::string_view s, size_t max_bytes);

}  // namespace halo
