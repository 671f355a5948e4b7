// smtp_client.h -- the kernel's SMTP client: one message to one server per
// call through libcurl (RFC 5321 submission: EHLO, STARTTLS, AUTH, MAIL,
// RCPT, DATA), with the TLS policy of curl_tls.h. The host's smtp_send
// (plugin ABI 1.2) uses it, so plugins never link curl.
//
// One attempt, no retries: the outbox schedules them. send_smtp opens a
// connection per call; an SmtpConnection keeps its connection open for the
// next message (see below). What an attempt ends as:
//   kAccepted  2xx after DATA (the reply names the server's queue id);
//   kTransient a 4xx reply, or no connection, a reset or a timeout --
//              including a connection lost after DATA was sent, so a
//              message may arrive twice (its Message-ID is the same);
//   kRefused   a 5xx reply to MAIL, RCPT or DATA: this message never goes;
//   kFatal     no message can go: malformed call, untrusted certificate,
//              STARTTLS refused or missing, authentication refused.
// Invariants: never throws; `reply` never holds the password.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace halo {

struct SmtpCall {
  std::string url;  // smtp://host[:port][/ehlo-name] or smtps://...
  std::string username, password;
  std::string ca_file;
  bool insecure = false;
  bool plaintext = false;  // smtp:// without STARTTLS
  int timeout_ms = 30000;
  std::string mail_from;
  std::vector<std::string> recipients;
  std::string data;  // RFC 5322 message, CRLF line ends
};

struct SmtpOutcome {
  enum class Kind { kAccepted, kTransient, kRefused, kFatal } kind = Kind::kTransient;
  int reply_code = 0;  // last reply code, 0 when none came
  std::string reply;   // last reply line, or the transport error
};

inline constexpr size_t kMaxSmtpMessageBytes = 32u << 20;
inline constexpr size_t kMaxSmtpRecipients = 100;

// "" when the call can be made, else what is wrong with which field.
std::string validate_smtp_call(const SmtpCall &call);

// Sends the message on a connection of its own, closed after it;
// `cancelled` is polled during the session.
SmtpOutcome send_smtp(const SmtpCall &call, const std::function<bool()> &cancelled);

// Messages to a server over one kept connection: after the first, the
// next goes on the same connection (MAIL, RCPT, DATA again: no new TCP or
// TLS handshake, EHLO or AUTH) while libcurl finds it alive, the server,
// credentials and TLS settings are the same and it is younger than
// libcurl's maximum connection age (CURLOPT_MAXAGE_CONN, 118 s); else a
// new one opens. A kept connection the server closed without a reply
// (idle timeout, restart) costs nothing: with no reply, nothing was
// accepted, so the message goes once more on a new connection. The
// destructor ends the session (QUIT). One caller at a time.
class SmtpConnection {
 public:
  SmtpConnection();
  ~SmtpConnection();
  SmtpConnection(const SmtpConnection &) = delete;
  SmtpConnection &operator=(const SmtpConnection &) = delete;

  // As send_smtp, on the kept connection.
  SmtpOutcome send(const SmtpCall &call, const std::function<bool()> &cancelled);
  // Connections opened so far.
  uint64_t connections() const { return connections_; }

 private:
  void *handle_ = nullptr;  // CURL *, kept between messages
  uint64_t connections_ = 0;
};

}  // namespace halo
