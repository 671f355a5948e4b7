// email.cpp -- email normalization and the shared identifier helpers
// (trimming, free-text ids, the default rule table).
#include "normalize/identifiers.h"
#include "normalize/persian.h"

namespace halo {

namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Invisible characters that copy-paste from Persian text often carries:
// U+00A0 (C2 A0), U+200C ZWNJ, U+200E LRM, U+200F RLM (E2 80 8C/8E/8F).
size_t invisible_prefix_len(std::string_view s) {
  if (s.size() >= 2 && s[0] == '\xC2' && s[1] == '\xA0') return 2;
  if (s.size() >= 3 && s[0] == '\xE2' && s[1] == '\x80' &&
      (s[2] == '\x8C' || s[2] == '\x8E' || s[2] == '\x8F')) {
    return 3;
  }
  return 0;
}

size_t invisible_suffix_len(std::string_view s) {
  size_t n = s.size();
  if (n >= 2 && s[n - 2] == '\xC2' && s[n - 1] == '\xA0') return 2;
  if (n >= 3 && s[n - 3] == '\xE2' && s[n - 2] == '\x80' &&
      (s[n - 1] == '\x8C' || s[n - 1] == '\x8E' || s[n - 1] == '\x8F')) {
    return 3;
  }
  return 0;
}

}  // namespace

std::string_view trim_identifier(std::string_view s) {
  for (;;) {
    if (!s.empty() && is_ascii_space(s.front()))
      s.remove_prefix(1);
    else if (size_t n = invisible_prefix_len(s))
      s.remove_prefix(n);
    else
      break;
  }
  for (;;) {
    if (!s.empty() && is_ascii_space(s.back()))
      s.remove_suffix(1);
    else if (size_t n = invisible_suffix_len(s))
      s.remove_suffix(n);
    else
      break;
  }
  return s;
}

bool normalize_email_to(std::string_view raw, std::string &out) {
  std::string_view s = trim_identifier(raw);
  size_t at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size() ||
      s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    if (is_ascii_space(s[i]) || static_cast<unsigned char>(s[i]) < 0x20) return false;
    if (static_cast<unsigned char>(s[i]) >= 0x80 && invisible_prefix_len(s.substr(i)) != 0) {
      return false;  // NBSP/ZWNJ inside
    }
  }
  size_t start = out.size();
  append_folded_digits(s, out);
  for (size_t i = start; i < out.size(); ++i) {
    char c = out[i];
    if (c >= 'A' && c <= 'Z') out[i] = static_cast<char>(c - 'A' + 'a');
  }
  return true;
}

std::optional<std::string> normalize_email(std::string_view raw) {
  std::string out;
  if (!normalize_email_to(raw, out)) return std::nullopt;
  return out;
}

bool normalize_text_identifier_to(std::string_view raw, std::string &out) {
  std::string_view s = trim_identifier(raw);
  if (s.empty()) return false;
  append_folded_digits(s, out);
  return true;
}

IdentifierRule::Kind identifier_kind(std::string_view name) {
  return name == "email"   ? IdentifierRule::Kind::kEmail
         : name == "phone" ? IdentifierRule::Kind::kPhone
                           : IdentifierRule::Kind::kText;
}

bool normalize_identifier_to(IdentifierRule::Kind kind, std::string_view raw,
                             std::string_view default_region, std::string &out) {
  switch (kind) {
    case IdentifierRule::Kind::kEmail:
      return normalize_email_to(raw, out);
    case IdentifierRule::Kind::kPhone:
      return normalize_phone_to(raw, default_region, out);
    case IdentifierRule::Kind::kText:
      break;
  }
  return normalize_text_identifier_to(raw, out);
}

std::optional<std::string> normalize_identifier(IdentifierRule::Kind kind, std::string_view raw,
                                                std::string_view default_region) {
  std::string out;
  if (!normalize_identifier_to(kind, raw, default_region, out)) return std::nullopt;
  return out;
}

std::vector<IdentifierRule> default_identifier_rules() {
  using Kind = IdentifierRule::Kind;
  return {
      {"user_id", Kind::kText, {"userId", "traits.user_id", "context.traits.user_id"}, "IR", {}},
      {"email",
       Kind::kEmail,
       {"traits.email", "context.traits.email", "properties.email"},
       "IR",
       {}},
      {"phone",
       Kind::kPhone,
       {"traits.phone", "context.traits.phone", "properties.phone"},
       "IR",
       {}},
      {"anonymous_id", Kind::kText, {"anonymousId"}, "IR", {}},
  };
}

}  // namespace halo
