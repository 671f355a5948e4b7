// profile_reads.h -- stored profiles in the export form
// (profile/profile_export.h): traits and features decoded, with their
// segments and, when asked, their identifiers (sorted). What delivery,
// segment evaluation, triggers and the read-only commands all read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "profile/profile_export.h"
#include "store/store.h"

namespace halo {

// The identifiers a page read fills in: every type, or only those of
// `types` (none when empty). A segment evaluation asks for the types its
// expressions read: most profiles' identifiers are of other types (an
// anonymous id each), and each one kept costs a copy.
struct IdentifierTypes {
  bool every = false;
  std::vector<std::string> types;  // when not `every`

  static IdentifierTypes all() { return {true, {}}; }
  bool any() const { return every || !types.empty(); }
  bool wants(std::string_view type) const;
};

// Profile `id`; nullopt when the store holds no such profile.
Result<std::optional<ProfileExport>> read_profile_export(Store &store, uint64_t id,
                                                         bool identifiers = true);

// The profile `id` is now: itself, or the one it was merged into since
// (Store::live_profile); nullopt when the store holds neither.
Result<std::optional<ProfileExport>> read_live_profile_export(Store &store, uint64_t id);

// Replaces `page` with up to `limit` profiles with ids above `after`,
// ascending: one range read for the profiles, one for their identifiers
// (those asked for) and one for their segments. Empty at the end. `gone`, when
// given, gets the ids above `after` and up to the page's last (any above
// `after` once the page is empty) that hold segment memberships but no
// profile, ascending: reading every page so finds each once.
Status read_profile_page(Store &store, uint64_t after, size_t limit,
                         const IdentifierTypes &identifiers, std::vector<ProfileExport> &page,
                         std::vector<uint64_t> *gone = nullptr);

// Replaces `page` with the stored ones of the profiles `ids` (ascending, no
// repeats), ascending: read_profile_export() for each, in one read per
// table instead of one per profile and table.
Status read_profile_exports(Store &store, std::span<const uint64_t> ids,
                            const IdentifierTypes &identifiers, std::vector<ProfileExport> &page);

}  // namespace halo
