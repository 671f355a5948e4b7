// sms_keywords.h -- what a reply to an SMS says about consent, whichever
// gateway brought it: the opt-out words carriers and gateways honour
// (Twilio's STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE
// -- https://help.twilio.com/articles/223134027 -- and the Persian لغو
// "cancel" and انصراف "withdraw"), and the opt-in words (START, UNSTOP,
// YES).
//
// Invariant: a reply is a keyword only when it is exactly one of them
// (ASCII letters in any case, surrounding white space ignored): a sentence
// that contains "stop" states nothing.
#pragma once

#include <optional>
#include <string_view>

namespace halo::plugins {

// false for an opt-out keyword, true for an opt-in, nullopt otherwise.
std::optional<bool> consent_keyword(std::string_view body);

}  // namespace halo::plugins
