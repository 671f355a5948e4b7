// twilio_webhook_fuzz.cpp -- a Twilio webhook body comes from anyone who
// can reach `halo serve` (plugins/twilio/twilio_webhook.h). For any bytes
// the form parser returns nothing or at most its field limit; what it
// returns re-encodes to the same fields; a status report or keyword is
// read without crashing; a signature made for the fields verifies, and not
// for a changed URL. The same bytes as a JSON body: see check_json.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/crypto.h"
#include "common/wire_text.h"
#include "twilio_webhook.h"

namespace {

// The bytes as a JSON-bodied webhook: at most the field limit comes out,
// and a URL hashing exactly these bytes verifies, where one more byte of
// body does not.
void check_json(std::string_view body) {
  using namespace halo::plugins;
  using namespace halo::plugins::twilio;
  if (auto fields = json_fields(body, 32); fields && fields->size() > 32) std::abort();
  const std::string url = "https://cdp.example/twilio/inbound?bodySHA256=" + sha256_hex(body);
  const std::string signature = twilio_signature("token", url, FormFields{});
  if (!json_signature_valid("token", url, body, signature)) std::abort();
  if (json_signature_valid("token", url, std::string(body) + " ", signature)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::plugins;
  using namespace halo::plugins::twilio;
  const std::string_view body(reinterpret_cast<const char *>(data), size);
  const auto fields = parse_form(body, 32);
  (void)consent_keyword(body);
  (void)callback_message_id(body);
  (void)is_json_media_type(body);
  check_json(body);
  if (!fields) return 0;
  if (fields->size() > 32) std::abort();
  std::string again;
  for (const auto &[name, value] : *fields) {
    again += (again.empty() ? "" : "&") + url_encode(name) + "=" + url_encode(value);
  }
  if (parse_form(again, 32) != fields) std::abort();
  if (auto report = status_report(*fields); report && report->message_sid.size() > 64) {
    std::abort();
  }
  const std::string url = "https://cdp.example/twilio/status?m=1";
  const std::string signature = twilio_signature("token", url, *fields);
  if (!signature_valid("token", url, *fields, signature)) std::abort();
  if (signature_valid("token", url + "0", *fields, signature)) std::abort();
  return 0;
}
