// store_segments.cpp -- live segment membership: the segments kept, each
// profile's memberships, their changes and the re-check schedule
// (contracts in store.h; tables in schema.cpp). A profile's memberships
// are one row (names ascending, joined by ','), so an evaluation writes a
// row per changed profile whatever the number of segments.
#include <algorithm>
#include <functional>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "store/store_impl.h"

namespace halo {

namespace {

constexpr Sql kDefinitions{"segment_definitions", "segment_definitions",
                           "SELECT name, expression, size, changed_at_ms FROM segment_definitions "
                           "ORDER BY name",
                           "ttii"};
constexpr Sql kDefine{"define_segment", "segment_definitions",
                      "INSERT INTO segment_definitions(name, expression, size, changed_at_ms) "
                      "VALUES(?1, ?2, 0, ?3) ON CONFLICT(name) DO UPDATE SET "
                      "expression = excluded.expression"};
constexpr Sql kDropDefinition{"drop_segment", "segment_definitions",
                              "DELETE FROM segment_definitions WHERE name = ?1"};
constexpr Sql kResize{"change_segments", "segment_definitions",
                      "UPDATE segment_definitions SET size = size + ?2, "
                      "changed_at_ms = max(changed_at_ms, ?3) WHERE name = ?1"};
constexpr Sql kGetMembership{"segments_of", "segment_members",
                             "SELECT segments FROM segment_members WHERE profile_id = ?1", "t"};
constexpr Sql kDeleteMembership{"change_segments", "segment_members",
                                "DELETE FROM segment_members WHERE profile_id = ?1"};
constexpr Sql kMembershipRange{"scan_segments_by_profile", "segment_members",
                               "SELECT profile_id, segments FROM segment_members "
                               "WHERE profile_id BETWEEN ?1 AND ?2 ORDER BY profile_id",
                               "it"};
constexpr Sql kMembershipsOf{"scan_segments_of", "segment_members",
                             "SELECT profile_id, segments FROM segment_members "
                             "WHERE profile_id IN (SELECT value FROM json_each(?1)) "
                             "ORDER BY profile_id",
                             "it"};
constexpr Sql kMembershipsAfter{"scan_segment_members", "segment_members",
                                "SELECT profile_id, segments FROM segment_members "
                                "WHERE profile_id > ?1 ORDER BY profile_id",
                                "it"};
// OR IGNORE where no row can conflict (write_rows checks that each is
// written): an event gets a new id, a profile without stored memberships
// a new row.
constexpr auto kAddChangesText = rows_texts<4>(
    "INSERT OR IGNORE INTO segment_events(profile_id, entered, exited, at_ms) VALUES");
constexpr RowsSql kAddChanges = rows_sql("change_segments", "segment_events", kAddChangesText);
constexpr auto kAddMembershipsText =
    rows_texts<2>("INSERT OR IGNORE INTO segment_members(profile_id, segments) VALUES");
constexpr RowsSql kAddMemberships =
    rows_sql("change_segments", "segment_members", kAddMembershipsText);
constexpr auto kPutMembershipsText =
    rows_texts<2>("INSERT INTO segment_members(profile_id, segments) VALUES",
                  " ON CONFLICT(profile_id) DO UPDATE SET segments = excluded.segments");
constexpr RowsSql kPutMemberships =
    rows_sql("change_segments", "segment_members", kPutMembershipsText);
constexpr Sql kChanges{"scan_segment_changes", "segment_events",
                       "SELECT id, profile_id, entered, exited, at_ms FROM segment_events "
                       "WHERE id > ?1 ORDER BY id LIMIT ?2",
                       "iitti"};
constexpr Sql kSetSize{"set_segment_sizes", "segment_definitions",
                       "UPDATE segment_definitions SET size = ?2 WHERE name = ?1"};
constexpr Sql kLastSegmentChange{"last_segment_change", "segment_events",
                                 "SELECT coalesce(max(id), 0) FROM segment_events", "i"};
constexpr auto kScheduleChecksText =
    rows_texts<2>("INSERT INTO segment_checks(profile_id, due_ms) VALUES",
                  " ON CONFLICT(profile_id) DO UPDATE SET due_ms = excluded.due_ms");
constexpr RowsSql kScheduleChecks =
    rows_sql("set_segment_checks", "segment_checks", kScheduleChecksText);
constexpr Sql kCancelCheck{"set_segment_checks", "segment_checks",
                           "DELETE FROM segment_checks WHERE profile_id = ?1"};
constexpr Sql kCancelAllChecks{"cancel_all_segment_checks", "segment_checks",
                               "DELETE FROM segment_checks"};
constexpr Sql kDueChecks{"scan_due_segment_checks", "segment_checks",
                         "SELECT profile_id FROM segment_checks WHERE due_ms <= ?1 "
                         "ORDER BY due_ms, profile_id",
                         "i"};

// `names` joined by ',' into `out` (its capacity kept).
template <class Names>
void join_names(const Names &names, std::string &out) {
  out.clear();
  for (const auto &n : names) out.append(out.empty() ? "" : ",").append(n);
}

std::string join_names(const std::vector<std::string> &names) {
  std::string out;
  join_names(names, out);
  return out;
}

// [a-z0-9_-]+: what the pipeline allows, and what the ','-joined rows rely on.
bool is_segment_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool contains(const std::vector<std::string> &sorted, const std::string &name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

// One (profile_id, segments) row: fn(profile, segment) for each name.
Status each_membership(sqlite::Statement &st,
                       const std::function<void(uint64_t, std::string_view)> &fn) {
  const uint64_t id = from_sql(st.column_int(0));
  for (const std::string &n : split_segment_names(st.column_bytes(1))) fn(id, n);
  return Status::Ok();
}

}  // namespace

Result<std::vector<SegmentDefinition>> SqliteStore::segment_definitions() {
  std::vector<SegmentDefinition> out;
  Status s = impl_->query(
      kDefinitions, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        SegmentDefinition &d = out.emplace_back();
        d.name = st.column_bytes(0);
        d.expression = st.column_bytes(1);
        d.size = from_sql(st.column_int(2));
        d.changed_at_ms = st.column_int(3);
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return out;
}

Status SqliteStore::define_segment(std::string_view name, std::string_view expression,
                                   int64_t at_ms) {
  if (!is_segment_name(name)) {
    return Status::Invalid("sqlite store " + impl_->path + ": Store::define_segment: name '" +
                           std::string(name) + "' is not [a-z0-9_-]+");
  }
  return impl_->write(kDefine, [&](sqlite::Statement &st) {
    st.bind_text(1, name);
    st.bind_text(2, expression);
    st.bind_int(3, at_ms);
  });
}

Status SqliteStore::drop_segment(std::string_view name) {
  Status s = impl_->write(kDropDefinition, [&](sqlite::Statement &st) { st.bind_text(1, name); });
  // Every profile that names it, without it.
  std::vector<std::pair<uint64_t, std::vector<std::string>>> rewrites;
  if (s.ok()) {
    s = impl_->scan(
        kMembershipsAfter, [](sqlite::Statement &st) { st.bind_int(1, 0); },
        [&](sqlite::Statement &st) {
          std::vector<std::string> names = split_segment_names(st.column_bytes(1));
          auto it = std::find(names.begin(), names.end(), name);
          if (it == names.end()) return Status::Ok();
          names.erase(it);
          rewrites.emplace_back(from_sql(st.column_int(0)), std::move(names));
          return Status::Ok();
        });
  }
  for (size_t k = 0; s.ok() && k < rewrites.size(); ++k) {
    const uint64_t id = rewrites[k].first;  // named, not bound: lambdas capture it
    const std::vector<std::string> &names = rewrites[k].second;
    const std::string joined = join_names(names);
    s = impl_->write(names.empty() ? kDeleteMembership : kPutMemberships.one,
                     [&](sqlite::Statement &st) {
                       st.bind_int(1, to_sql(id));
                       if (!names.empty()) st.bind_text(2, joined);
                     });
  }
  return s;
}

namespace {

// A name's index among the stored segments. Hashed by a functor of our
// own: libstdc++ takes std::hash<string_view> for slow and finds a key
// among up to 20 by comparing it with each in turn, which was a tenth of
// the writer's time on an evaluation of twenty segments.
class SegmentIndex {
 public:
  explicit SegmentIndex(const std::vector<SegmentDefinition> &defs) {
    for (size_t i = 0; i < defs.size(); ++i) index_.emplace(defs[i].name, i);
  }
  std::optional<size_t> find(std::string_view name) const {
    auto it = index_.find(name);
    return it == index_.end() ? std::nullopt : std::optional<size_t>(it->second);
  }

 private:
  struct NameHash {
    size_t operator()(std::string_view name) const noexcept {
      return std::hash<std::string_view>{}(name);
    }
  };
  std::unordered_map<std::string_view, size_t, NameHash> index_;  // views the definitions
};

// Lists of names joined by ',' (as stored), each a range of one buffer
// that is only appended to: no string per list.
class JoinedNames {
 public:
  struct Range {
    size_t at = 0, size = 0;
  };
  // `names` must not view this buffer (an append may move it).
  template <class Names>
  Range add(const Names &names) {
    const size_t at = buffer_.size();
    for (const auto &n : names) buffer_.append(buffer_.size() == at ? "" : ",").append(n);
    return {at, buffer_.size() - at};
  }
  Range add_text(std::string_view joined) {
    const size_t at = buffer_.size();
    buffer_.append(joined);
    return {at, joined.size()};
  }
  std::string_view operator[](Range r) const {
    return std::string_view(buffer_).substr(r.at, r.size);
  }

 private:
  std::string buffer_;
};

// A profile change_segments changes: its memberships as they stand.
struct HeldProfile {
  uint64_t profile_id;
  JoinedNames::Range segments;
  bool stored = false;  // it has a row of memberships
  bool changed = false;
};

// A change's row of segment_events.
struct SegmentEventRow {
  uint64_t profile_id;
  JoinedNames::Range entered, exited;
  int64_t at_ms;
};

// What entering and exiting does to a segment's size and changed_at_ms.
struct Resize {
  int64_t delta = 0, at_ms = INT64_MIN;  // INT64_MIN: untouched
};

// Every profile of `changes` once, ascending by id.
std::vector<HeldProfile> held_profiles(const std::vector<SegmentChange> &changes) {
  std::vector<uint64_t> ids;
  ids.reserve(changes.size());
  for (const SegmentChange &c : changes) ids.push_back(c.profile_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<HeldProfile> held;
  held.reserve(ids.size());
  for (uint64_t id : ids) held.push_back({id, {}});
  return held;
}

HeldProfile *find_held(std::vector<HeldProfile> &held, uint64_t id) {
  auto it = std::lower_bound(held.begin(), held.end(), id,
                             [](const HeldProfile &h, uint64_t i) { return h.profile_id < i; });
  return it == held.end() || it->profile_id != id ? nullptr : &*it;
}

// The stored memberships of the `held` profiles, into `texts`. Ids close
// together (a page of profiles evaluated in id order) are read by one
// range scan, a seek and the rows in order, rather than a seek per id.
Status read_held(SqliteStore::Impl &impl, std::vector<HeldProfile> &held, JoinedNames &texts) {
  if (held.empty()) return Status::Ok();
  auto take_row = [&](sqlite::Statement &st) {
    if (HeldProfile *h = find_held(held, from_sql(st.column_int(0)))) {
      h->segments = texts.add_text(st.column_bytes(1));
      h->stored = true;
    }
    return Status::Ok();
  };
  constexpr uint64_t kDenseSpan = 4;
  const uint64_t first = held.front().profile_id, last = held.back().profile_id;
  if ((last - first) / kDenseSpan < held.size()) {
    return impl.scan(
        kMembershipRange,
        [&](sqlite::Statement &st) {
          st.bind_int(1, to_sql(first));
          st.bind_int(2, to_sql(last));
        },
        take_row);
  }
  std::vector<uint64_t> ids;
  ids.reserve(held.size());
  for (const HeldProfile &h : held) ids.push_back(h.profile_id);
  return impl.scan_ids(
      kMembershipsOf, ids, 1, [](sqlite::Statement &) {}, take_row);
}

// Counts `c`'s entries and exits into `resize` (by index in `index`);
// `refused` names a segment that is not stored. Whether the entries
// ascend, each once: the definitions ascend by name, so the names ascend
// if their indices do.
template <class Refused>
Result<bool> count_moves(const SegmentChange &c, const SegmentIndex &index,
                         std::vector<Resize> &resize, const Refused &refused) {
  bool entered_ascending = true;
  for (const auto &[list, delta] : {std::pair{&c.entered, 1}, std::pair{&c.exited, -1}}) {
    std::optional<size_t> previous;
    for (const std::string &n : *list) {
      const std::optional<size_t> i = index.find(n);
      if (!i) return refused(n, "no such segment");
      if (delta > 0 && previous && *previous >= *i) entered_ascending = false;
      previous = i;
      resize[*i].delta += delta;
      resize[*i].at_ms = std::max(resize[*i].at_ms, c.at_ms);
    }
  }
  return entered_ascending;
}

// apply_moves' buffers, kept from one change to the next.
struct MoveScratch {
  std::vector<std::string_view> names;
  std::string joined;
};

// `held`'s memberships after `c` (whose entries are `entered` in `texts`);
// `refused` names an exit from a segment it is not in or an entry into
// one it is in.
template <class Refused>
Status apply_moves(const SegmentChange &c, JoinedNames::Range entered, bool entered_ascending,
                   HeldProfile &held, JoinedNames &texts, MoveScratch &scratch,
                   const Refused &refused) {
  held.changed = true;
  if (held.segments.size == 0 && c.exited.empty() && entered_ascending) {
    // In no segment before (a profile evaluated the first time): its
    // memberships are its entries, as joined for the event.
    held.segments = entered;
    return Status::Ok();
  }
  std::vector<std::string_view> &names = scratch.names;
  split_segment_names(texts[held.segments], names);
  for (const std::string &n : c.exited) {
    auto it = std::lower_bound(names.begin(), names.end(), std::string_view(n));
    if (it == names.end() || *it != n) return refused(n, "exited, but not a member");
    names.erase(it);
  }
  for (const std::string &n : c.entered) {
    auto it = std::lower_bound(names.begin(), names.end(), std::string_view(n));
    if (it != names.end() && *it == n) return refused(n, "entered, but a member already");
    names.insert(it, n);
  }
  // `names` views `texts`, which the append may move: joined apart first.
  join_names(names, scratch.joined);
  held.segments = texts.add_text(scratch.joined);
  return Status::Ok();
}

// Each changed profile's memberships: a row many at a time (a new one or
// the stored one rewritten), or none (deleted) when it is in no segment.
Status write_held(SqliteStore::Impl &impl, const std::vector<HeldProfile> &held,
                  const JoinedNames &texts) {
  std::vector<const HeldProfile *> added, rewritten;
  for (const HeldProfile &h : held) {
    if (!h.changed) continue;
    if (h.segments.size > 0) {
      (h.stored ? rewritten : added).push_back(&h);
      continue;
    }
    Status s = impl.write(kDeleteMembership,
                          [&](sqlite::Statement &st) { st.bind_int(1, to_sql(h.profile_id)); });
    if (!s.ok()) return s;
  }
  for (const auto &[list, sql] :
       {std::pair{&added, &kAddMemberships}, std::pair{&rewritten, &kPutMemberships}}) {
    const std::vector<const HeldProfile *> &rows = *list;  // captured below: not a binding (C++20)
    Status s = impl.write_rows(*sql, rows.size(), [&](sqlite::Statement &st, int at, size_t i) {
      st.bind_int(at, to_sql(rows[i]->profile_id));
      st.bind_text(at + 1, texts[rows[i]->segments]);
    });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status write_events(SqliteStore::Impl &impl, const std::vector<SegmentEventRow> &events,
                    const JoinedNames &texts) {
  return impl.write_rows(kAddChanges, events.size(), [&](sqlite::Statement &st, int at, size_t i) {
    const SegmentEventRow &e = events[i];
    st.bind_int(at, to_sql(e.profile_id));
    st.bind_text(at + 1, texts[e.entered]);
    st.bind_text(at + 2, texts[e.exited]);
    st.bind_int(at + 3, e.at_ms);
  });
}

Status write_sizes(SqliteStore::Impl &impl, const std::vector<SegmentDefinition> &defs,
                   const std::vector<Resize> &resize) {
  for (size_t i = 0; i < resize.size(); ++i) {
    if (resize[i].at_ms == INT64_MIN) continue;  // untouched
    Status s = impl.write(kResize, [&](sqlite::Statement &st) {
      st.bind_text(1, defs[i].name);
      st.bind_int(2, resize[i].delta);
      st.bind_int(3, resize[i].at_ms);
    });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

// Every changed profile is held once, with its memberships from one read;
// a profile changed twice sees its first change. The rows are written
// after every change is checked, many per statement: each profile's final
// memberships, the events in order, the sizes (a statement run per row
// was most of the writer's time on a large evaluation).
Status SqliteStore::change_segments(const std::vector<SegmentChange> &changes) {
  auto defs = segment_definitions();  // ascending by name
  if (!defs.ok()) return defs.status();
  const SegmentIndex index(*defs);
  std::vector<Resize> resize(defs->size());  // by index in `defs`
  std::vector<HeldProfile> held = held_profiles(changes);
  JoinedNames texts;
  Status s = read_held(*impl_, held, texts);
  std::vector<SegmentEventRow> events;
  events.reserve(changes.size());
  MoveScratch scratch;
  for (size_t k = 0; s.ok() && k < changes.size(); ++k) {
    const SegmentChange &c = changes[k];
    auto refused = [&](const std::string &name, const char *why) {
      return Status::Invalid("sqlite store " + impl_->path + ": Store::change_segments: profile " +
                             std::to_string(c.profile_id) + ", segment '" + name + "': " + why);
    };
    Result<bool> entered_ascending = count_moves(c, index, resize, refused);
    if (!entered_ascending.ok()) return entered_ascending.status();
    const SegmentEventRow &e = events.emplace_back(
        SegmentEventRow{c.profile_id, texts.add(c.entered), texts.add(c.exited), c.at_ms});
    s = apply_moves(c, e.entered, *entered_ascending, *find_held(held, c.profile_id), texts,
                    scratch, refused);
  }
  if (s.ok()) s = write_held(*impl_, held, texts);
  if (s.ok()) s = write_events(*impl_, events, texts);
  return s.ok() ? write_sizes(*impl_, *defs, resize) : s;
}

Status SqliteStore::exit_all_segments(uint64_t profile_id, int64_t at_ms) {
  auto member_of = segments_of(profile_id);
  if (!member_of.ok()) return member_of.status();
  if (member_of->empty()) return Status::Ok();
  SegmentChange c;
  c.profile_id = profile_id;
  c.exited = std::move(*member_of);
  c.at_ms = at_ms;
  return change_segments({c});
}

Status SqliteStore::remove_memberships(uint64_t profile_id) {
  auto member_of = segments_of(profile_id);
  if (!member_of.ok()) return member_of.status();
  Status s;
  for (size_t k = 0; s.ok() && k < member_of->size(); ++k) {
    s = impl_->write(kResize, [&](sqlite::Statement &st) {
      st.bind_text(1, (*member_of)[k]);
      st.bind_int(2, -1);
      st.bind_int(3, INT64_MIN);  // changed_at_ms stays
    });
  }
  if (!s.ok() || member_of->empty()) return s;
  return impl_->write(kDeleteMembership,
                      [&](sqlite::Statement &st) { st.bind_int(1, to_sql(profile_id)); });
}

Result<std::vector<std::string>> SqliteStore::segments_of(uint64_t profile_id) {
  std::vector<std::string> out;
  Status s = impl_->query(
      kGetMembership, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(profile_id)); },
      [&](sqlite::Statement &st) {
        out = split_segment_names(st.column_bytes(0));
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return out;
}

Status SqliteStore::scan_segments_by_profile(
    uint64_t first, uint64_t last, const std::function<void(uint64_t, std::string_view)> &fn) {
  return impl_->scan(
      kMembershipRange,
      [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(first));
        st.bind_int(2, to_sql(last));
      },
      [&](sqlite::Statement &st) { return each_membership(st, fn); });
}

Status SqliteStore::scan_segments_of(std::span<const uint64_t> ids,
                                     const std::function<void(uint64_t, std::string_view)> &fn) {
  return impl_->scan_ids(
      kMembershipsOf, ids, 1, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) { return each_membership(st, fn); });
}

Status SqliteStore::scan_segment_members(std::string_view segment, uint64_t after, size_t limit,
                                         const std::function<void(uint64_t)> &fn) {
  if (limit == 0) return Status::Ok();
  size_t found = 0;
  bool full = false;  // the scan was stopped because `limit` were found
  const std::string name(segment);
  Status s = impl_->scan(
      kMembershipsAfter, [&](sqlite::Statement &st) { st.bind_int(1, to_sql(after)); },
      [&](sqlite::Statement &st) {
        if (!contains(split_segment_names(st.column_bytes(1)), name)) return Status::Ok();
        fn(from_sql(st.column_int(0)));
        full = ++found == limit;
        return full ? Status::Internal("page full") : Status::Ok();
      });
  return full ? Status::Ok() : s;
}

Result<uint64_t> SqliteStore::last_segment_change() {
  return impl_->count(kLastSegmentChange);
}

Status SqliteStore::set_segment_sizes(const std::vector<std::pair<std::string, uint64_t>> &sizes) {
  for (const auto &entry : sizes) {
    const std::string &name = entry.first;  // named, not bound: the lambda captures it
    const uint64_t size = entry.second;
    Status s = impl_->write(kSetSize, [&](sqlite::Statement &st) {
      st.bind_text(1, name);
      st.bind_int(2, to_sql(size));
    });
    if (!s.ok()) return s;
    if (sqlite3_changes(impl_->db.get()) == 0) {
      return Status::Invalid("sqlite store " + impl_->path +
                             ": Store::set_segment_sizes: no segment named '" + name + "'");
    }
  }
  return Status::Ok();
}

Status SqliteStore::scan_segment_changes(uint64_t after, size_t limit,
                                         const std::function<void(const SegmentChange &)> &fn) {
  return impl_->scan(
      kChanges,
      [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(after));
        st.bind_int(2, static_cast<int64_t>(limit));
      },
      [&](sqlite::Statement &st) {
        SegmentChange c;
        c.id = from_sql(st.column_int(0));
        c.profile_id = from_sql(st.column_int(1));
        c.entered = split_segment_names(st.column_bytes(2));
        c.exited = split_segment_names(st.column_bytes(3));
        c.at_ms = st.column_int(4);
        fn(c);
        return Status::Ok();
      });
}

// Runs of schedules go many rows per statement, as memberships do (an
// evaluation of everyone schedules a check for each profile whose
// membership waits on now()); a cancel ends a run, so the order is kept.
Status SqliteStore::set_segment_checks(std::span<const SegmentCheck> checks) {
  size_t run = 0;  // checks[run, k) are schedules not yet written
  for (size_t k = 0; k <= checks.size(); ++k) {
    if (k < checks.size() && checks[k].due_ms) continue;
    Status s =
        impl_->write_rows(kScheduleChecks, k - run, [&](sqlite::Statement &st, int at, size_t i) {
          st.bind_int(at, to_sql(checks[run + i].profile_id));
          st.bind_int(at + 1, *checks[run + i].due_ms);
        });
    if (s.ok() && k < checks.size()) {
      s = impl_->write(kCancelCheck, [&](sqlite::Statement &st) {
        st.bind_int(1, to_sql(checks[k].profile_id));
      });
    }
    if (!s.ok()) return s;
    run = k + 1;
  }
  return Status::Ok();
}

Status SqliteStore::cancel_all_segment_checks() {
  return impl_->write(kCancelAllChecks, [](sqlite::Statement &) {});
}

Status SqliteStore::scan_due_segment_checks(int64_t until_ms,
                                            const std::function<void(uint64_t)> &fn) {
  return impl_->scan(
      kDueChecks, [&](sqlite::Statement &st) { st.bind_int(1, until_ms); },
      [&](sqlite::Statement &st) {
        fn(from_sql(st.column_int(0)));
        return Status::Ok();
      });
}

}  // namespace halo
