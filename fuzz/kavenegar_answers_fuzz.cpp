// kavenegar_answers_fuzz.cpp -- every answer the Kavenegar API (or anything
// posing as it) sends back is hostile input (plugins/kavenegar). For any
// bytes and HTTP status: classify_send and classify_lookup give exactly
// one outcome, a sent one naming a messageid messageid_of reads back;
// parse_status_answer either says why it cannot be used or reads at most
// kMaxStatusEntries entries, and receipt_of makes a report only of 10, 6,
// 11, 13 and 14; parse_receive_answer either says why it cannot be used
// (with a failure status) or reads at most kMaxReceiveEntries entries,
// each placed (positive id, a sender, a date) or kept as unusable, and
// every placed one becomes one valid JSON record. The body read as a
// message's variables: lookup_tokens either says why or gives a token that
// is non-empty, within kMaxTokenBytes and free of white space.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "kavenegar_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::plugins;
  using namespace halo::plugins::kavenegar;
  if (size < 1) return 0;
  const int http_status = data[0] % 2 == 0 ? 200 : 400 + data[0] % 120;
  const std::string_view body(reinterpret_cast<const char *>(data) + 1, size - 1);

  const Verdict sent = classify_send(http_status, body, sms_segments("x"));
  if (sent.kind == Verdict::Kind::kSent && !messageid_of(sent.detail)) std::abort();
  const Verdict lookup_sent = classify_lookup_send(http_status, body, "otp");
  if (lookup_sent.kind == Verdict::Kind::kSent && !messageid_of(lookup_sent.detail)) std::abort();
  const TokensOrWhy tokens = lookup_tokens(body);
  if (tokens.why.empty()) {
    const std::string &t = tokens.tokens.token;
    if (t.empty() || t.size() > kMaxTokenBytes) std::abort();
    if (t.find_first_of(" \t\r\n") != std::string::npos) std::abort();
    (void)lookup_form("09121234567", "otp", tokens.tokens, "sms");
  }
  const Verdict found = classify_lookup(http_status, body);
  if (found.kind == Verdict::Kind::kSent && !messageid_of(found.detail)) std::abort();
  (void)messageid_of(body);

  const StatusAnswer answer = parse_status_answer(http_status, body);
  if (!answer.error.empty() && !answer.entries.empty()) std::abort();
  if (answer.entries.size() > kMaxStatusEntries) std::abort();
  for (const MessageStatus &m : answer.entries) {
    if (m.statustext.size() > 200) std::abort();
    const bool final_status =
        m.status == 10 || m.status == 6 || m.status == 11 || m.status == 13 || m.status == 14;
    if (receipt_of(m.status).has_value() != final_status) std::abort();
  }

  const ReceiveAnswer inbox = parse_receive_answer(http_status, body);
  if (!inbox.error.empty() && (inbox.entries != 0 || inbox.failure == HALO_OK)) std::abort();
  if (inbox.error.empty() && inbox.failure != HALO_OK) std::abort();
  if (inbox.entries > kMaxReceiveEntries ||
      inbox.entries != inbox.messages.size() + inbox.unusable.size()) {
    std::abort();
  }
  static simdjson::dom::parser parser;
  for (const InboundSms &m : inbox.messages) {
    if (m.messageid <= 0 || m.sender.empty() || m.date <= 0) std::abort();
    if (m.message.size() > kMaxInboundBytes) std::abort();
    const std::string record = inbound_record(m);
    simdjson::dom::element e;
    if (parser.parse(record).get(e)) std::abort();  // valid UTF-8 in, valid JSON out
  }
  return 0;
}
