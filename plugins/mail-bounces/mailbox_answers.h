// mailbox_answers.h -- reads the answers of the IMAP (RFC 9051) and POP3
// (RFC 1939) commands the `mail-bounces` source sends through the host's
// mailbox client:
//   IMAP  STATUS <mailbox> (UIDVALIDITY UIDNEXT)
//           -> "* STATUS INBOX (UIDNEXT 7 UIDVALIDITY 1796488720)"
//         UID FETCH <n>:* (UID RFC822.SIZE)
//           -> "* 3 FETCH (UID 42 RFC822.SIZE 2301)" per message
//   POP3  UIDL -> "1 000000016b143e10" per message
//         LIST -> "1 2301" per message
// The server is not trusted: every reader has limits (kMaxListedMails
// entries, kMaxAnswerLine bytes a line), ignores lines it does not know
// (untagged EXISTS, FLAGS, ...) and refuses malformed numbers instead of
// reading them as zero. Never throws on any input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins::mail_bounces {

inline constexpr size_t kMaxListedMails = 1'000'000;
inline constexpr size_t kMaxAnswerLine = 4096;
inline constexpr size_t kMaxUidlBytes = 70;  // RFC 1939: 1 to 70 characters 0x21-0x7E

struct ImapMailboxStatus {
  uint32_t uid_validity = 0;
  uint32_t uid_next = 0;
};

// One message the server lists: IMAP UID or POP3 message number, its size
// in bytes (0 when not listed), and its POP3 unique id.
struct ListedMail {
  uint32_t number = 0;
  uint64_t size = 0;
  std::string uidl;
};

// The STATUS answer's UIDVALIDITY and UIDNEXT (both required, non-zero
// UIDVALIDITY), or nullopt with `why`.
std::optional<ImapMailboxStatus> read_imap_status(std::string_view answer, std::string &why);

// The UID FETCH answer's messages, in UID order, each UID once; nullopt
// with `why` when a FETCH line lacks a UID or holds a malformed number, or
// there are more than kMaxListedMails.
std::optional<std::vector<ListedMail>> read_imap_sizes(std::string_view answer, std::string &why);

// POP3 UIDL and LIST answers joined by message number: the messages with
// a unique id, in message order, each with its size (0 when LIST did not
// list it); nullopt with `why` for a malformed line, a repeated number or
// unique id, or more than kMaxListedMails.
std::optional<std::vector<ListedMail>> read_pop3_listing(std::string_view uidl,
                                                         std::string_view list, std::string &why);

}  // namespace halo::plugins::mail_bounces
