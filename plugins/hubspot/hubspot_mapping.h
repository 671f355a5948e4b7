// hubspot_mapping.h -- one HubSpot contact -> one Segment `identify` record.
//
// Invariants:
//  - messageId is "hubspot-contact-<id>-<lastmodifieddate>": stable across
//    re-fetches of the same version (the kernel drops the replay) and new
//    for every modification (the changed traits count again).
//  - traits.crm_id is the contact id (the `crm_id` identifier); HubSpot's
//    email/firstname/lastname/phone/lifecyclestage become email/first_name/
//    last_name/phone/lifecycle_stage; other requested properties keep their
//    HubSpot name; null/absent properties are omitted, never written as "".
//  - The output is one JSON object; append_identify only appends to `out`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halo::plugins::hubspot {

struct Contact {
  std::string id;
  std::string modified;  // lastmodifieddate as sent (RFC 3339)
  int64_t modified_ms = 0;
  // Non-null string properties, in response order.
  std::vector<std::pair<std::string, std::string>> properties;
};

// The trait name a HubSpot property is written under ("" = not a trait).
std::string_view trait_name(std::string_view hubspot_property);

void append_identify(const Contact &contact, std::string &out);

}  // namespace halo::plugins::hubspot
