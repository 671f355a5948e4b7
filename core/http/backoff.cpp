// backoff.cpp -- see backoff.h.
#include "http/backoff.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>

namespace halo {

using std::chrono::milliseconds;

milliseconds BackoffPolicy::jittered(int retry, double random01) const {
  // 2^(retry-1) overflows nothing: the exponent is clamped long before.
  double ceiling =
      static_cast<double>(base.count()) * std::ldexp(1.0, std::clamp(retry - 1, 0, 30));
  ceiling = std::min(ceiling, static_cast<double>(cap.count()));
  double wait = std::clamp(random01, 0.0, 1.0) * ceiling;
  return std::min(milliseconds(static_cast<int64_t>(wait)), kMaxWait);
}

bool is_retryable_status(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

milliseconds clamp_wait(int64_t ms) {
  return milliseconds(std::clamp<int64_t>(ms, 0, BackoffPolicy::kMaxWait.count()));
}

std::optional<int64_t> parse_http_date_ms(std::string_view value) {
  std::string text(value);
  std::tm tm{};
  const char *end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

}  // namespace

std::optional<milliseconds> parse_retry_after(std::string_view value, int64_t now_ms) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && ptr == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return clamp_wait(seconds > 3600 ? 3600000 : seconds * 1000);
  }
  if (auto at = parse_http_date_ms(value)) return clamp_wait(*at - now_ms);
  return std::nullopt;
}

}  // namespace halo
