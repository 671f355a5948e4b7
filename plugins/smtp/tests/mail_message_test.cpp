// mail_message_test.cpp -- the Internet message the smtp destination
// composes: encoded words that round-trip any text without splitting a
// character, no header injection through rendered text, CRLF lines within
// the RFC 5322 limit, MIME parts that decode to the rendered text,
// Message-IDs that are a one-to-one function of the idempotency key, and
// signed unsubscribe links.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "hard_bounce.h"
#include "mail_message.h"

namespace halo::plugins::smtp {
namespace {

// The text of a header value made of encoded words, and each word's bytes.
std::string decode_words(const std::string &value, std::vector<std::string> *chunks = nullptr) {
  std::string out;
  size_t at = 0;
  while ((at = value.find("=?UTF-8?B?", at)) != std::string::npos) {
    const size_t start = at + 10;
    const size_t end = value.find("?=", start);
    EXPECT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - at, 75u) << "encoded word longer than 75 characters";
    const auto bytes = base64_decode(value.substr(start, end - start));
    EXPECT_TRUE(bytes.has_value());
    if (chunks && bytes) chunks->push_back(*bytes);
    out += bytes.value_or("");
    at = end + 2;
  }
  return out;
}

halo::Message message(std::string_view subject, std::string_view text, std::string_view html) {
  halo::Message m;
  m.id = 7;
  m.idempotency_key = "cart:42:1001";
  m.channel = "email";
  m.recipient = "sara@example.org";
  m.subject = subject;
  m.text = text;
  m.html = html;
  return m;
}

MailSettings settings() {
  MailSettings s;
  s.from_address = "news@shop.example";
  s.from_name = "فروشگاه \"Halo\"";
  return s;
}

std::vector<std::string> lines_of(const std::string &mail) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t end; (end = mail.find("\r\n", start)) != std::string::npos; start = end + 2) {
    out.push_back(mail.substr(start, end - start));
  }
  EXPECT_EQ(start, mail.size()) << "the message must end with CRLF";
  return out;
}

// The decoded body of the MIME part with this Content-Type.
std::string part_body(const std::string &mail, const std::string &type) {
  const size_t head = mail.find("Content-Type: " + type);
  if (head == std::string::npos) return "<no part>";
  const size_t body = mail.find("\r\n\r\n", head) + 4;
  size_t end = mail.find("--", body);
  if (end == std::string::npos) end = mail.size();
  std::string b64;
  for (char c : mail.substr(body, end - body)) {
    if (c != '\r' && c != '\n') b64 += c;
  }
  return base64_decode(b64).value_or("<bad base64>");
}

TEST(HeaderText, PrintableAsciiStaysAsItIs) {
  EXPECT_EQ(encode_header_text("Your cart is waiting"), "Your cart is waiting");
}

TEST(HeaderText, AnyOtherTextRoundTripsInWordsThatNeverSplitACharacter) {
  const std::vector<std::string> texts = {
      "سبد خرید شما منتظر شماست، سارا جان! تخفیف ۲۰٪ فقط تا امشب",
      std::string(200, 'x') + "é",
      "🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒🛒",
      "price =?UTF-8?Q?free?= today",  // looks like an encoded word: encoded
      "Hi\r\nBcc: everyone@example.org",
  };
  for (const std::string &t : texts) {
    const std::string v = encode_header_text(t);
    std::vector<std::string> chunks;
    EXPECT_EQ(decode_words(v, &chunks), t);
    for (const std::string &c : chunks) {
      ASSERT_FALSE(c.empty());
      EXPECT_NE(static_cast<unsigned char>(c.front()) & 0xC0, 0x80)
          << "a word starts mid-character";
    }
    // Folded lines only: every CRLF is followed by a space.
    for (size_t p = v.find("\r\n"); p != std::string::npos; p = v.find("\r\n", p + 2)) {
      EXPECT_EQ(v[p + 2], ' ');
    }
  }
}

TEST(MessageId, IsAOneToOneFunctionOfTheKey) {
  const std::vector<std::string> keys = {"a:b", "a-b", "a=3Ab", "a.b", "a..b", ".a", "a b", "a"};
  std::set<std::string> ids;
  for (const std::string &k : keys) {
    const std::string id = message_id(k, "news@shop.example");
    EXPECT_EQ(id, message_id(k, "news@shop.example"));
    ASSERT_TRUE(id.starts_with("<") && id.ends_with("@shop.example>")) << id;
    const std::string left = id.substr(1, id.find('@') - 1);
    EXPECT_EQ(left.find_first_of(" .:\"<>()[]\\,;@"), std::string::npos) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), keys.size());
}

// consent.unsubscribe.url at its limit (300), an id and a token.
const std::string unsubscribe_link_of_the_longest_kind =
    "https://shop.example/" + std::string(279, 'u') +
    "?m=18446744073709551615&t=" + std::string(43, 'T');

TEST(MessageId, AKeyTooLongForAHeaderLineIsItsDigest) {
  const std::string key(1000, ':');
  EXPECT_EQ(header_key(key), "sha256-" + sha256_hex(key));
  EXPECT_EQ(header_key(std::string(200, 'k')), std::string(200, 'k'));
  halo::Message m = message("s", "x", "");
  m.idempotency_key = key;
  m.unsubscribe_url = unsubscribe_link_of_the_longest_kind;
  MailSettings s = settings();
  s.unsubscribe_mailto = std::string(300, 'l') + "@shop.example";
  const std::string mail = compose_message(s, m, 0);
  EXPECT_NE(mail.find("Message-ID: <sha256-" + sha256_hex(key) + "@shop.example>"),
            std::string::npos);
  for (const std::string &line : lines_of(mail)) EXPECT_LE(line.size(), 998u);
}

TEST(Date, IsTheRfc5322Form) {
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(1796278406), "Thu, 03 Dec 2026 06:13:26 +0000");
}

TEST(Compose, TextAndHtmlAreAlternativesThatDecodeToTheRenderedText) {
  const std::string text = "سلام سارا\nسبد شما: ۳ کالا\n.\nend";
  const std::string html = "<p dir=\"rtl\">سلام &lt;سارا&gt;</p>";
  const std::string mail = compose_message(settings(), message("سبد خرید", text, html), 0);
  EXPECT_NE(mail.find("Content-Type: multipart/alternative; boundary=\"=_halo_alternative\""),
            std::string::npos);
  EXPECT_EQ(part_body(mail, "text/plain"), text);
  EXPECT_EQ(part_body(mail, "text/html"), html);
  EXPECT_NE(mail.find("\r\n--=_halo_alternative--\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Message-ID: <cart=3A42=3A1001@shop.example>\r\n"), std::string::npos);
  EXPECT_NE(mail.find("To: <sara@example.org>\r\n"), std::string::npos);
  EXPECT_NE(mail.find("MIME-Version: 1.0\r\n"), std::string::npos);
  for (const std::string &line : lines_of(mail)) EXPECT_LE(line.size(), 998u);
  for (size_t p = mail.find('\n'); p != std::string::npos; p = mail.find('\n', p + 1)) {
    ASSERT_EQ(mail[p - 1], '\r') << "bare LF at " << p;
  }
}

TEST(Compose, OnePartMessagesAndTheSender) {
  const std::string html_only = compose_message(settings(), message("s", "", "<b>x</b>"), 0);
  EXPECT_EQ(part_body(html_only, "text/html"), "<b>x</b>");
  EXPECT_EQ(html_only.find("multipart"), std::string::npos);
  const std::string text_only = compose_message(settings(), message("s", "x", ""), 0);
  EXPECT_EQ(part_body(text_only, "text/plain"), "x");
  // A non-ASCII display name is an encoded word; the quotes are inside it.
  const size_t from = text_only.find("From: ");
  const std::string from_line = text_only.substr(from, text_only.find("\r\n", from) - from);
  EXPECT_EQ(decode_words(from_line), "فروشگاه \"Halo\"");
  EXPECT_TRUE(from_line.ends_with(" <news@shop.example>")) << from_line;
  MailSettings ascii = settings();
  ascii.from_name = "Shop \"Halo\"";
  EXPECT_NE(compose_message(ascii, message("s", "x", ""), 0)
                .find("From: \"Shop \\\"Halo\\\"\" <news@shop.example>\r\n"),
            std::string::npos);
}

TEST(Compose, RenderedTextCannotAddHeaders) {
  const std::string mail =
      compose_message(settings(), message("Hi\r\nBcc: all@example.org", "x", ""), 0);
  for (const std::string &line : lines_of(mail)) {
    EXPECT_FALSE(line.starts_with("Bcc:")) << "header injected: " << line;
  }
}

TEST(Compose, TheMessagesUnsubscribeLinkAndHttpsIsOneClick) {
  MailSettings s = settings();
  s.unsubscribe_mailto = "leave@shop.example";
  halo::Message m = message("s", "x", "");
  const std::string link = "https://shop.example/unsubscribe?m=7&t=" + std::string(43, 'T');
  m.unsubscribe_url = link;
  const std::string mail = compose_message(s, m, 0);
  EXPECT_NE(
      mail.find("List-Unsubscribe: <" + link +
                ">,\r\n <mailto:leave@shop.example?subject=unsubscribe%20cart%3A42%3A1001>\r\n"),
      std::string::npos)
      << mail;
  EXPECT_NE(mail.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos);
  m.unsubscribe_url = "http://shop.example/u?list=news&m=7&t=x";
  const std::string plain = compose_message(s, m, 0);
  EXPECT_NE(plain.find("List-Unsubscribe: <http://shop.example/u?list=news&m=7&t=x>,"),
            std::string::npos);
  EXPECT_EQ(plain.find("List-Unsubscribe-Post"), std::string::npos);
  // A link no header may carry is left out; the mailto: entry stays.
  m.unsubscribe_url = "https://shop.example/u?m=7&t=x>\r\nBcc: all@example.org";
  const std::string bad = compose_message(s, m, 0);
  EXPECT_NE(bad.find("List-Unsubscribe: <mailto:"), std::string::npos) << bad;
  EXPECT_EQ(bad.find("Bcc:"), std::string::npos);
  EXPECT_EQ(bad.find("List-Unsubscribe-Post"), std::string::npos);
  s.unsubscribe_mailto.clear();
  m.unsubscribe_url = "";
  EXPECT_EQ(compose_message(s, m, 0).find("List-Unsubscribe"), std::string::npos);
}

TEST(Address, BareAddressesOnly) {
  EXPECT_TRUE(is_bare_address("sara@example.org"));
  for (const char *bad : {"", "sara", "@example.org", "sara@", "Sara <s@example.org>",
                          "s@example.org\r\nRCPT TO:<x@y>", "a b@example.org", "a,b@example.org"}) {
    EXPECT_FALSE(is_bare_address(bad)) << bad;
  }
}

}  // namespace
}  // namespace halo::plugins::smtp

namespace halo::plugins::smtp {
namespace {

TEST(HardBounce, OnlyAddressingRefusalsAreBounces) {
  EXPECT_TRUE(is_hard_bounce(550, "550 5.1.1 <gone@example.org>: User unknown"));
  EXPECT_TRUE(is_hard_bounce(
      550, "Failed sending data to the peer (server: 550 5.1.1 <gone@example.org>: no)"));
  // What the host's SMTP client reports: its words, then the server's line.
  EXPECT_TRUE(is_hard_bounce(550, "RCPT failed: 550 (server: 550 5.1.1 <gone@example.org>: no)"));
  EXPECT_TRUE(is_hard_bounce(556, "556 5.1.10 null MX"));
  EXPECT_TRUE(is_hard_bounce(550, "550-5.1.1 first line"));
  EXPECT_FALSE(is_hard_bounce(554, "554 5.7.1 <x@elsewhere.example>: Relay access denied"));
  EXPECT_FALSE(is_hard_bounce(552, "552 5.3.4 Message too big"));
  EXPECT_FALSE(is_hard_bounce(550, "550 mailbox unavailable"));
  EXPECT_FALSE(is_hard_bounce(450, "450 4.1.1 try later"));
  EXPECT_FALSE(is_hard_bounce(550, "550 5.1.11 not a code we know"));
  EXPECT_FALSE(is_hard_bounce(550, "1550 5.1.1 not the reply code"));
}

}  // namespace
}  // namespace halo::plugins::smtp
