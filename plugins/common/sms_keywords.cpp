// sms_keywords.cpp -- see sms_keywords.h.
#include "common/sms_keywords.h"

#include <algorithm>
#include <iterator>
#include <string>

namespace halo::plugins {
namespace {

// `s` without surrounding white space, ASCII letters upper-cased.
std::string folded(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  s = s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
  std::string out(s);
  for (char &c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

std::optional<bool> consent_keyword(std::string_view body) {
  static constexpr std::string_view kOptOut[] = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL",
                                                 "END",  "QUIT",    "OPTOUT",      "REVOKE",
                                                 "لغو",  "انصراف"};
  static constexpr std::string_view kOptIn[] = {"START", "UNSTOP", "YES"};
  if (body.size() > 64) return std::nullopt;
  const std::string word = folded(body);
  if (std::find(std::begin(kOptOut), std::end(kOptOut), word) != std::end(kOptOut)) return false;
  if (std::find(std::begin(kOptIn), std::end(kOptIn), word) != std::end(kOptIn)) return true;
  return std::nullopt;
}

}  // namespace halo::plugins
