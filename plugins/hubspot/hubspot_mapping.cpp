// hubspot_mapping.cpp -- contact -> identify record (see hubspot_mapping.h).
#include "hubspot_mapping.h"

#include "common/json_text.h"

namespace halo::plugins::hubspot {

std::string_view trait_name(std::string_view p) {
  if (p == "firstname") return "first_name";
  if (p == "lastname") return "last_name";
  if (p == "lifecyclestage") return "lifecycle_stage";
  // The id and the modification date are written elsewhere (crm_id,
  // timestamp); repeating them as traits would only add noise.
  if (p == "hs_object_id" || p == "lastmodifieddate") return "";
  return p;
}

void append_identify(const Contact &c, std::string &out) {
  out += "{\"type\":\"identify\",\"messageId\":";
  append_json_string(out, "hubspot-contact-" + c.id + "-" + c.modified);
  out += ",\"timestamp\":";
  append_json_string(out, c.modified);
  out += ",\"traits\":{\"crm_id\":";
  append_json_string(out, c.id);
  for (const auto &[name, value] : c.properties) {
    std::string_view trait = trait_name(name);
    if (trait.empty() || trait == "crm_id") continue;
    out.push_back(',');
    append_json_string(out, trait);
    out.push_back(':');
    append_json_string(out, value);
  }
  out += "}}";
}

}  // namespace halo::plugins::hubspot
