// sendgrid_api.h -- what the `sendgrid` destination says to SendGrid's v3
// Mail Send API (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send)
// and what it makes of the answers, independent of the host.
//
// Batching: messages whose rendered subject, text and HTML are the same
// (a campaign without per-person values) go out in one request, one
// personalization each (its own `to`, its List-Unsubscribe headers and
// custom_args naming the outbox message), at most kMaxPersonalizations per
// request, SendGrid's limit. Messages with content of their own go one per
// request. SendGrid checks a whole request before it accepts any of it, so
// a batch refused as invalid (400, 413) sent nothing and is sent again one
// message at a time.
//
// Invariants: groups() puts every message index in exactly one group, in
// order of first appearance; request_body() writes valid JSON for valid
// UTF-8 text; classify() maps every status to one Verdict kind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <halo/sdk.hpp>

#include "common/message_verdict.h"

namespace halo::plugins::sendgrid {

inline constexpr size_t kMaxPersonalizations = 1000;

struct Sender {
  std::string from_address, from_name, reply_to;
};

// Indexes of `messages` grouped by identical rendered content, each group
// at most `max` long.
std::vector<std::vector<size_t>> groups(const std::vector<halo::Message> &messages, size_t max);

// The Mail Send body for `messages[group[...]]`, which share their content.
std::string request_body(const Sender &sender, const std::vector<halo::Message> &messages,
                         const std::vector<size_t> &group);

// The verdict on one answer; `now_s` turns X-RateLimit-Reset (epoch
// seconds) into a delay.
Verdict classify(int status, std::string_view body, std::optional<std::string_view> message_id,
                 std::optional<std::string_view> retry_after,
                 std::optional<std::string_view> rate_limit_reset, int64_t now_s);

// True when a refusal of a whole batch may be the fault of one of its
// messages: send them one by one instead.
bool split_after(int status);

}  // namespace halo::plugins::sendgrid
