// timestamp_order.cpp -- the rebuild's identity resolution in timestamp
// order (the three steps are in timestamp_order.h).
#include "pipeline/timestamp_order.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/log.h"
#include "pipeline/pipeline.h"
#include "pipeline/pipeline_setup.h"

namespace halo {

std::string identifier_key(std::string_view type, std::string_view value) {
  std::string key;
  identifier_key(type, value, key);
  return key;
}

void identifier_key(std::string_view type, std::string_view value, std::string &out) {
  out.assign(type).append(1, '\0').append(value);
}

Identifier split_identifier_key(std::string_view key) {
  const size_t nul = key.find('\0');
  return {key.substr(0, nul), key.substr(nul + 1)};
}

uint64_t TimestampOrder::live(uint64_t id) const {
  for (auto it = merged_into.find(id); it != merged_into.end(); it = merged_into.find(id)) {
    id = it->second;
  }
  return id;
}

void TimestampOrder::retime(std::vector<ResolutionOut::Link> &made) const {
  std::string key;  // one buffer for every link's key
  for (ResolutionOut::Link &l : made) {
    identifier_key(l.type, l.value, key);
    auto it = links.find(key);
    if (it != links.end()) l.at_ms = it->second.at_ms;
  }
}

std::string renumber_profiles(std::string_view reason,
                              const std::function<std::optional<uint64_t>(uint64_t)> &renumber) {
  std::string out;
  size_t i = 0;
  // Replaces the digits at `i` when there are any; returns whether it did.
  auto take_number = [&] {
    size_t end = i;
    while (end < reason.size() && std::isdigit(static_cast<unsigned char>(reason[end]))) ++end;
    if (end == i || end - i > 19) return false;
    const uint64_t id = std::stoull(std::string(reason.substr(i, end - i)));
    const std::optional<uint64_t> to = renumber(id);
    out += to ? std::to_string(*to) : std::string(reason.substr(i, end - i));
    i = end;
    return true;
  };
  auto starts = [&](std::string_view word) { return reason.substr(i, word.size()) == word; };
  while (i < reason.size()) {
    const bool plural = starts("profiles ");
    if (plural || starts("profile ")) {
      const size_t word = plural ? 9 : 8;
      out.append(reason.substr(i, word));
      i += word;
      if (take_number() && plural && starts(" and ")) {
        out += " and ";
        i += 5;
        take_number();
      }
      continue;
    }
    out += reason[i++];
  }
  return out;
}

namespace {

// The identifiers of the logged events, kept compactly while the log is
// read (each distinct identifier once, events referring to it by number),
// then handed to the resolver in timestamp order.
struct TimedEvents {
  struct Entry {
    int64_t timestamp_ms;
    uint64_t sequence;
    uint32_t id_begin, id_count;  // in `ids`
  };
  std::vector<Entry> events;
  std::vector<uint32_t> ids;                            // numbers of distinct identifiers
  std::vector<Identifier> known;                        // by number; texts in `arena`
  std::unordered_map<std::string, uint32_t> number_of;  // identifier_key -> number
  StringArena arena;

  void add(const EventBatch &batch, size_t i, uint64_t sequence) {
    const Event &e = batch.events[i];
    events.push_back({e.timestamp_ms, sequence, static_cast<uint32_t>(ids.size()), e.id_count});
    for (uint32_t k = e.id_begin; k < e.id_begin + e.id_count; ++k) {
      const Identifier &id = batch.identifiers[k];
      auto [it, fresh] = number_of.try_emplace(identifier_key(id.type, id.value),
                                               static_cast<uint32_t>(known.size()));
      if (fresh) known.push_back({arena.copy(id.type), arena.copy(id.value)});
      ids.push_back(it->second);
    }
  }
  void sort() {
    std::sort(events.begin(), events.end(), [](const Entry &a, const Entry &b) {
      return a.timestamp_ms != b.timestamp_ms ? a.timestamp_ms < b.timestamp_ms
                                              : a.sequence < b.sequence;
    });
  }
};

// One chunk of TimedEvents as a batch the resolver reads (identifiers and
// times only: no fields).
void fill_chunk(const TimedEvents &timed, size_t begin, size_t end, EventBatch &chunk) {
  chunk.clear();
  for (size_t j = begin; j < end; ++j) {
    const TimedEvents::Entry &t = timed.events[j];
    Event e;
    e.timestamp_ms = t.timestamp_ms;
    e.received_at_ms = t.timestamp_ms;
    e.sequence = t.sequence;
    e.id_begin = static_cast<uint32_t>(chunk.identifiers.size());
    e.id_count = t.id_count;
    for (uint32_t k = t.id_begin; k < t.id_begin + t.id_count; ++k) {
      chunk.identifiers.push_back(timed.known[timed.ids[k]]);
    }
    chunk.events.push_back(e);
  }
}

// The batch index of the first event carrying the identifier, for a link
// the resolver made without naming its event.
size_t first_carrier(const EventBatch &chunk, std::string_view type, std::string_view value) {
  for (size_t i = 0; i < chunk.events.size(); ++i) {
    const Event &e = chunk.events[i];
    for (uint32_t k = e.id_begin; k < e.id_begin + e.id_count; ++k) {
      if (chunk.identifiers[k].type == type && chunk.identifiers[k].value == value) return i;
    }
  }
  return 0;
}

// Folds what the resolver said about one chunk into `order`, then notes
// each event's identifiers that do not live on its profile. Checking at the
// end of the chunk instead of right after each event gives the same
// profiles in step 2: profiles only grow by merges, and two profiles a
// limit kept apart never merge later (a limit's counts only grow), so an
// identifier apart from its event's profile then was apart right after the
// event. One found on it may have been linked there by a later event (a
// window had room again); step 2 links it with this event instead, to the
// same profile.
void absorb_chunk(const EventBatch &chunk, const ResolutionOut &out, TimestampOrder &order) {
  for (const ResolutionOut::Merge &m : out.merges) order.merged_into[m.from] = m.into;
  for (const ResolutionOut::Link &l : out.links) {
    const size_t e =
        l.event < chunk.events.size() ? l.event : first_carrier(chunk, l.type, l.value);
    order.links[identifier_key(l.type, l.value)] = {l.profile, chunk.events[e].timestamp_ms};
  }
  for (const ResolutionOut::Conflict &c : out.conflicts) {
    const bool known = c.event < chunk.events.size();
    order.refused.push_back({known ? chunk.events[c.event].sequence : 0, c.type, c.value, c.profile,
                             known ? out.assignment[c.event] : 0, c.reason});
  }
  for (size_t i = 0; i < chunk.events.size(); ++i) {
    if (out.assignment[i] == 0) continue;  // the resolver refused it: the run does too
    const Event &e = chunk.events[i];
    const uint64_t profile = order.live(out.assignment[i]);
    std::map<uint64_t, std::vector<std::string>> elsewhere;  // by live profile
    for (uint32_t k = e.id_begin; k < e.id_begin + e.id_count; ++k) {
      std::string key = identifier_key(chunk.identifiers[k].type, chunk.identifiers[k].value);
      auto it = order.links.find(key);
      const uint64_t at = it == order.links.end() ? 0 : order.live(it->second.profile);
      if (at == profile) continue;
      if (at != 0) elsewhere[at].push_back(key);
      order.unused[e.sequence].push_back(std::move(key));
    }
    for (auto &[other, keys] : elsewhere) {
      if (keys.size() > 1) order.joins[e.sequence].push_back(std::move(keys));
    }
  }
}

}  // namespace

Result<std::shared_ptr<TimestampOrder>> Pipeline::resolve_in_timestamp_order() {
  auto resolver = create_resolver(config_, *catalog_, options_.cancel);
  if (!resolver.ok()) return resolver.status();
  TimedEvents timed;
  EventBatch one;
  Status s = store_->scan_events([&](const std::vector<LoggedEvent> &logged) -> Status {
    for (const LoggedEvent &e : logged) {
      one.clear();
      Rejection why;
      // An event that no longer normalizes is reported by the log pass.
      if (!parse_->normalize_one(e.raw, e.source, e.received_at_ms, one, &why)) continue;
      if (!one.events.empty()) timed.add(one, 0, e.sequence);
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  timed.sort();
  auto order = std::make_shared<TimestampOrder>();
  constexpr size_t kChunk = 4096;
  uint64_t next_profile_id = 1;
  ResolutionOut out;
  EventBatch chunk;
  for (size_t begin = 0; begin < timed.events.size(); begin += kChunk) {
    const size_t end = std::min(begin + kChunk, timed.events.size());
    fill_chunk(timed, begin, end, chunk);
    out.reset(chunk.events.size(), &next_profile_id);
    s = resolver.value()->resolve(chunk, out);
    if (!s.ok()) return s;  // the log pass resolved these events: a resolver fault
    absorb_chunk(chunk, out, *order);
  }
  for (auto &[key, link] : order->links) link.profile = order->live(link.profile);
  return order;
}

// Whether the stored identity graph holds the profiles of `order`. Then
// links of types with a window whose stored time differs take the time of
// `order` (the profiles, and so every trait and feature, are the same;
// windows count the times later links are checked against).
Result<bool> Pipeline::matches_timestamp_order(const TimestampOrder &order) {
  std::unordered_map<uint64_t, uint64_t> stored_of, ordered_of;  // profile correspondence
  std::vector<std::pair<std::string, int64_t>> retimed;          // identifier_key, time
  size_t seen = 0;
  bool same = true;
  Status s = store_->scan_identifiers(
      [&](std::string_view type, std::string_view value, uint64_t profile, int64_t at_ms) {
        if (!same) return;
        std::string key = identifier_key(type, value);
        auto it = order.links.find(key);
        if (it == order.links.end()) {
          same = false;
          return;
        }
        ++seen;
        const uint64_t ordered = it->second.profile;
        same = stored_of.emplace(ordered, profile).first->second == profile &&
               ordered_of.emplace(profile, ordered).first->second == ordered;
        if (has_window(type) && it->second.at_ms != at_ms) {
          retimed.emplace_back(key, it->second.at_ms);
        }
      });
  if (!s.ok()) return s;
  if (!same || seen != order.links.size()) return false;
  if (retimed.empty()) return true;
  // The writer is idle here (end of a run, or between a rebuild's commits).
  s = store_->begin();
  for (size_t i = 0; s.ok() && i < retimed.size(); ++i) {
    const Identifier id = split_identifier_key(retimed[i].first);
    s = store_->set_link_time(id.type, id.value, retimed[i].second);
  }
  if (s.ok()) s = store_->commit();
  if (!s.ok()) return s;
  return true;
}

// Step 3 (timestamp_order.h): the links step 1 refused, each profile named
// by the rebuilt profile holding the same identifiers.
Status Pipeline::record_timestamp_order_refusals(const TimestampOrder &order, RunSummary *summary) {
  // One identifier of each profile the refusals name, to find its rebuilt
  // profile by.
  std::unordered_map<uint64_t, const std::string *> anchor;
  auto need = [&](uint64_t id) {
    if (id != 0) anchor.emplace(order.live(id), nullptr);
  };
  for (const TimestampOrder::RefusedLink &r : order.refused) {
    need(r.profile);
    need(r.event_profile);
    renumber_profiles(r.reason, [&](uint64_t id) -> std::optional<uint64_t> {
      need(id);
      return std::nullopt;
    });
  }
  for (const auto &[key, link] : order.links) {
    auto it = anchor.find(link.profile);
    if (it != anchor.end() && it->second == nullptr) it->second = &key;
  }
  std::unordered_map<uint64_t, uint64_t> rebuilt;
  for (const auto &[ordered, key] : anchor) {
    if (key == nullptr) continue;
    const Identifier id = split_identifier_key(*key);
    auto p = store_->find_profile(id.type, id.value);
    if (!p.ok()) return p.status();
    if (p->has_value()) rebuilt[ordered] = **p;
  }
  auto renumber = [&](uint64_t id) -> std::optional<uint64_t> {
    auto it = rebuilt.find(order.live(id));
    if (it == rebuilt.end()) return std::nullopt;
    return it->second;
  };
  Status s = begin_if_needed();
  for (size_t i = 0; s.ok() && i < order.refused.size(); ++i) {
    const TimestampOrder::RefusedLink &r = order.refused[i];
    const uint64_t profile = renumber(r.profile).value_or(0);
    const uint64_t event_profile = r.event_profile ? renumber(r.event_profile).value_or(0) : 0;
    std::string reason = renumber_profiles(r.reason, renumber);
    s = write([r, profile, event_profile, reason = std::move(reason)](Store &st) {
      return st.add_conflict(r.sequence, r.type, r.value, profile, reason, event_profile);
    });
    summary->conflicts++;
  }
  return s;
}

// The log pass of a rebuild in timestamp order (step 2): the event without
// the identifiers step 1 did not use, then its link-only events.
// normalize_one appended the event last, so its identifiers are the
// batch's last ones.
void Pipeline::as_in_timestamp_order(EventBatch &batch, size_t i) {
  const TimestampOrder &order = *options_.timestamp_order;
  const uint64_t sequence = batch.events[i].sequence;
  auto unused = order.unused.find(sequence);
  if (unused == order.unused.end()) return;
  Event &e = batch.events[i];
  auto begin = batch.identifiers.begin() + e.id_begin;
  auto end = std::remove_if(begin, begin + e.id_count, [&](const Identifier &id) {
    const std::string key = identifier_key(id.type, id.value);
    return std::find(unused->second.begin(), unused->second.end(), key) != unused->second.end();
  });
  e.id_count = static_cast<uint32_t>(end - begin);
  batch.identifiers.erase(end, batch.identifiers.end());
  auto joins = order.joins.find(sequence);
  if (joins == order.joins.end()) return;
  const Event event = e;
  std::vector<Identifier> ids;
  for (const std::vector<std::string> &group : joins->second) {
    ids.clear();
    for (const std::string &key : group)
      ids.push_back(split_identifier_key(key));  // `order` outlives the pass
    append_link_only(batch, event, ids);
  }
}

void append_link_only(EventBatch &batch, Event like, std::span<const Identifier> ids) {
  like.source = kJoinSource;
  like.field_count = 0;
  like.id_begin = static_cast<uint32_t>(batch.identifiers.size());
  like.id_count = static_cast<uint32_t>(ids.size());
  batch.identifiers.insert(batch.identifiers.end(), ids.begin(), ids.end());
  batch.events.push_back(like);
}

}  // namespace halo
