// hard_bounce.h -- whether an SMTP refusal says the address does not exist
// (a hard bounce), so the kernel suppresses it for later messages: a 5xx
// reply whose enhanced status code (RFC 3463) is in class 5.1 "addressing":
// 5.1.1 bad mailbox, 5.1.2 bad system, 5.1.3 bad mailbox syntax, 5.1.6
// mailbox moved, 5.1.10 null MX (RFC 7505). Other permanent refusals
// (policy, content, size: 5.7.x, 5.3.x, ...) are about this message, not the
// address, and stay plain failures.
#pragma once

#include <string_view>

namespace halo::plugins::smtp {

// `code` is the reply code, `text` the reply line ("550 5.1.1 <x@y>: ...",
// possibly after the host's words: "... (server: 550 5.1.1 ...)"); the
// enhanced code is the first word after the reply code, if any.
bool is_hard_bounce(int code, std::string_view text);

}  // namespace halo::plugins::smtp
