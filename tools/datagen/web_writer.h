// web_writer.h -- web_events.jsonl: Segment events from the website/app.
//
// Invariants: visitors browse anonymously on 1-3 devices (one for visitors who
// never sign in); an identified person signs in (identify with anonymousId +
// userId + traits.email) on every device, so all devices link. Re-sent
// duplicates are byte-identical copies of a valid line; malformed lines are
// extra copies of a person's event (truncated, invalid UTF-8, or without
// `type`), so they never carry an identifier that valid lines do not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "person_model.h"

namespace halo::datagen {

struct WebStats {
  uint64_t lines = 0;         // all lines in the file
  uint64_t valid_events = 0;  // distinct valid messages
  uint64_t duplicates = 0;    // extra copies of valid messages
  uint64_t malformed = 0;     // lines the pipeline must dead-letter
};

// Appends the file's content to `out` and records emitted identifiers in
// each person's truth.
WebStats generate_web_events(std::vector<Person> &persons, uint64_t seed, std::string &out);

}  // namespace halo::datagen
