// square_page.h -- decodes one Square search/list page ({"orders"|
// "customers": [...], "cursor": "..."}) into ready-to-emit records.
//
// Invariants:
//  - Every element of the array yields one Entry, in order: either a
//    Segment record or the element's raw JSON with the reason it could not
//    be mapped (dead-lettered by the caller, never dropped silently).
//  - Square omits an empty array: an absent array is a page of zero.
//  - next_cursor is empty exactly on the last page.
//  - A body that is not a JSON object throws std::runtime_error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace halo::plugins::square {

enum class SquareObject { kOrder, kCustomer };

struct SquarePage {
  struct Entry {
    bool ok = true;
    std::string record;  // Segment JSON when ok
    std::string raw;     // the object's JSON when !ok
    std::string reason;
  };
  std::vector<Entry> entries;
  std::string next_cursor;
};

SquarePage parse_square_page(std::string_view body, SquareObject kind, int minor_units);

}  // namespace halo::plugins::square
