// profile_reads.cpp -- stored profiles in the export form (profile_reads.h).
#include "store/profile_reads.h"

#include <algorithm>
#include <cstdint>
#include <functional>

namespace halo {

bool IdentifierTypes::wants(std::string_view type) const {
  return every || std::find(types.begin(), types.end(), type) != types.end();
}

Result<std::optional<ProfileExport>> read_profile_export(Store &store, uint64_t id,
                                                         bool identifiers) {
  auto stored = store.get_profile(id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<ProfileExport>();
  ProfileExport e;
  e.id = id;
  e.updated_at_ms = (*stored)->updated_at_ms;
  Status s = decode_stored_export((*stored)->traits, (*stored)->features, &e);
  if (!s.ok()) return s;
  auto segments = store.segments_of(id);
  if (!segments.ok()) return segments.status();
  e.segments = std::move(*segments);
  if (identifiers) {
    auto ids = store.identifiers_of(id);
    if (!ids.ok()) return ids.status();
    e.identifiers = std::move(*ids);
    sort_identifiers(e.identifiers);
  }
  return std::optional<ProfileExport>(std::move(e));
}

namespace {

using IdentifierRow = std::function<void(uint64_t, std::string_view, std::string_view)>;
using SegmentRow = std::function<void(uint64_t, std::string_view)>;

// Fills a page of profiles in the export form, reusing the objects the
// page held before: their vectors keep their capacity (a profile read into
// a new object cost about a dozen allocations, a tenth of a segment
// evaluation).
class PageFiller {
 public:
  explicit PageFiller(std::vector<ProfileExport> &page) : page_(page) {}
  ~PageFiller() { page_.resize(used_); }
  PageFiller(const PageFiller &) = delete;
  PageFiller &operator=(const PageFiller &) = delete;

  // Adds the profile; `decoded` keeps the first decoding failure.
  void add(const StoredProfile &p, Status &decoded) {
    if (used_ == page_.size()) page_.emplace_back();
    ProfileExport &e = page_[used_++];
    e.id = p.id;
    e.updated_at_ms = p.updated_at_ms;
    e.identifiers.clear();
    e.segments.clear();
    if (decoded.ok()) decoded = decode_stored_export(p.traits, p.features, &e);
  }

 private:
  std::vector<ProfileExport> &page_;
  size_t used_ = 0;
};

// Adds to the profiles of `page` (ascending ids) their identifiers (those
// asked for) and segments, from reads whose rows come by ascending profile id:
// merged on the page's ids. `gone`, when given, receives the ids of
// membership rows no profile of the page has.
Status complete_page(std::vector<ProfileExport> &page, const IdentifierTypes &identifiers,
                     const std::function<Status(const IdentifierRow &)> &read_identifiers,
                     const std::function<Status(const SegmentRow &)> &read_segments,
                     std::vector<uint64_t> *gone = nullptr) {
  size_t next = 0;  // page[next] is the first profile whose rows may follow
  auto at = [&](uint64_t id) -> ProfileExport * {
    while (next < page.size() && page[next].id < id) ++next;
    return next < page.size() && page[next].id == id ? &page[next] : nullptr;
  };
  if (identifiers.any() && !page.empty()) {
    Status s = read_identifiers([&](uint64_t id, std::string_view type, std::string_view value) {
      if (!identifiers.wants(type)) return;
      if (ProfileExport *e = at(id)) e->identifiers.emplace_back(type, value);
    });
    if (!s.ok()) return s;
    for (ProfileExport &e : page) sort_identifiers(e.identifiers);
  }
  next = 0;
  return read_segments([&](uint64_t id, std::string_view segment) {
    if (ProfileExport *e = at(id)) {
      e->segments.emplace_back(segment);
    } else if (gone && (gone->empty() || gone->back() != id)) {
      gone->push_back(id);
    }
  });
}

}  // namespace

Status read_profile_page(Store &store, uint64_t after, size_t limit,
                         const IdentifierTypes &identifiers, std::vector<ProfileExport> &page,
                         std::vector<uint64_t> *gone) {
  Status decoded;
  Status s;
  {
    PageFiller filler(page);
    s = store.scan_profiles(after, limit, [&](const StoredProfile &p) { filler.add(p, decoded); });
  }
  if (!s.ok() || !decoded.ok()) return s.ok() ? decoded : s;
  if (page.empty() && !gone) return Status::Ok();
  // With `gone`, memberships are read from after `after` (to the end past
  // the last page), so that rows between the page's ids are seen.
  constexpr uint64_t kEnd = INT64_MAX;  // above every id (store.h)
  const uint64_t first = page.empty() ? kEnd : page.front().id;
  const uint64_t last = page.empty() ? kEnd : page.back().id;
  const uint64_t from = gone ? std::min(after, kEnd - 1) + 1 : first;
  return complete_page(
      page, identifiers,
      [&](const IdentifierRow &row) { return store.scan_identifiers_by_profile(first, last, row); },
      [&](const SegmentRow &row) { return store.scan_segments_by_profile(from, last, row); }, gone);
}

Status read_profile_exports(Store &store, std::span<const uint64_t> ids,
                            const IdentifierTypes &identifiers, std::vector<ProfileExport> &page) {
  Status decoded;
  Status s;
  {
    PageFiller filler(page);
    s = store.get_profiles(ids, [&](const StoredProfile &p) { filler.add(p, decoded); });
  }
  if (!s.ok()) return s;
  if (!decoded.ok() || page.empty()) return decoded;
  // Rows of ids not stored (merged away since) match no profile of the page.
  return complete_page(
      page, identifiers,
      [&](const IdentifierRow &row) {
        return store.scan_links_of(
            ids, [&](uint64_t id, std::string_view type, std::string_view value, int64_t) {
              row(id, type, value);
            });
      },
      [&](const SegmentRow &row) { return store.scan_segments_of(ids, row); });
}

Result<std::optional<ProfileExport>> read_live_profile_export(Store &store, uint64_t id) {
  auto stored = read_profile_export(store, id);
  if (!stored.ok() || stored->has_value()) return stored;
  auto live = store.live_profile(id);
  if (!live.ok()) return live.status();
  if (*live == id) return stored;
  return read_profile_export(store, *live);
}

}  // namespace halo
