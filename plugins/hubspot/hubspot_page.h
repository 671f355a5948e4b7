// hubspot_page.h -- decodes one page of HubSpot CRM v3 contacts (the list
// and the search responses share the shape {"results": [...], "paging":
// {"next": {"after": "..."}}}) into Contacts.
//
// Invariants:
//  - A result without a string `id` or without a parseable lastmodifieddate
//    (properties.lastmodifieddate, else updatedAt) becomes a BadResult with
//    its raw JSON and the reason, never a silently dropped record.
//  - next_after is empty exactly when `paging.next.after` is absent (the
//    last page).
//  - A body that is not such an object makes parse_contact_page throw
//    std::runtime_error with a message that quotes no credential.
#pragma once

#include "hubspot_mapping.h"

#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins::hubspot {

struct BadResult {
  std::string raw;
  std::string reason;
};

struct ContactPage {
  // In response order; `position` indexes the page's results array.
  struct Entry {
    bool ok = true;
    Contact contact;
    BadResult bad;
  };
  std::vector<Entry> entries;
  std::string next_after;
};

ContactPage parse_contact_page(std::string_view body);

}  // namespace halo::plugins::hubspot
