// channel_address.h -- which identifier type addresses a message channel
// (docs/messages.md): `email` messages go to an `email` identifier, `sms`
// to a `phone`; other channels carry no address ("").
#pragma once

#include <string_view>

namespace halo {

inline std::string_view channel_address_type(std::string_view channel) {
  if (channel == "email") return "email";
  if (channel == "sms") return "phone";
  return "";
}

}  // namespace halo
