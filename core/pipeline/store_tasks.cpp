// store_tasks.cpp -- store write tasks (see store_tasks.h).
#include "pipeline/store_tasks.h"

namespace halo {

StoreWriter::Task log_task(const EventBatch &batch, std::vector<MessageKey> keys) {
  struct Owned {
    std::string bytes;  // sources then raw records, back to back
    std::vector<LoggedEvent> events;
    std::vector<MessageKey> keys;
  };
  auto owned = std::make_shared<Owned>();
  size_t total = 0;
  for (const Event &e : batch.events) total += e.raw.size() + e.source.size();
  owned->bytes.reserve(total);
  std::vector<std::pair<size_t, size_t>> offsets;  // (source offset, raw offset)
  offsets.reserve(batch.events.size());
  for (const Event &e : batch.events) {
    size_t src = owned->bytes.size();
    owned->bytes.append(e.source);
    size_t raw = owned->bytes.size();
    owned->bytes.append(e.raw);
    offsets.emplace_back(src, raw);
  }
  // Views are made only after the buffer stopped growing.
  owned->events.reserve(batch.events.size());
  const char *base = owned->bytes.data();
  for (size_t i = 0; i < batch.events.size(); ++i) {
    const Event &e = batch.events[i];
    owned->events.push_back({e.sequence, e.received_at_ms,
                             std::string_view(base + offsets[i].first, e.source.size()),
                             std::string_view(base + offsets[i].second, e.raw.size())});
  }
  owned->keys = std::move(keys);
  return [owned](Store &st) { return st.append_events(owned->events, owned->keys); };
}

StoreWriter::Task identity_task(std::vector<IdentityMerge> merges,
                                std::vector<ResolutionOut::Link> links,
                                std::vector<ResolutionOut::Conflict> conflicts) {
  return [merges = std::move(merges), links = std::move(links),
          conflicts = std::move(conflicts)](Store &st) {
    for (const IdentityMerge &m : merges) {
      Status s = st.repoint_identifiers(m.from, m.into);
      if (s.ok()) s = st.add_merge(m.from, m.into, m.sequence);
      if (!s.ok()) return s;
    }
    for (const ResolutionOut::Link &l : links) {
      Status s = st.put_identifier(l.type, l.value, l.profile, l.sequence, l.at_ms);
      if (!s.ok()) return s;
    }
    for (const ResolutionOut::Conflict &c : conflicts) {
      Status s = st.add_conflict(c.event, c.type, c.value, c.profile, c.reason, c.event_profile);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
}

StoreWriter::Task feature_state_task(std::vector<FeatureStateRow> rows) {
  return [rows = std::move(rows)](Store &st) {
    for (const FeatureStateRow &r : rows) {
      Status s = st.put_feature_state(r.instance, r.profile_id, r.data.data(), r.data.size());
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
}

StoreWriter::Task delete_profiles_task(std::vector<uint64_t> ids, int64_t at_ms) {
  return [ids = std::move(ids), at_ms](Store &st) {
    for (uint64_t id : ids) {
      Status s = st.exit_all_segments(id, at_ms);
      if (s.ok()) s = st.delete_profile(id);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
}

StoreWriter::Task profiles_task(std::vector<StoredProfile> rows) {
  return [rows = std::move(rows)](Store &st) {
    for (const StoredProfile &p : rows) {
      Status s = st.put_profile(p);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
}

Status write_commit(Store &st, const CommitSnapshot &snap) {
  Status s = st.set_meta("next_profile_id", std::to_string(snap.next_profile_id));
  if (!s.ok()) return s;
  for (const auto &[source, cursor] : snap.cursors) {
    s = st.set_cursor(source, cursor);
    if (!s.ok()) return s;
  }
  s = st.commit();
  if (!s.ok()) return s;
  for (std::atomic<bool> *flag : snap.committed_flags) flag->store(true);
  return Status::Ok();
}

}  // namespace halo
