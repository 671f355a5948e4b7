// sms_text.h -- how many SMS segments a text takes (3GPP TS 23.038 and
// 23.040): text that the GSM 7-bit default alphabet (with its extension
// table) can carry goes as GSM-7 -- 160 septets in one message, 153 per
// segment of a concatenated one, an extension character (^ { } \ [ ~ ] |
// €) taking two -- anything else (Persian, Arabic, emoji) as UCS-2 -- 70
// UTF-16 units alone, 67 per segment, a character outside the BMP taking
// two. Providers bill per segment, so the count is recorded with each
// sent message.
//
// Invariants: never throws; invalid UTF-8 counts as UCS-2 with one unit
// per byte that does not decode (an over-estimate, never an under-one);
// an empty text is one segment.
#pragma once

#include <cstddef>
#include <string_view>

namespace halo::plugins {

struct SmsSegments {
  enum class Encoding { kGsm7, kUcs2 } encoding = Encoding::kGsm7;
  size_t units = 0;  // septets (GSM-7) or UTF-16 code units (UCS-2)
  size_t segments = 1;
};

SmsSegments sms_segments(std::string_view utf8);

const char *encoding_name(SmsSegments::Encoding encoding);  // "GSM-7", "UCS-2"

}  // namespace halo::plugins
