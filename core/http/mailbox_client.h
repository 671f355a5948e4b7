// mailbox_client.h -- the kernel's mailbox client: one IMAP (RFC 9051) or
// POP3 (RFC 1939) request per call through libcurl, with the TLS policy of
// curl_tls.h. The host's mailbox_request (plugin ABI 1.2) uses it, so a
// source reads a mailbox without linking curl.
//
// A request either retrieves what its URL names (libcurl's URL syntax,
// RFC 5092 for IMAP: imap://host/INBOX;UIDVALIDITY=7/;UID=42 is one
// message, pop3://host/3 is message 3) or sends one command and returns
// its answer (IMAP: the untagged `*` lines, e.g. of STATUS or UID FETCH
// without literals; POP3: a command with a multi-line answer, UIDL or
// LIST). One attempt, no retries: the source's poll schedules them. What
// an attempt ends as:
//   kAnswered  the answer is in `text`;
//   kTransient no connection, a reset, a timeout: try again later;
//   kRefused   the server said NO/BAD or -ERR, the message is not there
//              (expunged, or the mailbox's UIDVALIDITY changed), or the
//              answer is larger than max_bytes;
//   kFatal     no request can succeed: malformed call, untrusted
//              certificate, STARTTLS refused, login refused.
// Invariants: never throws; `text` never holds the password.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace halo {

struct MailboxCall {
  std::string url;  // imap://, imaps://, pop3:// or pop3s://host[:port][/path]
  std::string username, password;
  std::string ca_file;
  bool insecure = false;
  bool plaintext = false;  // imap:// or pop3:// without STARTTLS/STLS
  int timeout_ms = 30000;
  std::string command;  // "" = retrieve what the URL names
  size_t max_bytes = 0;
};

struct MailboxOutcome {
  enum class Kind { kAnswered, kTransient, kRefused, kFatal } kind = Kind::kTransient;
  std::string text;  // the answer, or why there is none
};

inline constexpr size_t kMaxMailboxAnswerBytes = 1u << 30;
inline constexpr size_t kMaxMailboxCommandBytes = 1000;

// "" when the call can be made, else what is wrong with which field.
std::string validate_mailbox_call(const MailboxCall &call);

// Requests to one server over a kept connection, as SmtpConnection does
// for SMTP: the next request goes on the same login while libcurl finds it
// alive (for IMAP the selected mailbox stays selected; for POP3 message
// numbers stay those of the session); a kept connection the server closed
// is replaced once, transparently. One caller at a time.
class MailboxConnection {
 public:
  MailboxConnection();
  ~MailboxConnection();
  MailboxConnection(const MailboxConnection &) = delete;
  MailboxConnection &operator=(const MailboxConnection &) = delete;

  MailboxOutcome request(const MailboxCall &call, const std::function<bool()> &cancelled);
  uint64_t connections() const { return connections_; }

 private:
  void *handle_ = nullptr;  // CURL *
  uint64_t connections_ = 0;
};

}  // namespace halo
