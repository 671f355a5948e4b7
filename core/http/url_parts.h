// url_parts.h -- the pieces of a URL that may be shown to people.
//
// Logs and errors name a request by method and URL *without* its query string
// (queries carry API keys and tokens), and never show header values. These
// helpers extract the safe parts; secrets in third-party text (libcurl
// messages) are masked with common/secrets.h (mask_values).
#pragma once

#include <string>
#include <string_view>

namespace halo {

// "https://h:1/a/b?x=1#f" -> "https://h:1/a/b" (userinfo removed too).
std::string url_without_query(std::string_view url);
// "https://h:1/a/b?x=1" -> "/a/b" ("/" when empty).
std::string url_path(std::string_view url);
// "https://user@h:1/a" -> "h" (no port, no brackets for IPv6 literals kept).
std::string url_host(std::string_view url);
// Lower-cased scheme, e.g. "https"; empty when the URL has none.
std::string url_scheme(std::string_view url);
// "HTTPS://user@H:1/a?x" -> "https://h:1": scheme and host lower-cased,
// port as written, userinfo dropped.
std::string url_origin(std::string_view url);

}  // namespace halo
