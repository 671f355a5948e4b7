// message_verdict.h -- what a message destination makes of one delivery
// attempt, shared by the bundled destinations (webhook, smtp, SMS): the
// outcome kinds the kernel knows (sent / retry / failed / opted out at the
// receiver / bounced) plus `fatal`, an
// answer that says no message can get through (credentials, account),
// and the HTTP status classes every HTTP API shares.
//
// Invariants: retry_after_ms() accepts only delta-seconds (RFC 9110
// 10.2.3), capped at a day, and gives 0 for anything else; http_transient()
// is true exactly for 408, 425, 429 and 5xx.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <halo/sdk.hpp>

namespace halo::plugins {

struct Verdict {
  enum class Kind { kSent, kRetry, kFailed, kFatal, kOptedOut, kBounced } kind = Kind::kRetry;
  std::string detail;  // the provider's id when sent, else the reason
  int64_t retry_after_ms = 0;
};

// Reports v as message i's outcome (kFatal as a retry: the message is
// fine, the set-up is not).
void report(const Verdict &v, size_t i, const halo::MessageResults &results);

// The verdict of a request that got no answer (refused, reset, timeout,
// TLS): retry, or fatal when the host says no attempt can succeed.
Verdict no_answer(const halo::Error &e);

// Delivers every message with deliver(m) -> Verdict and reports each.
// After a fatal verdict the remaining messages are reported as retries
// (they are fine; the set-up is not) and halo::Error(HALO_FATAL) is thrown
// naming `destination`, so the kernel stops this destination for the run.
template <class Deliver>
void deliver_each(const std::vector<halo::Message> &messages, const halo::MessageResults &results,
                  std::string_view destination, Deliver deliver) {
  for (size_t i = 0; i < messages.size(); ++i) {
    const Verdict v = deliver(messages[i]);
    report(v, i, results);
    if (v.kind != Verdict::Kind::kFatal) continue;
    for (size_t k = i + 1; k < messages.size(); ++k) results.retry(k, v.detail);
    throw halo::Error(std::string(destination) + ": " + v.detail, HALO_FATAL);
  }
}

// The transport options every HTTP message destination declares
// (`timeout`, `ca_file`, `insecure`) and the request they make: a POST with
// one attempt, since the kernel retries per message.
class MessagePost {
 public:
  explicit MessagePost(const halo::Host &host);
  halo::HttpRequest request(std::string url, std::string body,
                            std::vector<std::pair<std::string, std::string>> headers) const;

 private:
  std::chrono::milliseconds timeout_;
  std::string ca_file_;
  bool insecure_;
};

// A Retry-After header in milliseconds (0 when absent or not seconds).
int64_t retry_after_ms(std::optional<std::string_view> header);

// An HTTP status another attempt may get past.
bool http_transient(int status);

// "HTTP 503: <start of the body>" -- at most 200 bytes of the body, cut at
// a character boundary.
std::string http_detail(int status, std::string_view body);

// The email address in option `name` (wire_text.h is_bare_address: no
// display name, no <>); "" when absent and not required. Throws
// halo::ConfigError when malformed, or absent and required.
std::string address_option(const halo::Host &host, const char *name, bool required);

}  // namespace halo::plugins
