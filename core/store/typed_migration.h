// typed_migration.h -- store migration 3: traits and features stored as
// JSON text (schema versions 1-2) are re-encoded in the typed binary form
// of profile/typed_codec.h.
//
// Legacy forms: traits {"name":{"v":<json>,"p":priority,"t":ms,"s":seq},...},
// features {"name":<json>,...}. A number keeps its exact text (an integer
// literal becomes an integer, anything else an exact decimal), an array of
// strings becomes a list; an object or a mixed array cannot be represented
// and is Corruption naming the profile, so nothing is silently dropped.
// Legacy traits carry no source: their provenance source is "".
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>

#include "common/status.h"

namespace halo::store {

// Limits of the legacy JSON reader: a row of at most 64 MiB; a value nested
// deeper than an array of strings is refused; the DOM validation pass is
// bounded by simdjson's default depth limit (1024). Fuzz target legacy_rows.
inline constexpr size_t kMaxLegacyRowBytes = 64u << 20;

Result<std::string> legacy_traits_to_typed(std::string_view json);
Result<std::string> legacy_features_to_typed(std::string_view json);

// The migration's row rewrite (Migration::convert): every row of
// profiles.traits and features.features, in chunks of 1000 by id.
Status convert_rows_to_typed(sqlite3 *db, const std::string &path);

}  // namespace halo::store
