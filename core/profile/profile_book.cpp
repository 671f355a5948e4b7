// profile_book.cpp -- trait merging and the stored trait format.
//
// Stored form: {"name":{"v":<json>,"p":priority,"t":timestamp_ms,"s":sequence},...}
#include "profile/profile_book.h"

#include <simdjson.h>
#include <algorithm>
#include <tuple>

#include "common/json_writer.h"

namespace halo {

bool TraitValue::beats(const TraitValue &other) const {
  if (priority != other.priority) return priority < other.priority;
  return std::tie(timestamp_ms, sequence) > std::tie(other.timestamp_ms, other.sequence);
}

namespace {

std::string value_json(const Value &v) {
  std::string out;
  switch (v.kind) {
    case HALO_VALUE_NULL:
      return "null";
    case HALO_VALUE_BOOL:
      return v.boolean ? "true" : "false";
    case HALO_VALUE_NUMBER:
      return std::string(v.text);
    case HALO_VALUE_STRING:
      append_json_string(out, v.text);
      return out;
  }
  return "null";
}

// Returns the trait key for a field path, or empty when it is not a trait.
std::string_view trait_key(const Event &e, std::string_view path) {
  constexpr std::string_view kContext = "context.traits.";
  constexpr std::string_view kTraits = "traits.";
  if (path.substr(0, kContext.size()) == kContext) return path.substr(kContext.size());
  if (e.type == HALO_EVENT_IDENTIFY && path.substr(0, kTraits.size()) == kTraits) {
    return path.substr(kTraits.size());
  }
  return {};
}

}  // namespace

ProfileData &ProfileBook::touch(uint64_t id) {
  ProfileData &p = profiles_.get_or_create(id);
  if (!p.dirty) {
    p.dirty = true;
    dirty_list_.push_back(id);
    if (!deleted_.empty()) deleted_.erase(id);
  }
  return p;
}

void ProfileBook::apply_event(uint64_t id, const EventBatch &batch, size_t i, int priority) {
  const Event &e = batch.events[i];
  ProfileData &p = touch(id);
  p.updated_at_ms = std::max(p.updated_at_ms, e.timestamp_ms);
  for (uint32_t k = e.field_begin; k < e.field_begin + e.field_count; ++k) {
    const Field &f = batch.fields[k];
    std::string_view key = trait_key(e, f.path);
    if (key.empty()) continue;
    // Compare the ordering metadata first: the value's JSON is only built
    // when it wins, which is rare once a profile is established.
    TraitValue candidate{std::string(), priority, e.timestamp_ms, e.sequence};
    auto it = p.traits.find(key);
    if (it == p.traits.end()) {
      candidate.json = value_json(f.value);
      p.traits.emplace(std::string(key), std::move(candidate));
    } else if (candidate.beats(it->second)) {
      candidate.json = value_json(f.value);
      it->second = std::move(candidate);
    }
  }
}

void ProfileBook::merge(uint64_t from, uint64_t into) {
  ProfileData &dst = touch(into);
  if (ProfileData *src = profiles_.find(from)) {
    dst.updated_at_ms = std::max(dst.updated_at_ms, src->updated_at_ms);
    for (auto &[key, value] : src->traits) {
      auto it = dst.traits.find(key);
      if (it == dst.traits.end() || value.beats(it->second)) dst.traits[key] = std::move(value);
    }
    profiles_.erase(from);
  }
  deleted_.insert(from);
}

std::string ProfileBook::stored_traits(uint64_t id) const {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  if (const ProfileData *p = find(id)) {
    for (const auto &[key, v] : p->traits) {
      w.key(key).begin_object();
      w.key("v").raw(v.json);
      w.key("p").number(v.priority);
      w.key("t").number(v.timestamp_ms);
      w.key("s").number(static_cast<int64_t>(v.sequence));
      w.end_object();
    }
  }
  w.end_object();
  return out;
}

Status ProfileBook::load(uint64_t id, std::string_view stored, int64_t updated_at_ms) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(stored.data(), stored.size()).get(doc) != simdjson::SUCCESS ||
      !doc.is_object()) {
    return Status::Corruption("profile " + std::to_string(id) + ": stored traits are not JSON");
  }
  ProfileData &p = profiles_.get_or_create(id);
  p.updated_at_ms = updated_at_ms;
  for (auto [key, entry] : doc.get_object()) {
    TraitValue v;
    simdjson::dom::element value;
    int64_t prio = 100, ts = 0;
    uint64_t seq = 0;
    if (entry["v"].get(value) || entry["p"].get(prio) || entry["t"].get(ts) ||
        entry["s"].get(seq)) {
      return Status::Corruption("profile " + std::to_string(id) + ": trait '" + std::string(key) +
                                "' lacks v/p/t/s");
    }
    v.json = simdjson::minify(value);
    v.priority = static_cast<int>(prio);
    v.timestamp_ms = ts;
    v.sequence = seq;
    p.traits.emplace(std::string(key), std::move(v));
  }
  return Status::Ok();
}

std::string ProfileBook::export_traits(uint64_t id) const {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  if (const ProfileData *p = find(id)) {
    for (const auto &[key, v] : p->traits) w.key(key).raw(v.json);
  }
  w.end_object();
  return out;
}

const ProfileData *ProfileBook::find(uint64_t id) const {
  return profiles_.find(id);
}

std::vector<uint64_t> ProfileBook::dirty() const {
  std::vector<uint64_t> out;
  out.reserve(dirty_list_.size());
  for (uint64_t id : dirty_list_) {
    const ProfileData *p = profiles_.find(id);
    if (p != nullptr && p->dirty) out.push_back(id);
  }
  return out;
}

void ProfileBook::clear_changes() {
  for (uint64_t id : dirty_list_) {
    if (ProfileData *p = profiles_.find(id)) p->dirty = false;
  }
  dirty_list_.clear();
  deleted_.clear();
}

std::vector<uint64_t> ProfileBook::ids() const {
  std::vector<uint64_t> out;
  out.reserve(profiles_.size());
  profiles_.for_each([&](uint64_t id, const ProfileData &) { out.push_back(id); });
  return out;  // ascending already
}

}  // namespace halo
