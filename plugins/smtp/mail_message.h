// mail_message.h -- the Internet message (RFC 5322 + MIME, RFC 2045-2047)
// the `smtp` destination sends for one outbox message.
//
// Invariants, for any message and any rendered text:
//  - every line ends in CRLF and is at most 998 bytes (RFC 5322 2.1.1);
//  - no header can be injected: header text with anything but printable
//    ASCII is sent as RFC 2047 encoded words (UTF-8, base64), each at most
//    75 characters and never splitting a UTF-8 sequence;
//  - bodies are UTF-8 in base64 (lines of 76), so any text survives any
//    relay; text and html together are multipart/alternative (RFC 2046);
//  - the Message-ID is a function of the idempotency key alone, so every
//    attempt of a message carries the same one and a receiver can drop a
//    repeat (SMTP has no idempotency key of its own). A key longer than
//    200 bytes is represented by its SHA-256 (header_key), so no header
//    line outgrows the limit whatever the key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <halo/sdk.hpp>

#include "common/wire_text.h"  // is_bare_address

namespace halo::plugins::smtp {

struct MailSettings {
  std::string from_address;  // bare address
  std::string from_name;     // display name, may be empty
  std::string reply_to;      // bare address, may be empty
  // RFC 2369: a mailto: List-Unsubscribe beside the message's own link
  // (halo::Message::unsubscribe_url, signed by the kernel); may be empty.
  std::string unsubscribe_mailto;
};

// The whole message, headers and body, dated `now_s` (UTC epoch seconds).
std::string compose_message(const MailSettings &settings, const halo::Message &m, int64_t now_s);

// Header text as is when it is printable ASCII without "=?", else RFC 2047
// encoded words folded onto continuation lines.
std::string encode_header_text(std::string_view text);

// The key as headers carry it: itself up to 200 bytes, else
// "sha256-<hex of its SHA-256>".
std::string header_key(std::string_view idempotency_key);

// <id@domain>: header_key(key) with every byte outside RFC 5322 atext
// (and '=' and '.') as =XX.
std::string message_id(std::string_view idempotency_key, std::string_view from_address);

// "Thu, 03 Dec 2026 06:09:13 +0000" (RFC 5322 3.3).
std::string rfc5322_date(int64_t epoch_s);

}  // namespace halo::plugins::smtp
