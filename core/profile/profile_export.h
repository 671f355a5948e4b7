// profile_export.h -- the one profile export format (docs/export-format.md): JSON Lines,
// one profile per line, the same for `halo run` outputs, `halo profile get`
// and file destinations.
//
// {"profile_id":"42","identifiers":{"email":["a@b.ir"],...},"traits":{...},
//  "features":{...},"segments":[],"updated_at":"2026-01-02T10:00:00.000Z"}
// Identifier values are normalized and sorted; features carry exact decimal
// text for money. Traits and features arrive typed (typed_value.h); this is
// the one place they become JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "profile/typed_value.h"

namespace halo {

struct ProfileExport {
  uint64_t id = 0;
  std::vector<std::pair<std::string, std::string>> identifiers;  // (type, value), any order
  NamedValues traits;    // ascending by name (ProfileBook::export_traits)
  NamedValues features;  // in emission order
  std::vector<std::string> segments;
  int64_t updated_at_ms = 0;
};

std::string export_profile_json(const ProfileExport &p);
// Fills out->traits and out->features from their stored encodings
// (typed_codec.h). Corruption names the profile.
Status decode_stored_export(std::string_view traits, std::string_view features, ProfileExport *out);
// Sorts by (type, value) and drops repeats (a re-linked identifier): the
// order of the export format and of the typed accessors.
void sort_identifiers(std::vector<std::pair<std::string, std::string>> &ids);

}  // namespace halo
