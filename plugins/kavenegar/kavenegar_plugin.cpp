// kavenegar_plugin.cpp -- the SDK adapter of the `kavenegar` destination:
// sends each outbox `sms` message with sms/send.json, tagged with its
// outbox id as `localid`. An attempt after the first asks
// sms/statuslocalmessageid.json first, so a send whose answer was lost (a
// timeout, a reset) is found instead of sent twice -- Kavenegar has no
// idempotency key. With `api: lookup` each message fills a template of the
// Kavenegar panel (verify/lookup.json) with tokens from its variables;
// lookup takes no localid, so a lookup whose answer was lost is failed,
// never sent again (a resend could not be told from a duplicate). It never sleeps or retries: the
// kernel does. Delivery reports are asked for with sms/status.json (poll_receipts): Kavenegar has
// no signed callbacks. The module's source reads the line's incoming messages (sms/receive.json):
// replies that opt out or in, and others.
#include <halo/sdk.hpp>

#include <iterator>
#include <unordered_map>

#include "kavenegar_api.h"

namespace halo::plugins::kavenegar {
namespace {

// The options of the account (Account reads them), declared once for the
// destination and the source.
constexpr halo_option_decl kApiKeyOption =
    halo::option(HALO_OPT_STRING, "api_key", nullptr, true,
                 "API key from the Kavenegar panel; use \"${ENV_VAR}\" (it travels in the URL "
                 "path, which Halo never logs)",
                 true);
constexpr halo_option_decl kBaseUrlOption =
    halo::option(HALO_OPT_STRING, "base_url", "https://api.kavenegar.com", false,
                 "API base URL (a test server in tests)");

// The account the API key opens: every call is a form POST to
// {base_url}/v1/{api_key}/{method} (the key is in the path; Halo never
// logs URLs).
class Account {
 public:
  explicit Account(const halo::Host &host)
      : key_(host.string_option("api_key")), base_(host.string_option("base_url")), post_(host) {
    if (key_.empty() || key_.find_first_of("/?#% ") != std::string::npos) {
      throw halo::ConfigError("api_key",
                              "must be the key from the Kavenegar panel (no / ? # or spaces)");
    }
    if (!base_.starts_with("https://") && !base_.starts_with("http://")) {
      throw halo::ConfigError("base_url", "must be an http:// or https:// URL");
    }
    while (base_.ends_with("/")) base_.pop_back();
  }

  halo::HttpRequest form_request(const char *method, std::string form) const {
    return post_.request(
        base_ + "/v1/" + key_ + "/" + method, std::move(form),
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}});
  }

 private:
  std::string key_, base_;
  MessagePost post_;
};

class KavenegarDestination : public halo::MessageDestination {
 public:
  explicit KavenegarDestination(halo::Host host)
      : halo::MessageDestination(host),
        account_(host),
        sender_(host.opt_string_or("sender", "")),
        lookup_(host.string_option("api") == "lookup"),
        lookup_type_(host.string_option("lookup_type")),
        reports_(host) {}

  void deliver_messages(const std::vector<halo::Message> &messages,
                        const halo::MessageResults &results) override {
    deliver_requests(
        host(), messages, results, "kavenegar",
        [this](const halo::Message &m) { return lookup_ ? plan_lookup(m) : plan_send(m); },
        [this](const halo::Message &m, const halo::HttpResponse &r) {
          return judged(r, [&](int status, std::string_view body) {
            return lookup_ ? classify_lookup_send(status, body, m.template_name)
                           : classify_send(status, body, sms_segments(m.text));
          });
        },
        [this](const halo::Error &e) { return unanswered(e); });
  }

  // Asks sms/status.json for every message whose sent detail names a
  // messageid, in one call, and reports each final status. An answer that
  // cannot be used fails the call: the kernel asks again later.
  void poll_receipts(const std::vector<halo::SentMessage> &sent) {
    std::unordered_map<int64_t, uint64_t> outbox_ids;  // messageid -> outbox id
    std::vector<int64_t> ids;
    for (const halo::SentMessage &m : sent) {
      const std::optional<int64_t> id = messageid_of(m.provider_id);
      if (id && outbox_ids.emplace(*id, m.id).second) ids.push_back(*id);
    }
    if (ids.empty()) return;
    halo::HttpResponse response = host().http(form_request("sms/status.json", status_form(ids)));
    const StatusAnswer answer = parse_status_answer(response.status(), response.body());
    if (!answer.error.empty()) throw halo::Error("sms/status.json: " + answer.error);
    for (const MessageStatus &entry : answer.entries) {
      const auto outbox_id = outbox_ids.find(entry.messageid);
      const std::optional<halo_receipt_status> receipt = receipt_of(entry.status);
      if (outbox_id == outbox_ids.end() || !receipt) continue;
      const std::string provider_id = "messageid " + std::to_string(entry.messageid);
      const std::string detail = "status " + std::to_string(entry.status) +
                                 (entry.statustext.empty() ? "" : " " + entry.statustext);
      halo::Receipt r;
      r.status = *receipt;
      r.message_id = outbox_id->second;
      r.provider_id = provider_id;
      r.detail = detail;
      reports_.receipt(r);  // a busy store: the message is asked again later
    }
  }

 private:
  // A message it cannot send is failed at once. A retried one is first
  // looked up by its local id: when an earlier attempt got through (or the
  // lookup cannot tell yet) that is its verdict, and nothing is sent again.
  PlannedSend plan_send(const halo::Message &m) {
    std::string receptor;
    if (std::optional<Verdict> refused = refuse(m, receptor)) return decided(std::move(*refused));
    if (m.text.empty()) {
      return decided({Verdict::Kind::kFailed, "empty text: the template has no text part", 0});
    }
    if (m.attempt > 1) {
      try {
        halo::HttpResponse earlier = host().http(
            form_request("sms/statuslocalmessageid.json", "localid=" + std::to_string(m.id)));
        Verdict v = judged(earlier, classify_lookup);
        if (v.kind != Verdict::Kind::kFailed) return decided(std::move(v));
      } catch (const halo::Error &e) {
        return decided(no_answer(e));
      }
    }
    return {std::nullopt,
            form_request("sms/send.json", send_form(receptor, m.text, sender_, m.id))};
  }

  // A template message: the Kavenegar template named as the message's
  // template, its tokens from the message's variables. Every attempt after
  // the first follows an answer that said it was not sent (a lost answer
  // fails the message), so it simply asks again.
  PlannedSend plan_lookup(const halo::Message &m) {
    std::string receptor;
    if (std::optional<Verdict> refused = refuse(m, receptor)) return decided(std::move(*refused));
    TokensOrWhy tokens = lookup_tokens(m.variables_json);
    if (!tokens.why.empty()) return decided({Verdict::Kind::kFailed, tokens.why, 0});
    return {std::nullopt,
            form_request("verify/lookup.json",
                         lookup_form(receptor, m.template_name, tokens.tokens, lookup_type_))};
  }

  // Why message m cannot go at all (not sms, no E.164 recipient), or
  // nullopt with its receptor form in `receptor`.
  static std::optional<Verdict> refuse(const halo::Message &m, std::string &receptor) {
    if (m.channel != "sms") {
      return Verdict{Verdict::Kind::kFailed, "the kavenegar destination sends sms only", 0};
    }
    const std::optional<std::string> form = receptor_of(m.recipient);
    if (!form) {
      return Verdict{
          Verdict::Kind::kFailed,
          "invalid recipient '" + std::string(m.recipient.substr(0, 40)) + "' (not E.164)", 0};
    }
    receptor = *form;
    return std::nullopt;
  }

  static PlannedSend decided(Verdict v) { return PlannedSend{std::move(v), {}}; }

  // A request that got no answer: a send is retried (the next attempt asks
  // by localid first); a lookup cannot be asked about, so it is failed.
  Verdict unanswered(const halo::Error &e) const {
    Verdict v = no_answer(e);
    if (!lookup_ || v.kind != Verdict::Kind::kRetry) return v;
    v.kind = Verdict::Kind::kFailed;
    v.detail =
        "no answer from verify/lookup.json, which takes no localid: whether Kavenegar "
        "sent it cannot be asked, so it is not sent again (" +
        v.detail + ")";
    return v;
  }

  // The verdict classify(status, body) gives an answer, with its
  // Retry-After when it is a retry.
  template <class Classify>
  static Verdict judged(const halo::HttpResponse &response, Classify classify) {
    Verdict v = classify(response.status(), response.body());
    if (v.kind == Verdict::Kind::kRetry)
      v.retry_after_ms = retry_after_ms(response.header("Retry-After"));
    return v;
  }

  halo::HttpRequest form_request(const char *method, std::string form) const {
    return account_.form_request(method, std::move(form));
  }

  Account account_;
  std::string sender_;
  bool lookup_;              // api: lookup (verify/lookup.json)
  std::string lookup_type_;  // sms | call
  halo::Reports reports_;
};

// The `kavenegar` source: the messages people send to the account's line
// (sms/receive.json), as profile events -- STOP, لغو or انصراف opt the
// sender out of sms in the consent ledger, START opts back in, anything
// else is an `SMS Received` event (inbound_record). Kavenegar marks
// messages read as it hands them over, so a run that died before its
// commit would never see them unread again: each run therefore first asks
// for the latest messages already read, whose ids are duplicates unless
// that run lost them, then for unread ones until fewer than a full page
// come. The stream ends there in `halo run`; `halo serve` asks for unread
// ones again after the source's poll_interval.
class KavenegarInbox : public halo::Source {
 public:
  explicit KavenegarInbox(halo::Host host)
      : halo::Source(host), account_(host), line_(host.string_option("line")) {
    if (line_.empty() || line_.size() > 32 ||
        line_.find_first_not_of("+0123456789") != std::string::npos) {
      throw halo::ConfigError("line", "must be the line's number, digits only (e.g. 10004346)");
    }
  }

  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    (void)max_records;  // one page is at most kMaxReceiveEntries (100)
    sink.origin("kavenegar line " + line_);
    halo::HttpResponse response =
        host().http(account_.form_request("sms/receive.json", receive_form(line_, !recovered_)));
    const ReceiveAnswer answer = parse_receive_answer(response.status(), response.body());
    if (!answer.error.empty())
      throw halo::Error("sms/receive.json: " + answer.error, answer.failure);
    for (const InboundSms &m : answer.messages) sink.record(inbound_record(m), ++received_);
    for (const std::string &raw : answer.unusable) {
      sink.error(HALO_REASON_INVALID,
                 "a Kavenegar incoming message without a messageid, sender or date", raw,
                 ++received_);
    }
    const bool recovering = !recovered_;
    recovered_ = true;
    if (!recovering && answer.entries < kMaxReceiveEntries) sink.end_of_data();
  }

  // No position to keep: Kavenegar keeps what is unread, and each instance
  // (each run, each start of halo serve) begins with the recovery read.
  std::string_view cursor() override { return {}; }

 private:
  Account account_;
  const std::string line_;
  bool recovered_ = false;
  uint64_t received_ = 0;
};

const halo_option_decl kSourceOptions[] = {
    halo::plugins::kavenegar::kApiKeyOption,
    halo::option(HALO_OPT_STRING, "line", nullptr, true,
                 "The line (number) whose incoming messages to read, e.g. 10004346"),
    halo::plugins::kavenegar::kBaseUrlOption,
    halo::plugins::kTimeoutOption,
    halo::plugins::kCaFileOption,
    halo::plugins::kInsecureOption,
};

}  // namespace
}  // namespace halo::plugins::kavenegar

static const char *const kApis[] = {"send", "lookup"};
static const char *const kLookupTypes[] = {"sms", "call"};
static const halo_option_decl kOptions[] = {
    halo::plugins::kavenegar::kApiKeyOption,
    halo::option(HALO_OPT_STRING, "sender", nullptr, false,
                 "Sending line number; none = the account's default line"),
    halo::one_of(halo::option(HALO_OPT_STRING, "api", "send", false,
                              "send: the template's text with sms/send.json; lookup: the "
                              "Kavenegar panel template named as the message's template, "
                              "filled with its variables token .. token20 (verify/lookup.json)"),
                 kApis),
    halo::one_of(halo::option(HALO_OPT_STRING, "lookup_type", "sms", false,
                              "api: lookup only: sms, or call (a voice call reads the token)"),
                 kLookupTypes),
    halo::plugins::kavenegar::kBaseUrlOption,
    halo::plugins::kTimeoutOption,
    halo::plugins::kCaFileOption,
    halo::plugins::kInsecureOption,
};

HALO_PLUGIN_LIBRARY(
    halo::describe_destination<halo::plugins::kavenegar::KavenegarDestination>(
        "kavenegar", "1.3.0",
        "Delivers outbox SMS messages through Kavenegar (Iran) and polls their delivery reports",
        kOptions, std::size(kOptions), 0),
    halo::describe_source<halo::plugins::kavenegar::KavenegarInbox>(
        "kavenegar", "1.3.0",
        "Messages people send to a Kavenegar line: STOP/لغو/انصراف opt out of sms, START opts "
        "in, others are SMS Received events",
        halo::plugins::kavenegar::kSourceOptions,
        std::size(halo::plugins::kavenegar::kSourceOptions), 0))
