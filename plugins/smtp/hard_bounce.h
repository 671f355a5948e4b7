// hard_bounce.h -- whether an SMTP refusal says the address does not exist
// (a hard bounce), so the kernel suppresses it for later messages: a 5xx
// reply whose enhanced status code is an addressing failure
// (common/bounce_status.h). Other permanent refusals stay plain failures.
#pragma once

#include <string_view>

namespace halo::plugins::smtp {

// `code` is the reply code, `text` the reply line ("550 5.1.1 <x@y>: ...",
// possibly after the host's words: "... (server: 550 5.1.1 ...)"); the
// enhanced code is the first word after the reply code, if any.
bool is_hard_bounce(int code, std::string_view text);

}  // namespace halo::plugins::smtp
