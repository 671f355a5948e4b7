// mail_message_fuzz.cpp -- libFuzzer target for the smtp destination's
// message composition (plugins/smtp/mail_message.h): subjects, bodies,
// sender names and idempotency keys are rendered from profile data.
// Input: up to five parts separated by NUL bytes -- subject, text, html,
// sender display name, idempotency key.
// Invariants checked (abort on violation):
//  - every line of the message ends in CRLF and is at most 998 bytes;
//  - the header section holds only the composer's own headers (a rendered
//    value can never start a header line of its own);
//  - the subject's encoded words decode back to the subject;
//  - the Message-ID has no byte outside RFC 5322 atext besides <, @ and >.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "mail_message.h"

namespace {

std::vector<std::string_view> parts_of(std::string_view input) {
  std::vector<std::string_view> parts;
  while (parts.size() < 4) {
    const size_t nul = input.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(input.substr(0, nul));
    input.remove_prefix(nul + 1);
  }
  parts.push_back(input);
  while (parts.size() < 5) parts.push_back("");
  return parts;
}

std::string decoded(std::string_view value) {
  if (value.find("=?UTF-8?B?") != 0) return std::string(value);
  std::string out;
  for (size_t at = 0; (at = value.find("=?UTF-8?B?", at)) != std::string_view::npos;) {
    const size_t end = value.find("?=", at + 10);
    if (end == std::string_view::npos) std::abort();
    auto bytes = halo::plugins::base64_decode(value.substr(at + 10, end - at - 10));
    if (!bytes) std::abort();
    out += *bytes;
    at = end + 2;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::plugins::smtp;
  const std::vector<std::string_view> p =
      parts_of(std::string_view(reinterpret_cast<const char *>(data), size));
  MailSettings s;
  s.from_address = "news@shop.example";
  s.from_name = std::string(p[3]);
  s.unsubscribe_mailto = "leave@shop.example";
  halo::Message m;
  m.recipient = "sara@example.org";
  m.subject = p[0];
  m.text = p[1];
  m.html = p[2];
  m.idempotency_key = p[4];
  m.unsubscribe_url = "https://shop.example/u?m=7&t=0123456789";
  const std::string mail = compose_message(s, m, 1796278406);

  static const std::set<std::string> kHeaders = {"Date",
                                                 "From",
                                                 "To",
                                                 "Subject",
                                                 "Message-ID",
                                                 "List-Unsubscribe",
                                                 "List-Unsubscribe-Post",
                                                 "MIME-Version",
                                                 "Content-Type",
                                                 "Content-Transfer-Encoding"};
  bool in_headers = true;
  std::string subject_value;
  bool in_subject = false;
  size_t start = 0;
  while (start < mail.size()) {
    const size_t end = mail.find("\r\n", start);
    if (end == std::string::npos || end - start > 998) std::abort();
    const std::string_view line(mail.data() + start, end - start);
    if (line.find('\n') != std::string_view::npos || line.find('\r') != std::string_view::npos) {
      std::abort();  // a bare CR or LF inside a line
    }
    if (in_headers && line.empty()) in_headers = false;
    if (in_headers && !line.empty()) {
      if (line[0] == ' ') {
        if (in_subject) subject_value += line.substr(1);
      } else {
        const size_t colon = line.find(": ");
        if (colon == std::string_view::npos ||
            !kHeaders.count(std::string(line.substr(0, colon)))) {
          std::abort();
        }
        in_subject = line.substr(0, colon) == "Subject";
        if (in_subject) subject_value = line.substr(colon + 2);
        if (line.substr(0, colon) == "Message-ID") {
          for (unsigned char c : line.substr(colon + 2)) {
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '(' || c == ')' || c == ',' ||
                c == ':' || c == ';' || c == '[' || c == ']' || c == '\\') {
              std::abort();
            }
          }
        }
      }
    }
    start = end + 2;
  }
  if (decoded(subject_value) != m.subject) std::abort();
  return 0;
}
