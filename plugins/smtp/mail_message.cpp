// mail_message.cpp -- see mail_message.h.
#include "mail_message.h"

#include <cstdio>
#include <ctime>

#include "common/crypto.h"
#include "common/wire_text.h"

namespace halo::plugins::smtp {
namespace {

constexpr size_t kWordInputBytes = 45;  // 60 base64 chars + 12 = 72 <= 75
constexpr size_t kPlainHeaderMax = 900;
constexpr size_t kBodyLine = 76;
constexpr size_t kMaxKeyInHeaders = 200;

bool printable_ascii(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

bool is_atext(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/?^_`{|}~").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

std::string hex_byte(unsigned char c) {
  static const char kHex[] = "0123456789ABCDEF";
  return {'=', kHex[c >> 4], kHex[c & 15]};
}

void header(std::string &out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

// Base64 of the UTF-8 text in lines of 76.
std::string base64_body(std::string_view text) {
  const std::string b64 = base64_encode(text);
  std::string out;
  out.reserve(b64.size() + b64.size() / kBodyLine * 2 + 2);
  for (size_t i = 0; i < b64.size(); i += kBodyLine) {
    out.append(b64, i, kBodyLine).append("\r\n");
  }
  return out;
}

void part(std::string &out, std::string_view type, std::string_view text) {
  header(out, "Content-Type", std::string(type) + "; charset=UTF-8");
  header(out, "Content-Transfer-Encoding", "base64");
  out += "\r\n";
  out += base64_body(text);
}

std::string mailbox(std::string_view name, std::string_view address) {
  if (name.empty()) return "<" + std::string(address) + ">";
  std::string shown;
  if (printable_ascii(name) && name.find("=?") == std::string_view::npos) {
    shown = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') shown += '\\';
      shown += c;
    }
    shown += '"';
  } else {
    shown = encode_header_text(name);
  }
  return shown + " <" + std::string(address) + ">";
}

// consent.unsubscribe.url (at most 300) + "?m=" + an id (at most 20) +
// "&t=" + a token (43): the header line stays far below RFC 5322's 998.
constexpr size_t kMaxUnsubscribeUrl = 400;

// The kernel's link (checked by the pipeline's consent.unsubscribe: at
// most 300 characters without spaces or angle brackets, plus an id and a
// 43-character token) and the optional mailto: address.
void unsubscribe_headers(std::string &out, const MailSettings &s, const halo::Message &m) {
  std::string links;
  const std::string_view url = m.unsubscribe_url;
  const bool usable = url.size() <= kMaxUnsubscribeUrl &&
                      url.find_first_of("<> \r\n") == std::string_view::npos &&
                      (url.starts_with("https://") || url.starts_with("http://"));
  if (usable) links = "<" + std::string(url) + ">";
  if (!s.unsubscribe_mailto.empty()) {
    if (!links.empty()) links += ",\r\n ";
    links += "<mailto:" + s.unsubscribe_mailto + "?subject=unsubscribe%20" +
             url_encode(header_key(m.idempotency_key)) + ">";
  }
  if (links.empty()) return;
  header(out, "List-Unsubscribe", links);
  // RFC 8058: one-click only for an https link the receiver can POST to.
  if (usable && url.starts_with("https://")) {
    header(out, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
  }
}

}  // namespace

std::string header_key(std::string_view key) {
  if (key.size() <= kMaxKeyInHeaders) return std::string(key);
  return "sha256-" + sha256_hex(key);
}

std::string encode_header_text(std::string_view text) {
  if (printable_ascii(text) && text.find("=?") == std::string_view::npos &&
      text.size() <= kPlainHeaderMax) {
    return std::string(text);
  }
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t n = std::min(kWordInputBytes, text.size() - i);
    // Back off to a character boundary (a run of more continuation bytes
    // than a word holds is not UTF-8; it is cut anywhere).
    size_t cut = n;
    while (cut > 0 && i + cut < text.size() &&
           is_continuation(static_cast<unsigned char>(text[i + cut]))) {
      --cut;
    }
    if (cut > 0) n = cut;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(text.substr(i, n)) + "?=";
    i += n;
  }
  return out;
}

std::string message_id(std::string_view key, std::string_view from_address) {
  std::string left;
  // '=' and '.' are escaped too, so the mapping is one-to-one and the
  // result is a dot-atom without dots.
  for (unsigned char c : header_key(key)) {
    left += (is_atext(c) && c != '=') ? std::string(1, c) : hex_byte(c);
  }
  if (left.empty()) left = "halo";
  const size_t at = from_address.rfind('@');
  const std::string_view domain =
      at == std::string_view::npos ? std::string_view("halo.invalid") : from_address.substr(at + 1);
  return "<" + left + "@" + std::string(domain) + ">";
}

std::string rfc5322_date(int64_t epoch_s) {
  const std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char *kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string compose_message(const MailSettings &s, const halo::Message &m, int64_t now_s) {
  std::string out;
  header(out, "Date", rfc5322_date(now_s));
  header(out, "From", mailbox(s.from_name, s.from_address));
  header(out, "To", "<" + std::string(m.recipient) + ">");
  if (!s.reply_to.empty()) header(out, "Reply-To", "<" + s.reply_to + ">");
  header(out, "Subject", encode_header_text(m.subject));
  header(out, "Message-ID", message_id(m.idempotency_key, s.from_address));
  unsubscribe_headers(out, s, m);
  header(out, "MIME-Version", "1.0");
  if (!m.html.empty() && !m.text.empty()) {
    // "=_" never occurs in base64 lines, so the bodies cannot hold it.
    const std::string boundary = "=_halo_alternative";
    header(out, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
    out += "\r\n--" + boundary + "\r\n";
    part(out, "text/plain", m.text);
    out += "--" + boundary + "\r\n";
    part(out, "text/html", m.html);
    out += "--" + boundary + "--\r\n";
  } else if (!m.html.empty()) {
    part(out, "text/html", m.html);
  } else {
    part(out, "text/plain", m.text);
  }
  return out;
}

}  // namespace halo::plugins::smtp
