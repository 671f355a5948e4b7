// block_list.cpp -- see block_list.h.
#include "normalize/block_list.h"

#include <algorithm>
#include <array>

namespace halo {

bool glob_match(std::string_view pattern, std::string_view value) {
  // Iterative matching with one backtrack point (the last `*`): each `*`
  // retries from one byte further, so no input makes this exponential.
  size_t p = 0, v = 0, star = std::string_view::npos, resume = 0;
  while (v < value.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = v;
    } else if (p < pattern.size() && pattern[p] == value[v]) {
      ++p;
      ++v;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

bool same_digit(std::string_view digits) {
  return !digits.empty() && std::all_of(digits.begin(), digits.end(), [&](char c) {
    return c >= '0' && c <= '9' && c == digits.front();
  });
}

bool equals_lower(std::string_view text, std::string_view lower) {
  return text.size() == lower.size() &&
         std::equal(text.begin(), text.end(), lower.begin(), [](char a, char b) {
           return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
         });
}

bool placeholder_email(std::string_view email) {
  static constexpr std::array<std::string_view, 6> kAddresses = {
      "test@test.com", "a@a.com", "email@email.com", "none@none.com", "no@no.com", "x@x.com"};
  static constexpr std::array<std::string_view, 6> kLocalParts = {
      "noemail", "no-email", "no_email", "no.email", "nomail", "none"};
  if (std::find(kAddresses.begin(), kAddresses.end(), email) != kAddresses.end()) return true;
  const std::string_view local = email.substr(0, email.find('@'));
  return std::find(kLocalParts.begin(), kLocalParts.end(), local) != kLocalParts.end();
}

bool placeholder_phone(std::string_view e164) {
  const std::string_view digits = e164.substr(e164.empty() || e164[0] != '+' ? 0 : 1);
  if (digits.size() >= 7 &&
      digits.substr(digits.size() - 7).find_first_not_of('0') == std::string_view::npos) {
    return true;
  }
  return digits.size() >= 9 && same_digit(digits.substr(digits.size() - 9));
}

bool placeholder_text(std::string_view id) {
  if (!id.empty() && id.find_first_not_of('0') == std::string_view::npos) return true;
  if (id.size() >= 8 && same_digit(id)) return true;
  for (std::string_view word : {"null", "undefined", "none", "nil", "nan", "n/a"}) {
    if (equals_lower(id, word)) return true;
  }
  return false;
}

}  // namespace

bool is_placeholder_identifier(IdentifierRule::Kind kind, std::string_view normalized) {
  switch (kind) {
    case IdentifierRule::Kind::kEmail:
      return placeholder_email(normalized);
    case IdentifierRule::Kind::kPhone:
      return placeholder_phone(normalized);
    case IdentifierRule::Kind::kText:
      return placeholder_text(normalized);
  }
  return false;
}

bool is_blocked_identifier(const IdentifierRule &rule, std::string_view normalized) {
  for (const std::string &entry : rule.ignore) {
    if (entry == normalized ||
        (entry.find('*') != std::string::npos && glob_match(entry, normalized))) {
      return true;
    }
  }
  for (const std::string &value : rule.detached) {
    if (value == normalized) return true;
  }
  return rule.block_placeholders && is_placeholder_identifier(rule.kind, normalized);
}

}  // namespace halo
