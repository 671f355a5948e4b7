// hubspot_page.cpp -- contact page decoding (see hubspot_page.h).
#include "hubspot_page.h"

#include "common/wire_text.h"

#include <simdjson.h>

#include <stdexcept>

namespace halo::plugins::hubspot {

namespace {

using simdjson::dom::element;

// Fills `c` from one result; returns "" or the reason it is unusable.
std::string read_contact(element result, Contact &c) {
  std::string_view id;
  if (result["id"].get_string().get(id) || id.empty()) return "result has no string id";
  c.id = std::string(id);
  simdjson::dom::object props;
  if (!result["properties"].get_object().get(props)) {
    for (auto [key, value] : props) {
      std::string_view text;
      if (value.get_string().get(text)) continue;  // null: HubSpot's "no value"
      c.properties.emplace_back(std::string(key), std::string(text));
    }
  }
  std::string_view modified;
  if (result["properties"]["lastmodifieddate"].get_string().get(modified) &&
      result["updatedAt"].get_string().get(modified)) {
    return "contact " + c.id + " has neither properties.lastmodifieddate nor updatedAt";
  }
  auto ms = parse_rfc3339_ms(modified);
  if (!ms)
    return "contact " + c.id + " has an unreadable lastmodifieddate '" + std::string(modified) +
           "'";
  c.modified = std::string(modified);
  c.modified_ms = *ms;
  return "";
}

}  // namespace

ContactPage parse_contact_page(std::string_view body) {
  simdjson::dom::parser parser;
  element doc;
  if (parser.parse(body.data(), body.size(), true).get(doc)) {
    throw std::runtime_error("response is not JSON");
  }
  simdjson::dom::array results;
  if (doc["results"].get_array().get(results)) {
    throw std::runtime_error("response has no `results` array");
  }
  ContactPage page;
  page.entries.reserve(results.size());
  for (element result : results) {
    ContactPage::Entry entry;
    std::string reason = read_contact(result, entry.contact);
    if (!reason.empty()) {
      entry.ok = false;
      entry.bad = {simdjson::minify(result), reason};
    }
    page.entries.push_back(std::move(entry));
  }
  std::string_view after;
  if (!doc["paging"]["next"]["after"].get_string().get(after)) page.next_after = after;
  return page;
}

}  // namespace halo::plugins::hubspot
