// profile_book.cpp -- trait merging and the stored trait form.
//
// Stored form: the traits encoding of typed_codec.h (names ascending).
#include "profile/profile_book.h"

#include <algorithm>
#include <tuple>

#include "event/trait_path.h"
#include "profile/typed_codec.h"

namespace halo {

namespace {

// The strings a kept set (Survivorship::kAll) takes from a value: a string
// itself, a list's items, a number's exact text, true/false, a timestamp in
// ISO 8601; nothing from null.
std::vector<std::string> kept_strings(const TypedValue &v) {
  switch (v.kind()) {
    case TypedKind::kNull:
      return {};
    case TypedKind::kString:
      return {std::string(v.text())};
    case TypedKind::kStringList: {
      std::vector<std::string> out;
      for (std::string_view item : v.list()) out.emplace_back(item);
      return out;
    }
    case TypedKind::kBool:
      return {v.as_bool() ? "true" : "false"};
    case TypedKind::kTimestamp: {
      std::string json;
      v.append_json(json);  // "..." quoted
      return {json.size() >= 2 ? json.substr(1, json.size() - 2) : json};
    }
    default:
      return {v.number_text()};
  }
}

// The union of `kept` (a kept set or any value) and `incoming`, sorted and
// at most kMaxKeptValues long (the smallest: the same whatever the order).
TypedValue kept_union(const TypedValue &kept, const TypedValue &incoming) {
  std::vector<std::string> all = kept_strings(kept);
  for (std::string &s : kept_strings(incoming)) all.push_back(std::move(s));
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  if (all.size() > kMaxKeptValues) all.resize(kMaxKeptValues);
  return TypedValue::string_list(std::vector<std::string_view>(all.begin(), all.end()));
}

}  // namespace

std::string_view trait_key(const Event &e, std::string_view path) {
  return trait_name_at(e.type, path);
}

ProfileBook::ProfileBook(const std::map<std::string, Survivorship> &rules) {
  for (const auto &[name, rule] : rules) {
    if (rule != Survivorship::kSourcePriority) rules_[names_.intern(name)] = rule;
  }
}

Survivorship ProfileBook::rule_for(uint32_t name) const {
  if (rules_.empty()) return Survivorship::kSourcePriority;
  auto it = rules_.find(name);
  return it == rules_.end() ? Survivorship::kSourcePriority : it->second;
}

ProfileData &ProfileBook::touch(uint64_t id) {
  ProfileData &p = profiles_.get_or_create(id);
  if (profiles_.mark_dirty(id) && !deleted_.empty()) deleted_.erase(id);
  return p;
}

Trait *ProfileBook::lower_bound(ProfileData &p, std::string_view name) {
  return std::lower_bound(
      p.traits.begin(), p.traits.end(), name,
      [&](const Trait &t, std::string_view n) { return names_.name(t.name) < n; });
}

// Keeps `candidate` (its name already interned) when the trait is new or
// the candidate beats the current value.
void ProfileBook::offer(ProfileData &p, Trait &&candidate) {
  std::string_view name = names_.name(candidate.name);
  auto it = lower_bound(p, name);
  const Survivorship rule = rule_for(candidate.name);
  if (it == p.traits.end() || it->name != candidate.name) {
    p.traits.insert(it, std::move(candidate));
  } else if (rule == Survivorship::kAll) {
    TypedValue kept = kept_union(it->value, candidate.value);
    if (candidate.beats(*it, rule)) *it = std::move(candidate);  // the latest provenance
    it->value = std::move(kept);
  } else if (candidate.beats(*it, rule)) {
    *it = std::move(candidate);
  }
}

void ProfileBook::apply_event(uint64_t id, const EventBatch &batch, size_t i, int priority) {
  const Event &e = batch.events[i];
  ProfileData &p = touch(id);
  p.updated_at_ms = std::max(p.updated_at_ms, e.timestamp_ms);
  for (const Field &f : batch.fields_of(i)) {
    std::string_view key = trait_key(e, f.path);
    if (key.empty()) continue;
    // Compare the ordering metadata first: the typed value is only built
    // when it wins, which is rare once a profile is established.
    Trait candidate{0, 0, priority, e.timestamp_ms, e.sequence, {}};
    auto it = lower_bound(p, key);
    bool exists = it != p.traits.end() && names_.name(it->name) == key;
    const Survivorship rule = rules_.empty() ? Survivorship::kSourcePriority
                                             : rule_for(exists ? it->name : names_.intern(key));
    if (rule == Survivorship::kMostFrequent) {
      TallyEntry offer{TypedValue::from_leaf(f.value), 1, 0, e.timestamp_ms, e.sequence};
      if (offer.value.kind() == TypedKind::kNull) continue;
      offer.source = names_.intern(e.source);
      TraitTally &tally = tally_of(id, names_.intern(key));
      add_offer(tally, std::move(offer));
      set_winner(p, tally);
      continue;
    }
    if (rule == Survivorship::kAll) {
      candidate.value = TypedValue::from_leaf(f.value);
      if (candidate.value.kind() == TypedKind::kNull) continue;
      // A one-value kept set, united with the profile's by offer().
      candidate.value = kept_union(TypedValue::null(), candidate.value);
      candidate.source = names_.intern(e.source);
      candidate.name = names_.intern(key);
      offer(p, std::move(candidate));
      continue;
    }
    if (exists && !candidate.beats(*it, rule)) continue;
    candidate.source = names_.intern(e.source);
    candidate.value = TypedValue::from_leaf(f.value);
    if (exists) {
      candidate.name = it->name;
      *it = std::move(candidate);
    } else {
      candidate.name = names_.intern(key);
      p.traits.insert(it, std::move(candidate));
    }
  }
}

bool ProfileBook::TallyEntry::later_than(const TallyEntry &o) const {
  return offered_later(timestamp_ms, sequence, o.timestamp_ms, o.sequence);
}

bool ProfileBook::TallyEntry::beats(const TallyEntry &o) const {
  return times != o.times ? times > o.times : later_than(o);
}

ProfileBook::TraitTally &ProfileBook::tally_of(uint64_t id, uint32_t name) {
  std::vector<TraitTally> &tallies = tallies_[id];
  auto t = std::find_if(tallies.begin(), tallies.end(),
                        [&](const TraitTally &x) { return x.name == name; });
  return t != tallies.end() ? *t : tallies.emplace_back(TraitTally{name, {}});
}

void ProfileBook::add_offer(TraitTally &tally, TallyEntry &&offer) {
  std::vector<TallyEntry> &entries = tally.entries;
  auto same = std::find_if(entries.begin(), entries.end(),
                           [&](const TallyEntry &x) { return x.value == offer.value; });
  auto worse = [](const TallyEntry &a, const TallyEntry &b) { return b.beats(a); };
  if (same != entries.end()) {
    same->times += offer.times;
    if (offer.later_than(*same)) {
      same->source = offer.source;
      same->timestamp_ms = offer.timestamp_ms;
      same->sequence = offer.sequence;
    }
  } else if (entries.size() < kMaxKeptValues) {
    entries.push_back(std::move(offer));
  } else if (auto least = std::min_element(entries.begin(), entries.end(), worse);
             offer.beats(*least)) {
    *least = std::move(offer);  // the bound of survivorship.h
  }
}

void ProfileBook::set_winner(ProfileData &p, const TraitTally &tally) {
  auto worse = [](const TallyEntry &a, const TallyEntry &b) { return b.beats(a); };
  const TallyEntry &best = *std::max_element(tally.entries.begin(), tally.entries.end(), worse);
  Trait winner{tally.name,        best.source,   Trait{}.priority,
               best.timestamp_ms, best.sequence, best.value};
  Trait *at = lower_bound(p, names_.name(tally.name));
  if (at != p.traits.end() && at->name == tally.name) {
    *at = std::move(winner);
  } else {
    p.traits.insert(at, std::move(winner));
  }
}

void ProfileBook::merge(uint64_t from, uint64_t into) {
  ProfileData &dst = touch(into);
  if (ProfileData *src = profiles_.find(from)) {
    dst.updated_at_ms = std::max(dst.updated_at_ms, src->updated_at_ms);
    for (Trait &t : src->traits) offer(dst, std::move(t));
    // The tallies add up; the winners follow from the sums.
    if (auto moved = tallies_.extract(from)) {
      for (TraitTally &t : moved.mapped()) {
        TraitTally &sum = tally_of(into, t.name);
        for (TallyEntry &e : t.entries) add_offer(sum, std::move(e));
        set_winner(dst, sum);
      }
    }
    profiles_.erase(from);
  }
  deleted_.insert(from);
}

std::string ProfileBook::stored_traits(uint64_t id) const {
  const ProfileData *p = find(id);
  auto tallies = tallies_.find(id);
  const bool with_tallies = tallies != tallies_.end() && !tallies->second.empty();
  TraitEncoder enc(p ? p->traits.size() : 0, with_tallies);
  if (p == nullptr) return enc.take();
  std::vector<TallyRecord> tally;
  for (const Trait &t : p->traits) {
    tally.clear();
    if (with_tallies) {
      for (const TraitTally &x : tallies->second) {
        if (x.name != t.name) continue;
        for (const TallyEntry &e : x.entries) {
          tally.push_back({&e.value, e.times, names_.name(e.source), e.timestamp_ms, e.sequence});
        }
      }
      // Canonical order: equal tallies are equal bytes, however built (an
      // event offers one value a trait, so latest offers are distinct).
      std::sort(tally.begin(), tally.end(), [](const TallyRecord &a, const TallyRecord &b) {
        return offered_later(b.timestamp_ms, b.sequence, a.timestamp_ms, a.sequence);
      });
    }
    enc.add({names_.name(t.name), names_.name(t.source), t.priority, t.timestamp_ms, t.sequence,
             &t.value, tally});
  }
  return enc.take();
}

Status ProfileBook::load(uint64_t id, std::string_view stored, int64_t updated_at_ms) {
  std::vector<Trait> traits;
  std::vector<TraitTally> tallies;
  Status s = decode_traits(stored, [&](const TraitRecord &r) {
    traits.push_back({names_.intern(r.name), names_.intern(r.source), r.priority, r.timestamp_ms,
                      r.sequence, *r.value});
    if (r.tally.empty()) return;
    TraitTally &t = tallies.emplace_back(TraitTally{traits.back().name, {}});
    for (const TallyRecord &e : r.tally) {
      t.entries.push_back({*e.value, e.times, names_.intern(e.source), e.timestamp_ms, e.sequence});
    }
  });
  if (!s.ok())
    return Status::Corruption("profile " + std::to_string(id) + ": stored " + s.message());
  ProfileData &p = profiles_.get_or_create(id);
  p.updated_at_ms = updated_at_ms;
  p.traits.assign(std::move(traits));
  if (tallies.empty()) {
    tallies_.erase(id);
  } else {
    tallies_[id] = std::move(tallies);
  }
  return Status::Ok();
}

NamedValues ProfileBook::export_traits(uint64_t id) const {
  NamedValues out;
  if (const ProfileData *p = find(id)) {
    out.reserve(p->traits.size());
    for (const Trait &t : p->traits) out.push_back({std::string(names_.name(t.name)), t.value});
  }
  return out;
}

const TypedValue *ProfileBook::trait(uint64_t id, std::string_view name) const {
  const ProfileData *p = find(id);
  if (p == nullptr) return nullptr;
  auto it =
      std::lower_bound(p->traits.begin(), p->traits.end(), name,
                       [&](const Trait &t, std::string_view n) { return names_.name(t.name) < n; });
  return it != p->traits.end() && names_.name(it->name) == name ? &it->value : nullptr;
}

const ProfileData *ProfileBook::find(uint64_t id) const {
  return profiles_.find(id);
}

std::vector<uint64_t> ProfileBook::dirty() const {
  return profiles_.dirty_ids();
}

void ProfileBook::clear_changes() {
  profiles_.clear_dirty();
  deleted_.clear();
}

std::vector<uint64_t> ProfileBook::ids() const {
  return profiles_.ids();
}

size_t ProfileBook::memory_bytes() const {
  // A std::set node: three pointers, the colour and the key.
  constexpr size_t kSetNode = 4 * sizeof(void *) + sizeof(uint64_t);
  size_t bytes = profiles_.memory_bytes() + deleted_.size() * kSetNode;
  profiles_.for_each_record([&](const ProfileData &p) {
    bytes += p.traits.block_bytes();
    for (const Trait &t : p.traits) bytes += t.value.heap_bytes();
  });
  for (const auto &[id, tallies] : tallies_) {
    for (const TraitTally &t : tallies) {
      bytes += sizeof(TraitTally) + t.entries.capacity() * sizeof(TallyEntry);
      for (const TallyEntry &e : t.entries) bytes += e.value.heap_bytes();
    }
  }
  return bytes;
}

}  // namespace halo
