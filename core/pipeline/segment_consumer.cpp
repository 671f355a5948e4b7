// segment_consumer.cpp -- live segment membership (docs/segments.md): a
// change-log consumer that runs after feature emission and before
// delivery.
//
// The consumer ("segments@" and a hash of every segment's name and
// expression) re-evaluates the live profiles the log says were created or
// whose traits or features changed after its cursor, and those whose
// re-check time has come (a condition on now() may flip then, see
// Expr::next_change_ms); it evaluates every profile when it never ran or
// a segment was added, removed or changed (its name changes with them).
// Each evaluated profile's memberships are compared with the stored ones
// (a rebuild keeps them, so it records only what differs):
// the differences are the profile's entries and exits (one
// Store::change_segments record a profile), and it gets a kChangeSegments
// log entry so destinations export it again. Segments no longer declared
// are dropped with their members, without exit events, and their members
// are logged as changed. Outputs and the cursor commit together, so a run
// killed anywhere evaluates again from the last committed cursor.
//
// Times: entries and exits carry the run's reference time (run.as_of, else
// the clock), the time the expressions were evaluated at.

#include <algorithm>
#include <functional>
#include <utility>

#include "common/clock.h"
#include "pipeline/change_scan.h"
#include "pipeline/page_stream.h"
#include "pipeline/pipeline.h"
#include "store/profile_reads.h"

namespace halo {

namespace {

constexpr size_t kSegmentPage = 1'000;  // profiles evaluated per store task

std::string segments_configuration(const segment::SegmentSet &set) {
  std::string text;
  for (size_t i = 0; i < set.size(); ++i) text += set.name(i) + '\n' + set.expression(i) + '\n';
  return text;
}

}  // namespace

Status Pipeline::update_segments(int64_t as_of_ms, RunSummary *summary) {
  Status s = drain_writer();  // this thread reads the store below
  if (!s.ok()) return s;
  auto stored = store_->segment_definitions();
  if (!stored.ok()) return stored.status();
  s = drop_undeclared_segments(*stored);
  if (s.ok()) s = drain_writer();  // its writes share the connection read below
  if (!s.ok() || segments_.empty()) return s;
  const std::string name = consumer_name("segments", segments_configuration(segments_));
  auto position = store_->consumer_position(name);
  if (!position.ok()) return position.status();
  s = begin_if_needed();
  // Every declared segment exists before a profile enters it. One whose
  // expression changed keeps its members: the evaluation of everyone that
  // follows (a new consumer) turns the difference into entries and exits.
  for (size_t i = 0; s.ok() && i < segments_.size(); ++i) {
    const bool same = std::any_of(stored->begin(), stored->end(), [&](const SegmentDefinition &d) {
      return d.name == segments_.name(i) && d.expression == segments_.expression(i);
    });
    if (same) continue;
    s = write([n = segments_.name(i), e = segments_.expression(i), as_of_ms](Store &st) {
      return st.define_segment(n, e, as_of_ms);
    });
  }
  if (!s.ok()) return s;
  const bool everyone = !position->has_value();
  std::vector<uint64_t> ids;  // the profiles to evaluate, unless everyone
  if (!everyone) {
    s = drain_writer();  // read on the writer's connection
    if (!s.ok()) return s;
    auto changed = profiles_to_segment(**position, as_of_ms);
    if (!changed.ok()) return changed.status();
    ids = std::move(*changed);
  }
  auto reader = snapshot_reader(everyone || ids.size() >= kReaderPages * kSegmentPage);
  if (!reader.ok()) return reader.status();
  Store &source = *reader ? **reader : *store_;
  auto stopped = [this] { return options_.cancel && options_.cancel->load(); };
  // Each page's writes go to the writer when the next page is evaluated,
  // so they run beside it. On a connection of its own, the next page is
  // also read beside it (on a thread of its own); on the pipeline's, a
  // page waits for the writer first (the two share the connection).
  StoreWriter::Task pending;
  auto hand_over = [&] { return pending ? write(std::exchange(pending, nullptr)) : Status::Ok(); };
  auto before_read = [&] { return *reader ? Status::Ok() : drain_writer(); };
  const IdentifierTypes with_identifiers{false, segments_.identifier_types()};
  if (everyone) {
    // Everyone, by pages of ascending ids; each schedules its re-check anew.
    // Memberships of ids no profile holds (gone since: a rebuild may link
    // differently than the runs it replaces) end, and the sizes are set to
    // the members counted, which repairs them after a rebuild.
    auto gone = std::make_shared<std::vector<uint64_t>>();
    auto sizes = std::make_shared<std::vector<uint64_t>>(segments_.size());
    s = write([](Store &st) { return st.cancel_all_segment_checks(); });
    uint64_t after = 0;
    auto read = [&](std::vector<ProfileExport> &into, bool &more) {
      Status r = before_read();
      if (r.ok()) {
        r = read_profile_page(source, after, kSegmentPage, with_identifiers, into, gone.get());
      }
      more = r.ok() && !into.empty();
      if (more) after = into.back().id;
      return r;
    };
    if (s.ok()) {
      s = each_page(*reader != nullptr, read, stopped, [&](std::vector<ProfileExport> &page) {
        Status w = hand_over();
        if (w.ok()) pending = segment_page(page, as_of_ms, everyone, summary, sizes.get());
        return w;
      });
    }
    if (s.ok()) s = hand_over();
    if (s.ok() && !stopped()) {
      s = write(settle_everyone(std::move(gone), std::move(sizes), as_of_ms));
    }
  } else {
    size_t first = 0;
    auto read = [&](std::vector<ProfileExport> &into, bool &more) {
      more = first < ids.size();
      if (!more) return Status::Ok();
      Status r = before_read();
      // Those merged away since are not in the page.
      auto chunk = std::span(ids).subspan(first, std::min(kSegmentPage, ids.size() - first));
      first += chunk.size();
      return r.ok() ? read_profile_exports(source, chunk, with_identifiers, into) : r;
    };
    s = each_page(*reader != nullptr, read, stopped, [&](std::vector<ProfileExport> &page) {
      Status w = hand_over();
      if (w.ok()) pending = segment_page(page, as_of_ms, everyone, summary);
      return w;
    });
    if (s.ok()) s = hand_over();
  }
  if (!s.ok() || stopped()) return s;  // stopped: the cursor stays, evaluated again
  return write([name, through = last_change_](Store &st) {
    return st.set_consumer_position(name, through);
  });
}

// The end of an evaluation of every profile: the memberships of `gone`
// end, and the segments' sizes are those counted (`sizes`, by index).
StoreWriter::Task Pipeline::settle_everyone(std::shared_ptr<std::vector<uint64_t>> gone,
                                            std::shared_ptr<std::vector<uint64_t>> sizes,
                                            int64_t as_of_ms) {
  std::vector<std::pair<std::string, uint64_t>> named;
  for (size_t i = 0; i < segments_.size(); ++i) named.emplace_back(segments_.name(i), (*sizes)[i]);
  return [gone, named = std::move(named), as_of_ms](Store &st) {
    Status w;
    for (size_t k = 0; w.ok() && k < gone->size(); ++k) {
      w = st.exit_all_segments((*gone)[k], as_of_ms);
    }
    return w.ok() ? st.set_segment_sizes(named) : w;
  };
}

// Segments stored but no longer declared go, members and all; the members
// are logged as changed (their export loses the segment).
Status Pipeline::drop_undeclared_segments(const std::vector<SegmentDefinition> &stored) {
  Status s;
  for (const SegmentDefinition &d : stored) {
    bool declared = false;
    for (size_t i = 0; !declared && i < segments_.size(); ++i)
      declared = segments_.name(i) == d.name;
    if (declared) continue;
    auto changes = std::make_shared<std::vector<ProfileChange>>();
    const int64_t now = wall_ms();
    s = drain_writer();  // the previous one's drop shares the connection read here
    if (s.ok()) {
      s = store_->scan_segment_members(d.name, 0, SIZE_MAX, [&](uint64_t id) {
        changes->push_back({++last_change_, id, kChangeSegments, 0, now});
      });
    }
    if (s.ok()) s = begin_if_needed();
    if (s.ok()) {
      s = write([name = d.name, changes](Store &st) {
        Status w = st.drop_segment(name);
        return w.ok() ? st.append_changes(*changes) : w;
      });
    }
    if (!s.ok()) return s;
  }
  return s;
}

Result<std::vector<uint64_t>> Pipeline::profiles_to_segment(uint64_t after, int64_t as_of_ms) {
  std::vector<uint64_t> ids;
  constexpr uint32_t kInputs = kChangeCreated | kChangeTraits | kChangeFeatures;
  Status s = scan_changes_through(*store_, after, last_change_, [&](const ProfileChange &c) {
    if (c.kinds & kInputs) ids.push_back(c.profile_id);
  });
  if (s.ok())
    s = store_->scan_due_segment_checks(as_of_ms, [&](uint64_t id) { ids.push_back(id); });
  if (!s.ok()) return s;
  sort_unique(ids);
  return ids;
}

// Evaluates every segment on each profile of `page` (its `segments` are
// the stored memberships, ascending); returns the writes of the
// differences and of the re-check times (`no_checks`: none is stored, so
// a profile without one has nothing to cancel). `sizes`, when given,
// counts the members of each segment (by index).
StoreWriter::Task Pipeline::segment_page(std::vector<ProfileExport> &page, int64_t as_of_ms,
                                         bool no_checks, RunSummary *summary,
                                         std::vector<uint64_t> *sizes) {
  auto moves = std::make_shared<std::vector<SegmentChange>>();
  auto checks = std::make_shared<std::vector<SegmentCheck>>();
  auto changes = std::make_shared<std::vector<ProfileChange>>();
  const int64_t now = wall_ms();
  segment::SegmentSet::Verdict verdict;
  std::vector<uint8_t> was(segments_.size());  // bytes, as Verdict::member
  for (const ProfileExport &p : page) {
    segments_.evaluate(p, as_of_ms, verdict);
    size_t entered = 0, exited = 0;
    // The stored memberships and the segments, both ascending by name: one
    // walk of the two, where a binary search per segment compared names
    // about log2(memberships) times for each segment.
    auto stored = p.segments.begin();
    for (size_t i : segments_.name_order()) {
      const std::string &name = segments_.name(i);
      while (stored != p.segments.end() && *stored < name) ++stored;
      was[i] = stored != p.segments.end() && *stored == name;
      if (verdict.member[i] != was[i]) ++(was[i] ? exited : entered);
      if (sizes && verdict.member[i]) ++(*sizes)[i];
    }
    if (entered + exited > 0) {
      // Sized once: growing them reallocated several times per profile.
      SegmentChange &move = moves->emplace_back();
      move.entered.reserve(entered);
      move.exited.reserve(exited);
      for (size_t i : segments_.name_order()) {  // entries and exits ascending
        if (verdict.member[i] == was[i]) continue;
        (was[i] ? move.exited : move.entered).push_back(segments_.name(i));
      }
      summary->segment_entries += entered;
      summary->segment_exits += exited;
      move.profile_id = p.id;
      move.at_ms = as_of_ms;
      changes->push_back({++last_change_, p.id, kChangeSegments, 0, now});
    }
    if (verdict.next_check_ms || !no_checks) checks->push_back({p.id, verdict.next_check_ms});
  }
  summary->segments_evaluated += page.size();
  return [moves, checks, changes](Store &st) {
    Status w = st.change_segments(*moves);
    if (w.ok()) w = st.set_segment_checks(*checks);
    return w.ok() ? st.append_changes(*changes) : w;
  };
}

}  // namespace halo
