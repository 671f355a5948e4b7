// working_set.cpp -- what a run loads from the store, and when.
//
// At start a run reads only counters and positions (restore_state). The
// rest loads when a stage first needs it:
//  - the message keys (dedup): for a run's first groups of batches only
//    the stored keys equal to theirs (load_matching_keys), then all of
//    them (load_more_keys);
//  - identity links, profiles and feature state: when the resolver and
//    every feature builder declare HALO_CAP_PARTIAL_RESTORE, only the
//    profiles a batch involves (load_working_set) or that are due for
//    emission (load_profiles); otherwise -- and once a run has probed so
//    many identifiers that one pass over the store costs less -- all of
//    them at once (ensure_restored).
//
// Invariants:
//  - A profile in the profile book was created by this run or is fully
//    loaded: its links are in the resolver, its state in every builder.
//    A stored profile is loaded at most once.
//  - Every read happens on this thread after the writer drained, so the
//    store shows everything this run wrote: an identifier this run linked
//    or repointed resolves to a profile in memory, and a profile this run
//    merged away is in the book's deleted set until its row is gone.

#include <xxhash.h>

#include <algorithm>

#include "common/huge_pages.h"
#include "pipeline/pipeline.h"

namespace halo {

namespace {

// Identifiers probed per run before one pass over the store is cheaper:
// a probe costs an index seek (and a found profile three more), a full
// restore a few row reads per stored profile, so the budget is about the
// number of stored profiles (the profile id counter), at least this.
constexpr uint64_t kMinProbeBudget = 10'000;

uint64_t identifier_hash(std::string_view type, std::string_view value) {
  XXH64_hash_t seed = XXH3_64bits(type.data(), type.size());
  return XXH3_64bits_withSeed(value.data(), value.size(), seed);
}

// Identity links for ResolverInstance::restore, their types and values
// copied back to back into one buffer rather than a string each.
struct LinkRows {
  std::string text;
  std::vector<halo_identity_link> links;
  std::vector<int64_t> at_ms;

  void add(std::string_view type, std::string_view value, uint64_t profile, int64_t at) {
    links.push_back({nullptr, type.size(), nullptr, value.size(), profile});
    at_ms.push_back(at);
    text.append(type).append(value);
  }
  // Points every link into `text`, which no longer moves.
  std::vector<halo_identity_link> &pointed() {
    size_t at = 0;
    for (halo_identity_link &l : links) {
      l.type = text.data() + at;
      at += l.type_len;
      l.value = text.data() + at;
      at += l.value_len;
    }
    return links;
  }
  void clear() {
    links.clear();
    at_ms.clear();
    text.clear();
  }
};

// Feature-builder state rows for FeatureInstance::restore, copied into one
// buffer rather than a string per row.
struct StateRows {
  std::string blobs;
  std::vector<halo_state_row> rows;

  void add(uint64_t id, const void *data, size_t len) {
    blobs.append(static_cast<const char *>(data), len);
    rows.push_back({id, nullptr, len});
  }
  // Points every row into `blobs`, which no longer moves.
  std::vector<halo_state_row> &pointed() {
    size_t at = 0;
    for (halo_state_row &r : rows) {
      r.data = blobs.data() + at;
      at += r.len;
    }
    return rows;
  }
};

}  // namespace

bool Pipeline::in_memory(uint64_t profile_id) const {
  return profiles_.find(profile_id) != nullptr || profiles_.deleted().count(profile_id) > 0;
}

bool Pipeline::partial_restore_supported() const {
  if (!resolver_->partial_restore()) return false;
  return std::all_of(features_.begin(), features_.end(),
                     [](const auto &f) { return f->partial_restore(); });
}

Status Pipeline::ensure_keys_loaded() {
  return load_more_keys(SIZE_MAX);
}

Status Pipeline::load_more_keys(size_t batches) {
  if (keys_loaded_) return Status::Ok();
  Status s = drain_writer();  // this thread reads the store below
  if (!s.ok()) return s;
  if (!keys_reserved_) {
    // The first call: room for every key at once. The log has no gaps, so
    // its last sequence (read at start) is the number of stored events --
    // a sum over every log row cost 15 ms at a million events.
    seen_.reserve(last_sequence_ + 1024);
    keys_reserved_ = true;
  }
  seen_.insert_all(read_ahead_.data(), read_ahead_.size());
  read_ahead_ = {};
  if (!keys_all_read_) {
    s = read_keys(batches, [&](const MessageKey *keys, size_t n) { seen_.insert_all(keys, n); });
  }
  if (s.ok() && keys_all_read_) keys_loaded_ = true;
  return s;
}

Status Pipeline::read_ahead_keys(size_t batches) {
  if (keys_all_read_) return Status::Ok();
  Status s = drain_writer();  // this thread reads the store below
  if (!s.ok()) return s;
  // One allocation: growing by doubling copied the keys and faulted in
  // every new block again. The log has no gaps: last_sequence_ keys. It is
  // filled end to end: huge pages (16 MB for a million keys: 3,900 faults
  // fewer, ~9% of the 10k-event run on a VM).
  if (read_ahead_.empty()) {
    read_ahead_.reserve(last_sequence_);
    advise_huge_pages(read_ahead_.data(), read_ahead_.capacity() * sizeof(MessageKey));
  }
  return read_keys(batches, [&](const MessageKey *keys, size_t n) {
    read_ahead_.insert(read_ahead_.end(), keys, keys + n);
  });
}

Status Pipeline::read_keys(size_t batches,
                           const std::function<void(const MessageKey *, size_t)> &take) {
  size_t read = 0;
  Status s = store_->scan_message_keys(keys_read_after_, batches,
                                       [&](uint64_t first, const MessageKey *keys, size_t n) {
                                         take(keys, n);
                                         keys_read_after_ = first;
                                         ++read;
                                       });
  if (s.ok() && read < batches) keys_all_read_ = true;
  return s;
}

Status Pipeline::load_matching_keys(const std::vector<std::unique_ptr<SourceBatch>> &batches) {
  Status s = drain_writer();  // this thread reads the store below
  if (!s.ok()) return s;
  size_t count = 0;
  for (const auto &b : batches) {
    for (const ParsedSlice &slice : b->slices) count += slice.keys.size();
  }
  // Small: both stay in the cache while the log streams by.
  MessageKeySet wanted;
  MessageKeyFilter filter(count);
  for (const auto &b : batches) {
    for (const ParsedSlice &slice : b->slices) {
      for (const MessageKey &k : slice.keys) {
        wanted.insert(k);
        filter.add(k);
      }
    }
  }
  auto match = [&](const MessageKey *keys, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (filter.may_contain(keys[i]) && wanted.contains(keys[i])) seen_.insert(keys[i]);
    }
  };
  if (wanted.size() > 0) {
    ++stored_key_scans_;
    match(read_ahead_.data(), read_ahead_.size());
    // The rest of the log in passing: keys_read_after_ stays where it is.
    if (!keys_all_read_) {
      s = store_->scan_message_keys(
          keys_read_after_, SIZE_MAX,
          [&](uint64_t, const MessageKey *keys, size_t n) { match(keys, n); });
    }
    if (!s.ok()) return s;
  }
  for (const auto &b : batches) b->keys_checked = true;
  return Status::Ok();
}

Status Pipeline::ensure_restored(RunSummary *summary) {
  if (state_restored_) return Status::Ok();
  // This thread reads the store below: the writer must be idle (the keys
  // may have loaded, and drained it, batches ago).
  Status s = drain_writer();
  if (s.ok()) s = ensure_keys_loaded();
  if (!s.ok()) return s;
  // Links and state first: in_memory() must still say which profiles
  // were loaded before this call while they are skipped.
  s = restore_resolver();
  for (size_t i = 0; s.ok() && i < features_.size(); ++i) s = restore_feature(i);
  if (!s.ok()) return s;
  uint64_t loaded = 0;
  Status load_status;
  s = store_->scan_profiles([&](const StoredProfile &p) {
    if (in_memory(p.id) || !load_status.ok()) return;
    load_status = profiles_.load(p.id, p.traits, p.updated_at_ms);
    ++loaded;
  });
  if (!s.ok()) return s;
  if (!load_status.ok()) return load_status;
  summary->profiles_restored += loaded;
  state_restored_ = true;
  return Status::Ok();
}

// Identity links go to the resolver in chunks (the vtable allows several
// restore calls), so the copy never holds more than one chunk.
Status Pipeline::restore_resolver() {
  constexpr size_t kChunk = 65'536;
  LinkRows chunk;
  auto flush = [&] {
    Status r = resolver_->restore(chunk.pointed(), chunk.at_ms);
    chunk.clear();
    return r;
  };
  Status failed;
  Status s = store_->scan_identifiers(
      [&](std::string_view type, std::string_view value, uint64_t p, int64_t at) {
        if (!failed.ok() || in_memory(p)) return;
        chunk.add(type, value, p, at);
        if (chunk.links.size() == kChunk) failed = flush();
      });
  if (!s.ok()) return s;
  if (!failed.ok()) return failed;
  return chunk.links.empty() ? Status::Ok() : flush();
}

// A builder's state rows in one call. Rows of profiles already in memory
// are skipped: the builder has them (loaded before, or created by this
// run).
Status Pipeline::restore_feature(size_t i) {
  StateRows state;
  Status s = store_->scan_feature_state(config_.features[i].name,
                                        [&](uint64_t id, const void *data, size_t len) {
                                          if (!in_memory(id)) state.add(id, data, len);
                                        });
  if (!s.ok()) return s;
  return features_[i]->restore(state.pointed());
}

Status Pipeline::load_working_set(const EventBatch &batch, RunSummary *summary) {
  if (state_restored_) return Status::Ok();
  if (!partial_restore_supported()) return ensure_restored(summary);
  if (probe_budget_ == 0) probe_budget_ = std::max(kMinProbeBudget, next_profile_id_);
  std::vector<const Identifier *> fresh;  // not probed before
  for (const Identifier &id : batch.identifiers) {
    if (probed_.insert(identifier_hash(id.type, id.value)).second) fresh.push_back(&id);
  }
  if (probed_.size() > probe_budget_) {
    probed_ = {};  // no longer needed: everything loads now
    return ensure_restored(summary);
  }
  if (fresh.empty()) return Status::Ok();
  Status s = drain_writer();
  if (!s.ok()) return s;
  std::vector<uint64_t> owners;
  for (const Identifier *id : fresh) {
    auto owner = store_->find_profile(id->type, id->value);
    if (!owner.ok()) return owner.status();
    if (owner->has_value() && !in_memory(**owner)) owners.push_back(**owner);
  }
  return load_profiles(std::move(owners), summary);
}

Status Pipeline::load_profiles(std::vector<uint64_t> ids, RunSummary *summary) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::erase_if(ids, [&](uint64_t id) { return in_memory(id); });
  if (ids.empty()) return Status::Ok();
  Status s = drain_writer();
  // A read per table for a chunk of ids, not a lookup per id and table.
  for (size_t first = 0; s.ok() && first < ids.size(); first += kLoadChunk) {
    auto chunk = std::span(ids).subspan(first, std::min(kLoadChunk, ids.size() - first));
    s = load_profile_chunk(chunk, summary);
  }
  return s;
}

Status Pipeline::load_profile_chunk(std::span<const uint64_t> ids, RunSummary *summary) {
  std::vector<uint64_t> found;  // gone ones (a due re-emit of a deleted profile) are skipped
  Status loaded;
  Status s = store_->get_profiles(ids, [&](const StoredProfile &p) {
    if (loaded.ok()) loaded = profiles_.load(p.id, p.traits, p.updated_at_ms);
    found.push_back(p.id);
  });
  if (s.ok()) s = loaded;
  if (!s.ok() || found.empty()) return s;
  LinkRows links;
  s = store_->scan_links_of(
      found, [&](uint64_t profile, std::string_view type, std::string_view value, int64_t at) {
        links.add(type, value, profile, at);
      });
  if (!s.ok()) return s;
  s = links.links.empty() ? Status::Ok() : resolver_->restore(links.pointed(), links.at_ms);
  for (size_t i = 0; s.ok() && i < features_.size(); ++i) s = load_feature_rows(i, found);
  if (s.ok()) summary->profiles_restored += found.size();
  return s;
}

Status Pipeline::load_feature_rows(size_t i, const std::vector<uint64_t> &ids) {
  StateRows state;
  Status s = store_->get_feature_states(
      config_.features[i].name, ids,
      [&](uint64_t id, std::string_view blob) { state.add(id, blob.data(), blob.size()); });
  if (!s.ok() || state.rows.empty()) return s;
  return features_[i]->restore(state.pointed());
}

}  // namespace halo
