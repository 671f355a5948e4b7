// deliver_requests (message_verdict.h) against a host table of the test's
// own: which requests go out, in which calls, and what each message is
// reported -- the first request alone, a fatal answer or plan stopping
// what follows, verdicts reached without a request kept in place.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/message_verdict.h"

// The opaque handles of plugin.h, defined by this test's host.
struct halo_http_response {
  int status = 0;
  std::string body;
};
struct halo_message_delivery {
  std::vector<std::pair<int32_t, std::string>> outcomes;  // by message index
};

namespace halo::plugins {
namespace {

// What the fake receiver saw and answers: URL "/refuse" gets 401, others 200
// with "id-<url>".
struct FakeReceiver {
  std::vector<std::vector<std::string>> calls;  // the URLs of each call
};
FakeReceiver *receiver = nullptr;

int32_t answer(const halo_http_request *r, halo_http_response **out) {
  const std::string url = r->url;
  *out = new halo_http_response{url == "/refuse" ? 401 : 200, "id-" + url};
  return HALO_OK;
}

int32_t fake_request(halo_context *, const halo_http_request *r, halo_http_response **out) {
  receiver->calls.push_back({r->url});
  return answer(r, out);
}

void fake_many(halo_context *, const halo_http_request *const *r, size_t n,
               halo_http_response **out, int32_t *results) {
  receiver->calls.emplace_back();
  for (size_t i = 0; i < n; ++i) {
    receiver->calls.back().push_back(r[i]->url);
    results[i] = answer(r[i], &out[i]);
  }
}

int32_t fake_status(const halo_http_response *r) {
  return r->status;
}
void fake_body(const halo_http_response *r, const char **d, size_t *n) {
  *d = r->body.data();
  *n = r->body.size();
}
void fake_free(halo_http_response *r) {
  delete r;
}
void fake_result(halo_message_delivery *d, size_t i, int32_t outcome, const char *detail,
                 size_t len, int64_t) {
  if (d->outcomes.size() <= i) d->outcomes.resize(i + 1);
  d->outcomes[i] = {outcome, std::string(detail, len)};
}

halo_host_api fake_host() {
  halo_host_api t{};
  t.struct_size = sizeof t;
  t.http_request = fake_request;
  t.http_request_many = fake_many;
  t.http_status = fake_status;
  t.http_body = fake_body;
  t.http_free = fake_free;
  t.message_result = fake_result;
  return t;
}

// Messages whose recipient is the URL to POST to; "bad" is refused by the
// plan, "lookup-refused" is a plan that asked the receiver and was refused.
struct Delivery {
  FakeReceiver seen;
  halo_message_delivery d;
  bool threw_fatal = false;
  int plans = 0;
};

Delivery deliver(const std::vector<std::string> &recipients) {
  Delivery run;
  receiver = &run.seen;
  const halo_host_api table = fake_host();
  const halo::Host host(&table, nullptr);
  std::vector<halo::Message> messages(recipients.size());
  for (size_t i = 0; i < recipients.size(); ++i) messages[i].recipient = recipients[i];
  auto plan = [&](const halo::Message &m) -> PlannedSend {
    ++run.plans;
    if (m.recipient == "bad") return {Verdict{Verdict::Kind::kFailed, "bad recipient", 0}, {}};
    if (m.recipient == "lookup-refused") {
      return {Verdict{Verdict::Kind::kFatal, "lookup: 403 key refused", 0}, {}};
    }
    halo::HttpRequest r;
    r.url = std::string(m.recipient);
    return {std::nullopt, r};
  };
  auto judge = [](const halo::Message &, const halo::HttpResponse &r) {
    if (r.status() == 401) return Verdict{Verdict::Kind::kFatal, "401 refused", 0};
    return Verdict{Verdict::Kind::kSent, std::string(r.body()), 0};
  };
  try {
    deliver_requests(host, messages, halo::MessageResults(&table, &run.d), "test", plan, judge);
  } catch (const halo::Error &e) {
    run.threw_fatal = e.status() == HALO_FATAL;
  }
  receiver = nullptr;
  return run;
}

TEST(DeliverRequests, TheFirstRequestGoesAloneThenTheRestTogether) {
  const Delivery run = deliver({"/a", "bad", "/b", "/c", "/d"});
  EXPECT_FALSE(run.threw_fatal);
  ASSERT_EQ(run.seen.calls.size(), 2u);
  EXPECT_EQ(run.seen.calls[0], std::vector<std::string>({"/a"}));
  EXPECT_EQ(run.seen.calls[1], std::vector<std::string>({"/b", "/c", "/d"}));
  ASSERT_EQ(run.d.outcomes.size(), 5u);
  EXPECT_EQ(run.d.outcomes[0], std::make_pair(int32_t{HALO_MESSAGE_SENT}, std::string("id-/a")));
  EXPECT_EQ(run.d.outcomes[1],
            std::make_pair(int32_t{HALO_MESSAGE_FAILED}, std::string("bad recipient")));
  EXPECT_EQ(run.d.outcomes[4], std::make_pair(int32_t{HALO_MESSAGE_SENT}, std::string("id-/d")));
}

TEST(DeliverRequests, AFatalFirstAnswerSendsNothingMore) {
  const Delivery run = deliver({"bad", "/refuse", "/b", "/c"});
  EXPECT_TRUE(run.threw_fatal);
  ASSERT_EQ(run.seen.calls.size(), 1u);  // the refused key cost one request
  ASSERT_EQ(run.d.outcomes.size(), 4u);
  EXPECT_EQ(run.d.outcomes[0].first, HALO_MESSAGE_FAILED);  // decided without a request
  EXPECT_EQ(run.d.outcomes[1],
            std::make_pair(int32_t{HALO_MESSAGE_RETRY}, std::string("401 refused")));
  EXPECT_EQ(run.d.outcomes[2],
            std::make_pair(int32_t{HALO_MESSAGE_RETRY}, std::string("401 refused")));
  EXPECT_EQ(run.d.outcomes[3].first, HALO_MESSAGE_RETRY);
}

TEST(DeliverRequests, AFatalPlanStopsPlanningAndSending) {
  const Delivery run = deliver({"/a", "lookup-refused", "/b", "bad"});
  EXPECT_TRUE(run.threw_fatal);
  EXPECT_EQ(run.plans, 2);              // nothing planned after the refusal
  EXPECT_TRUE(run.seen.calls.empty());  // and nothing sent
  ASSERT_EQ(run.d.outcomes.size(), 4u);
  for (const auto &[outcome, detail] : run.d.outcomes) {
    EXPECT_EQ(outcome, HALO_MESSAGE_RETRY);
    EXPECT_EQ(detail, "lookup: 403 key refused");
  }
}

TEST(DeliverRequests, AFatalAnswerAmongTheRestIsReportedAfterEveryOther) {
  const Delivery run = deliver({"/a", "/b", "/refuse", "/c"});
  EXPECT_TRUE(run.threw_fatal);
  ASSERT_EQ(run.seen.calls.size(), 2u);
  ASSERT_EQ(run.d.outcomes.size(), 4u);
  EXPECT_EQ(run.d.outcomes[1].first, HALO_MESSAGE_SENT);
  EXPECT_EQ(run.d.outcomes[2].first, HALO_MESSAGE_RETRY);
  EXPECT_EQ(run.d.outcomes[3], std::make_pair(int32_t{HALO_MESSAGE_SENT}, std::string("id-/c")));
}

}  // namespace
}  // namespace halo::plugins
