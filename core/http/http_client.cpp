// http_client.cpp -- the retry loop of HttpClient (see http_client.h); the
// transfer itself is curl_attempt.cpp.
#include "http/http_client.h"

#include <cctype>
#include <cstdio>
#include <random>

#include "common/clock.h"
#include "http/curl_attempt.h"
#include "http/url_parts.h"

namespace halo {

using std::chrono::milliseconds;

namespace {

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

HttpHooks with_defaults(HttpHooks h) {
  if (!h.cancelled) h.cancelled = [] { return false; };
  if (!h.log) h.log = [](LogLevel l, const std::string &m) { log_message(l, "http", m); };
  if (!h.sleep) {
    auto cancelled = h.cancelled;
    h.sleep = [cancelled](milliseconds wait) { wait_unless(wait, cancelled); };
  }
  if (!h.random01) {
    h.random01 = [] {
      thread_local std::mt19937_64 rng{std::random_device{}()};
      return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    };
  }
  if (!h.now_ms) {
    h.now_ms = [] { return wall_ms(); };
  }
  if (!h.on_retry) {
    auto log = h.log;
    h.on_retry = [log](const RetryNotice &n) { log(LogLevel::kInfo, HttpClient::describe(n)); };
  }
  return h;
}

HttpResult from_attempt(AttemptOutcome &&a, int attempts) {
  HttpResult r;
  r.status = a.status;
  r.body = std::move(a.body);
  r.headers = std::move(a.headers);
  r.attempts = attempts;
  r.error = std::move(a.error);
  r.permanent = a.status == 0 && !a.retryable && !a.cancelled;
  return r;
}

std::string attempts_text(int n) {
  return std::to_string(n) + (n == 1 ? " attempt" : " attempts");
}

}  // namespace

std::string validate_http_call(const HttpCall &call) {
  if (!is_token(call.method)) {
    return "HTTP method '" + call.method + "' is not a method name (use GET, POST, ...)";
  }
  std::string scheme = url_scheme(call.url);
  if (scheme != "http" && scheme != "https") {
    return "HTTP url '" + url_without_query(call.url) +
           "' must be absolute and start with http:// or https://";
  }
  if (url_host(call.url).empty())
    return "HTTP url '" + url_without_query(call.url) + "' has no host";
  if (has_line_break(call.url)) return "HTTP url contains a line break";
  for (const auto &[name, value] : call.headers) {
    if (!is_token(name)) return "HTTP header name '" + name + "' is not a header token";
    if (has_line_break(value)) return "HTTP header '" + name + "' has a line break in its value";
  }
  if (call.timeout_ms <= 0) return "HTTP timeout must be positive";
  if (call.max_attempts <= 0) return "HTTP max_attempts must be positive";
  return {};
}

HttpClient::HttpClient(HttpHooks hooks, BackoffPolicy policy)
    : hooks_(with_defaults(std::move(hooks))), policy_(policy) {}

std::string HttpClient::describe(const RetryNotice &n) {
  char wait[32];
  std::snprintf(wait, sizeof wait, "%.1f", static_cast<double>(n.wait.count()) / 1000.0);
  return "retrying " + n.method + " " + n.path + " after " + n.reason + " (attempt " +
         std::to_string(n.next_attempt) + "/" + std::to_string(n.max_attempts) + ", waiting " +
         wait + " s)";
}

milliseconds HttpClient::wait_before_retry(const HttpResult &last, int retry) const {
  if (const std::string *ra = last.header("retry-after")) {
    if (auto wait = parse_retry_after(*ra, hooks_.now_ms())) return *wait;
  }
  return policy_.jittered(retry, hooks_.random01());
}

HttpResult HttpClient::perform(const HttpCall &call, RetryBudget *budget) const {
  const std::string where = call.method + " " + url_without_query(call.url);
  if (std::string invalid = validate_http_call(call); !invalid.empty()) {
    HttpResult r;
    r.error = where + ": " + invalid;
    r.permanent = true;
    return r;
  }
  if (call.insecure) {
    hooks_.log(LogLevel::kWarn,
               "TLS verification disabled for " + url_host(call.url) + " (insecure: true)");
  }
  HttpResult last;
  for (int attempt = 1;; ++attempt) {
    if (hooks_.cancelled()) {
      HttpResult stopped;
      stopped.attempts = attempt - 1;
      stopped.error = where + " cancelled because the run is stopping";
      return stopped;
    }
    AttemptOutcome outcome = perform_attempt(call, hooks_.cancelled);
    bool retryable = outcome.status == 0 ? outcome.retryable : is_retryable_status(outcome.status);
    bool cancelled = outcome.cancelled;
    last = from_attempt(std::move(outcome), attempt);
    if (cancelled) break;
    if (!retryable) {
      if (budget) budget->succeeded();  // a final answer ends the failure streak
      break;
    }
    const milliseconds wait = wait_before_retry(last, attempt);
    const bool budget_left = budget == nullptr || budget->allow_retry_after_failure(wait);
    if (attempt >= call.max_attempts) break;
    if (!budget_left) {
      last.budget_spent = true;
      break;
    }
    RetryNotice notice{
        call.method, url_path(call.url), last.status ? std::to_string(last.status) : last.error,
        attempt + 1, call.max_attempts,  wait};
    hooks_.on_retry(notice);
    hooks_.sleep(notice.wait);
  }
  if (last.status == 0) {
    last.error = where + " failed after " + attempts_text(last.attempts) + ": " + last.error;
  } else if (is_retryable_status(last.status)) {
    last.error = where + " still returned HTTP " + std::to_string(last.status) + " after " +
                 attempts_text(last.attempts);
  }
  if (last.budget_spent && !last.error.empty()) {
    last.error += "; retry budget spent: " + budget->describe();
  }
  return last;
}

}  // namespace halo
