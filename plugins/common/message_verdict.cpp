// message_verdict.cpp -- see message_verdict.h.
#include "common/message_verdict.h"

#include <algorithm>
#include <charconv>

#include "common/json_text.h"
#include "common/wire_text.h"

namespace halo::plugins {

void report(const Verdict &v, size_t i, const halo::MessageResults &results) {
  switch (v.kind) {
    case Verdict::Kind::kSent:
      results.sent(i, v.detail);
      return;
    case Verdict::Kind::kFailed:
      results.failed(i, v.detail);
      return;
    case Verdict::Kind::kOptedOut:
      results.opted_out(i, v.detail);
      return;
    case Verdict::Kind::kBounced:
      results.bounced(i, v.detail);
      return;
    case Verdict::Kind::kRetry:
    case Verdict::Kind::kFatal:
      results.retry(i, v.detail, v.retry_after_ms);
      return;
  }
}

Verdict no_answer(const halo::Error &e) {
  Verdict v;
  v.kind = e.status() == HALO_FATAL ? Verdict::Kind::kFatal : Verdict::Kind::kRetry;
  v.detail = e.what();
  return v;
}

MessagePost::MessagePost(const halo::Host &host)
    : timeout_(host.duration_option("timeout")),
      ca_file_(host.opt_string_or("ca_file", "")),
      insecure_(host.bool_option("insecure")) {}

halo::HttpRequest MessagePost::request(
    std::string url, std::string body,
    std::vector<std::pair<std::string, std::string>> headers) const {
  halo::HttpRequest r;
  r.method = "POST";
  r.url = std::move(url);
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.timeout_ms = static_cast<int>(timeout_.count());
  r.max_attempts = 1;  // the kernel retries, per message
  r.insecure = insecure_;
  r.ca_file = ca_file_;
  return r;
}

int64_t retry_after_ms(std::optional<std::string_view> header) {
  if (!header) return 0;
  const std::string_view text = trim_ascii(*header);
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || seconds < 0) return 0;
  return std::min<int64_t>(seconds, 86'400) * 1000;
}

bool http_transient(int status) {
  return status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599);
}

std::string http_detail(int status, std::string_view body) {
  std::string detail = "HTTP " + std::to_string(status);
  const std::string_view said = clip_utf8(trim_ascii(body), 200);
  if (!said.empty()) detail += ": " + std::string(said);
  return detail;
}

std::string address_option(const halo::Host &host, const char *name, bool required) {
  std::string value = required ? host.string_option(name) : host.opt_string_or(name, "");
  if (!value.empty() && !is_bare_address(value)) {
    throw halo::ConfigError(name,
                            "must be a bare address such as news@shop.example (no name, no <>)");
  }
  return value;
}

}  // namespace halo::plugins
