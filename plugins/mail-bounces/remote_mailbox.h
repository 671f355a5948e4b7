// remote_mailbox.h -- reads a bounce mailbox on an IMAP (RFC 9051) or POP3
// (RFC 1939) server through the host's mailbox client, as the `mail-bounces`
// source's alternative to a Maildir.
//
// IMAP: a poll asks STATUS for the mailbox's UIDVALIDITY and UIDNEXT; when
// UIDs past the cursor exist it lists them with their sizes (UID FETCH
// n:* (UID RFC822.SIZE)) and fetches each by UID, in UID order. The cursor
// is the UIDVALIDITY and the last UID read whole: a mailbox whose
// UIDVALIDITY changed (recreated) is read again from its start, and its
// events are duplicates by message id. POP3 has no such order: a poll
// lists UIDL and LIST and fetches every message whose unique id the
// cursor does not hold; the cursor keeps the ids still on the server.
//
// Invariants: a mail is read whole before its first event goes out; the
// cursor names the mail being handed over and how many of its events are
// out, so a run stopped in the middle of a mail goes on with the next
// event. Nothing is written to the server (IMAP marks fetched mail \Seen).
// A server error stops the batch with HALO_RETRY (transient) or HALO_FATAL
// (set-up: login, TLS, a missing mailbox); a message the server refuses to
// return is a dead letter, never skipped in silence.
#pragma once

#include <halo/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/file_source_core.h"
#include "mailbox_answers.h"
#include "report_reader.h"

namespace halo::plugins::mail_bounces {

// Where the mailbox is: the scheme and authority, and for IMAP the
// mailbox (the URL's path, INBOX when empty).
struct MailboxServer {
  enum class Protocol { kImap, kPop3 } protocol = Protocol::kImap;
  std::string base;     // imaps://host:993
  std::string mailbox;  // IMAP only, as written in the URL (percent-encoded)
};

// The server of an `url` option, or nullopt with why.
std::optional<MailboxServer> parse_mailbox_url(const std::string &url, std::string &why);

using MailboxCall = std::function<halo::MailboxReply(const halo::MailboxRequest &)>;

class RemoteMailbox {
 public:
  // `login` holds the credentials and TLS settings every request carries.
  RemoteMailbox(MailboxServer server, halo::MailboxRequest login, size_t max_report_bytes,
                MailboxCall call);

  // False (with why) for a cursor this source did not write.
  bool restore(std::string_view cursor, std::string &why);
  std::string cursor() const;
  // Hands over up to max_records records; calls end_of_data once every
  // listed mail is out (the next call polls the server again).
  void next_batch(CountingSink &sink, uint32_t max_records);

 private:
  void poll();
  void poll_imap();
  void poll_pop3();
  // Fetches and reads the front mail; false when the server could not be
  // reached (nothing changed).
  bool open_front(CountingSink &sink);
  std::string ask(const std::string &url, const std::string &command, const char *what);
  std::string where(const ListedMail &mail) const;

  MailboxServer server_;
  halo::MailboxRequest login_;
  size_t max_bytes_;
  MailboxCall call_;

  // The cursor: IMAP's UIDVALIDITY and last UID read whole; POP3's ids
  // read whole; the mail being handed over (IMAP UID or POP3 id) and how
  // many of its events are out.
  uint32_t uid_validity_ = 0, last_uid_ = 0;
  std::set<std::string, std::less<>> read_ids_;
  std::string partial_id_;
  size_t partial_done_ = 0;

  std::deque<ListedMail> queue_;  // listed, not yet read whole
  std::optional<MailReading> front_;
  bool polled_ = false;
};

}  // namespace halo::plugins::mail_bounces
