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

// One message's part in deliver_requests(): a verdict reached without
// asking the receiver (a recipient it cannot take), or the request to send.
struct PlannedSend {
  std::optional<Verdict> verdict;
  halo::HttpRequest request;
};

// Delivers every message whose plan(m) -> PlannedSend is a request, up to
// the destination's `concurrency` at once (Host::http_many), and reports
// each message's verdict: the plan's, judge(m, response) -> Verdict, or
// unanswered(error) -> Verdict for a request that got no answer (by
// default no_answer()). The first request goes alone, so a set-up every request
// would fail (a refused key) costs one request, not a call's worth; a
// fatal verdict in planning (a plan may ask the receiver itself) stops
// everything after it. The messages not sent for a fatal verdict are
// reported as retries and halo::Error(HALO_FATAL) naming `destination` is
// thrown once every message has its report.
template <class Plan, class Judge, class Unanswered>
void deliver_requests(const halo::Host &host, const std::vector<halo::Message> &messages,
                      const halo::MessageResults &results, std::string_view destination, Plan plan,
                      Judge judge, Unanswered unanswered) {
  std::vector<PlannedSend> plans;
  plans.reserve(messages.size());
  const Verdict *fatal = nullptr;  // a plan may ask the receiver too (a lookup)
  for (size_t i = 0; i < messages.size() && !fatal; ++i) {
    plans.push_back(plan(messages[i]));
    if (plans.back().verdict && plans.back().verdict->kind == Verdict::Kind::kFatal) {
      fatal = &*plans.back().verdict;
    }
  }
  std::vector<size_t> sending;  // messages with a request, in order
  for (size_t i = 0; i < plans.size() && !fatal; ++i) {
    if (!plans[i].verdict) sending.push_back(i);
  }
  auto send = [&](size_t begin, size_t end) {
    std::vector<halo::HttpRequest> requests;
    for (size_t k = begin; k < end; ++k) requests.push_back(std::move(plans[sending[k]].request));
    std::vector<halo::HttpOutcome> outcomes = host.http_many(requests);
    for (size_t k = begin; k < end; ++k) {
      halo::HttpOutcome &o = outcomes[k - begin];
      const halo::Message &m = messages[sending[k]];
      plans[sending[k]].verdict = o.response ? judge(m, *o.response) : unanswered(*o.error);
    }
  };
  if (!sending.empty()) {
    send(0, 1);
    const Verdict &first = *plans[sending[0]].verdict;
    if (first.kind == Verdict::Kind::kFatal) fatal = &first;
    if (!fatal) send(1, sending.size());
  }
  for (size_t i = 0; i < messages.size(); ++i) {
    if (i < plans.size() && plans[i].verdict) {
      report(*plans[i].verdict, i, results);
      if (!fatal && plans[i].verdict->kind == Verdict::Kind::kFatal) fatal = &*plans[i].verdict;
    } else {
      results.retry(i, fatal->detail);  // not sent: an earlier answer was fatal
    }
  }
  if (fatal) throw halo::Error(std::string(destination) + ": " + fatal->detail, HALO_FATAL);
}

template <class Plan, class Judge>
void deliver_requests(const halo::Host &host, const std::vector<halo::Message> &messages,
                      const halo::MessageResults &results, std::string_view destination, Plan plan,
                      Judge judge) {
  deliver_requests(host, messages, results, destination, plan, judge, no_answer);
}

// The declarations of the transport options MessagePost reads, for the
// plugins whose `timeout` is 1s .. 2m with 10s by default.
inline constexpr halo_option_decl kTimeoutOption = halo::within(
    halo::option(HALO_OPT_DURATION, "timeout", "10s", false, "Longest wait for one answer"), "1s",
    "2m");
inline constexpr halo_option_decl kCaFileOption =
    halo::option(HALO_OPT_STRING, "ca_file", nullptr, false,
                 "Extra trusted CA bundle (PEM), relative to the pipeline file");
inline constexpr halo_option_decl kInsecureOption =
    halo::option(HALO_OPT_BOOL, "insecure", "false", false,
                 "Skip TLS certificate verification (explicit opt-in)");

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
