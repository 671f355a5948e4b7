// message_cap.cpp -- see message_cap.h.
#include "config/message_cap.h"

#include <halo/units.hpp>

#include "config/scalar_parse.h"

namespace halo {

bool read_message_cap(MapReader &parent, const std::string &key, Diagnostics &diags,
                      MessageCap &out) {
  YAML::Node node;
  Mark at;
  if (!parent.has(key)) return true;
  if (!parent.read_mapping(key, node, at)) return false;
  MapReader map(node, parent.path_of(key), {"messages", "within"}, diags, at);
  bool ok = map.require("messages", "messages: 1") &&
            map.read_int("messages", out.messages, 1, 1'000'000);
  std::string within;
  if (map.read_string("within", within)) {
    std::optional<int64_t> ms = parse_duration_ms(within);
    if (!ms || *ms < kMinWindowMs || *ms > kMaxWindowMs) {
      diags.error(map.value_mark("within"), map.path_of("within"),
                  "within '" + shorten_for_message(within) +
                      "' must be a duration from 1m to 3660d such as 7d (leave it out for ever)");
      ok = false;
    } else {
      out.within_ms = *ms;
    }
  }
  return ok;
}

}  // namespace halo
