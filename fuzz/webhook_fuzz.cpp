// webhook_fuzz.cpp -- libFuzzer target for webhook request handling, with
// no sockets: (1) the woocommerce receiver's decisions (WebhookIntake) on
// arbitrary bodies and headers, half of them correctly signed so the JSON
// mapping is reached; (2) Beast's request parser on raw bytes under the
// kernel server's limits.
// Invariants checked: the answer is one of 200/400/401/405/503 with a JSON
// body; an unsigned or wrongly signed delivery is never queued; every
// queued record is a JSON object; the queue never exceeds its capacity; a
// parsed request never exceeds the header and body limits, and
// split_target() splits its target losslessly.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "common/crypto.h"
#include "http_server/server_exchange.h"
#include "json_syntax.h"
#include "webhook_intake.h"

namespace {

constexpr char kSecret[] = "whsec_fuzz";
constexpr size_t kCapacity = 2;
constexpr uint32_t kHeaderLimit = 2048;
constexpr uint64_t kBodyLimit = 4096;

// Valid JSON (numbers of any size: Halo keeps their exact text) and an
// object at the top.
bool is_json_object(const std::string &text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string::npos && text[i] == '{' && halo::fuzz::is_json_text(text);
}

// Input: flags byte, topic up to '\n', signature up to '\n', body = rest.
void fuzz_intake(std::string_view in) {
  uint8_t flags = static_cast<uint8_t>(in[0]);
  in.remove_prefix(1);
  size_t nl = in.find('\n');
  std::string_view topic = in.substr(0, nl);
  in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  nl = in.find('\n');
  std::string_view signature = in.substr(0, nl);
  std::string body(nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1));

  halo::woo::WebhookIntake intake(kSecret, halo::woo::StatusEvents::defaults(), kCapacity);
  halo::woo::WebhookRequest r;
  r.method = (flags & 1) ? "POST" : "GET";
  r.body = body;
  std::string good = halo::plugins::base64_encode(
      halo::plugins::hmac(halo::plugins::HmacAlgorithm::kSha256, kSecret, body));
  bool signed_ok = (flags & 2) != 0;
  r.headers = {{"X-WC-Webhook-Topic", std::string(topic)},
               {"x-wc-webhook-signature", signed_ok ? good : std::string(signature)}};
  for (int round = 0; round < 3; ++round) {  // repeats exercise dedup and the bound
    halo::woo::WebhookReply reply = intake.handle(r);
    int s = reply.status;
    if (s != 200 && s != 400 && s != 401 && s != 405 && s != 503) std::abort();
    if (!is_json_object(reply.body)) std::abort();
    if ((s == 503) != (reply.retry_after_seconds > 0)) std::abort();
    bool sig_matches = signed_ok || signature == good;
    if (reply.body.find("queued") != std::string::npos && !sig_matches) std::abort();
  }
  std::vector<std::string> out;
  if (intake.take(out, 100, 0) > kCapacity) std::abort();
  for (const auto &record : out) {
    if (!is_json_object(record)) std::abort();
  }
}

void fuzz_parser(std::string_view in) {
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(kBodyLimit);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = parser.put(boost::asio::buffer(in.data(), in.size()), ec);
  if (used > in.size()) std::abort();
  if (!parser.is_header_done()) return;
  const auto &msg = parser.get();
  if (msg.body().size() > kBodyLimit) std::abort();
  auto target = msg.target();
  std::string path, query;
  halo::split_target(std::string_view(target.data(), target.size()), path, query);
  std::string joined = query.empty() && target.find('?') == target.npos ? path : path + "?" + query;
  if (joined != std::string_view(target.data(), target.size())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  std::string_view in(reinterpret_cast<const char *>(data) + 1, size - 1);
  if (data[0] & 0x80) {
    fuzz_parser(in);
  } else {
    fuzz_intake(in);
  }
  return 0;
}
