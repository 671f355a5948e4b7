// hard_bounce.cpp -- see hard_bounce.h.
#include "hard_bounce.h"

#include <string>

#include "common/bounce_status.h"

namespace halo::plugins::smtp {

namespace {

// The first enhanced-code-like word after "<code> " or "<code>-" in
// `text` (the host may put its own words first: "... (server: 550 5.1.1
// ...)"), or "".
std::string_view enhanced_code(int code, std::string_view text) {
  const std::string reply = std::to_string(code);
  for (size_t at = text.find(reply); at != std::string_view::npos; at = text.find(reply, at + 1)) {
    const size_t after = at + reply.size();
    const bool starts_line = at == 0 || text[at - 1] == ' ' || text[at - 1] == '(';
    if (!starts_line || after >= text.size() || (text[after] != ' ' && text[after] != '-')) {
      continue;
    }
    std::string_view word = text.substr(after + 1);
    word = word.substr(0, word.find_first_of(" \r\n)"));
    if (!word.empty() && word[0] >= '2' && word[0] <= '5') return word;  // "RCPT failed: 550 (..."
  }
  return {};
}

}  // namespace

bool is_hard_bounce(int code, std::string_view text) {
  if (code < 500 || code > 599) return false;
  return is_hard_bounce_status(enhanced_code(code, text));
}

}  // namespace halo::plugins::smtp
