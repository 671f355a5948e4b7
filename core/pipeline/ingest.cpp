// ingest.cpp -- the batch loop: pull a source batch, normalize it on all
// cores, drop duplicates, resolve identities, update profiles and features,
// log the events, and commit with the source cursor.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <unordered_map>

#include "common/log.h"
#include "pipeline/pipeline.h"

namespace halo {

namespace {

int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

const char *reason_code(int32_t reason) {
  switch (reason) {
    case HALO_REASON_MALFORMED: return "malformed";
    case HALO_REASON_BAD_ENCODING: return "invalid_utf8";
    case HALO_REASON_WRONG_SHAPE: return "wrong_shape";
    case HALO_REASON_TOO_LARGE: return "too_large";
    case HALO_REASON_UNREADABLE: return "unreadable";
    case HALO_REASON_INVALID: return "invalid";
  }
  return "source_error";
}

// Removes events whose flag is false, keeping order. Field and identifier
// ranges stay valid because they are addressed by offsets.
template <class Keep>
size_t compact_events(EventBatch &batch, Keep keep) {
  size_t out = 0;
  for (size_t i = 0; i < batch.events.size(); ++i) {
    if (keep(i)) batch.events[out++] = batch.events[i];
  }
  size_t removed = batch.events.size() - out;
  batch.events.resize(out);
  return removed;
}

}  // namespace

Status Pipeline::begin_if_needed() {
  if (in_transaction_) return Status::Ok();
  Status s = store_->begin();
  if (s.ok()) in_transaction_ = true;
  return s;
}

Status Pipeline::pull_source(size_t index, RunSummary *summary) {
  SourceInstance &src = *sources_[index];
  const std::string &name = config_.sources[index].name;
  RawBatch raw;
  int consecutive_errors = 0;
  for (;;) {
    if (options_.cancel && options_.cancel->load()) return Status::Ok();
    Status s = src.next_batch(raw, static_cast<uint32_t>(config_.batch_size));
    if (!s.ok()) {
      // ERROR: this batch failed; the kernel records it and asks for the
      // next one, but a source that keeps failing is stopped.
      if (s.code() != StatusCode::kPlugin || ++consecutive_errors >= 3) return s;
      log_error(src.label(), s.message());
      Status b = begin_if_needed();
      if (!b.ok()) return b;
      DeadLetter d{"source", "source_error", s.message(), name, "", "", wall_ms()};
      b = store_->add_dead_letter(d);
      if (!b.ok()) return b;
      summary->rejected++;
      continue;
    }
    consecutive_errors = 0;
    int64_t received_at = wall_ms();
    s = begin_if_needed();
    if (!s.ok()) return s;
    summary->records_read += raw.records.size() + raw.errors.size();
    for (const RawBatch::Record &r : raw.records) summary->input_bytes += r.len;
    for (const RawBatch::Error &e : raw.errors) {
      DeadLetter d{"parse", reason_code(e.reason), e.message, name, raw.where(e.origin, e.position),
                   e.raw, received_at};
      s = store_->add_dead_letter(d);
      if (!s.ok()) return s;
      summary->rejected++;
    }
    if (!raw.records.empty()) {
      parse_->run(raw, name, received_at);
      for (ParsedSlice &slice : parse_->slices()) {
        for (const DeadLetter &d : slice.rejects) {
          s = store_->add_dead_letter(d);
          if (!s.ok()) return s;
          summary->rejected++;
        }
        s = ingest(slice.events, /*replay=*/false, summary);
        if (!s.ok()) return s;
      }
    }
    auto cursor = src.cursor();
    if (!cursor.ok()) return cursor.status();
    pending_cursors_[name] = cursor.value();
    sources_to_notify_.push_back(index);
    if (uncommitted_events_ >= config_.commit_every || raw.end_of_data) {
      s = commit();
      if (!s.ok()) return s;
    }
    report_progress(*summary, false);
    if (options_.stop_after_events && summary->accepted >= options_.stop_after_events) {
      // Simulated crash point for tests: leave without committing.
      log_warn("pipeline", "stopping early (--stop-after) without committing the open batch");
      std::fflush(nullptr);
      _exit(3);
    }
    if (raw.end_of_data) return Status::Ok();
    if (raw.records.empty() && raw.errors.empty()) return Status::Ok();  // idle stream: --once
  }
}

Status Pipeline::ingest(EventBatch &batch, bool replay, RunSummary *summary) {
  if (batch.events.empty()) return Status::Ok();
  if (!replay) {
    key_buffer_.clear();
    std::vector<MessageKey> keys;
    keys.reserve(batch.events.size());
    summary->duplicates += compact_events(batch, [&](size_t i) {
      MessageKey k = message_key(batch.events[i].source, batch.events[i].message_id);
      if (!seen_.insert(k)) return false;
      keys.push_back(k);
      return true;
    });
    key_buffer_ = std::move(keys);
    for (Event &e : batch.events) e.sequence = ++last_sequence_;
  }
  if (batch.events.empty()) return Status::Ok();
  resolution_.reset(batch.events.size(), &next_profile_id_);
  Status s = resolver_->resolve(batch, resolution_);
  if (!s.ok()) {
    // The batch is refused as a whole: its keys are forgotten so a fixed
    // resolver can accept the re-sent events later.
    if (!replay) {
      for (const MessageKey &k : key_buffer_) seen_.erase(k);
      last_sequence_ -= batch.events.size();
    }
    if (s.code() != StatusCode::kPlugin) return s;
    log_error(resolver_->label(), s.message());
    return dead_letter_events(batch, "resolve", "resolver_error", s.message());
  }
  s = apply_resolution(batch, resolution_, summary);
  if (!s.ok()) return s;
  if (!replay) {
    log_buffer_.clear();
    for (const Event &e : batch.events) {
      log_buffer_.push_back({e.sequence, e.received_at_ms, e.source, e.raw});
    }
    s = store_->append_events(log_buffer_, key_buffer_);
    if (!s.ok()) return s;
  }
  summary->accepted += batch.events.size();
  uncommitted_events_ += batch.events.size();
  return Status::Ok();
}

Status Pipeline::apply_resolution(EventBatch &batch, ResolutionOut &out, RunSummary *summary) {
  // Merges in the order the resolver made them; `forward` maps a merged-away
  // profile to the one that absorbed it.
  std::unordered_map<uint64_t, uint64_t> forward;
  auto live = [&](uint64_t p) {
    for (auto it = forward.find(p); it != forward.end(); it = forward.find(p)) p = it->second;
    return p;
  };
  for (const ResolutionOut::Merge &m : out.merges) {
    uint64_t from = live(m.from), into = live(m.into);
    if (from == into) continue;
    forward[from] = into;
    profiles_.merge(from, into);
    for (auto &f : features_) {
      Status s = f->merge(from, into);
      if (!s.ok()) return s;
    }
    uint64_t seq = m.event < batch.events.size() ? batch.events[m.event].sequence : 0;
    Status s = store_->repoint_identifiers(from, into);
    if (s.ok()) s = store_->add_merge(from, into, seq);
    if (!s.ok()) return s;
    summary->merges++;
  }
  for (const ResolutionOut::Link &l : out.links) {
    Status s = store_->put_identifier(l.type, l.value, live(l.profile));
    if (!s.ok()) return s;
  }
  for (const ResolutionOut::Conflict &c : out.conflicts) {
    uint64_t seq = c.event < batch.events.size() ? batch.events[c.event].sequence : 0;
    Status s = store_->add_conflict(seq, c.type, c.value, live(c.profile), c.reason);
    if (!s.ok()) return s;
    summary->conflicts++;
  }
  // Events the resolver did not assign are dead-lettered, never dropped.
  bool all_assigned = true;
  for (uint64_t p : out.assignment) all_assigned = all_assigned && p != 0;
  if (!all_assigned) {
    for (size_t i = 0; i < batch.events.size(); ++i) {
      if (out.assignment[i] != 0) continue;
      const Event &e = batch.events[i];
      DeadLetter d{"resolve", "unassigned", "the resolver assigned no profile to this event",
                   std::string(e.source), "sequence " + std::to_string(e.sequence),
                   std::string(e.raw), e.received_at_ms};
      Status s = store_->add_dead_letter(d);
      if (!s.ok()) return s;
      summary->rejected++;
    }
    std::vector<uint64_t> kept;
    compact_events(batch, [&](size_t i) {
      if (out.assignment[i] == 0) return false;
      kept.push_back(out.assignment[i]);
      return true;
    });
    out.assignment = std::move(kept);
  }
  profile_ids_.resize(batch.events.size());
  for (size_t i = 0; i < batch.events.size(); ++i) {
    profile_ids_[i] = live(out.assignment[i]);
    profiles_.apply_event(profile_ids_[i], batch, i, priority_of(batch.events[i].source));
  }
  for (auto &f : features_) {
    Status s = f->update(batch, profile_ids_);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Pipeline::dead_letter_events(const EventBatch &batch, const std::string &stage,
                                    const std::string &reason, const std::string &message) {
  for (const Event &e : batch.events) {
    DeadLetter d{stage, reason, message, std::string(e.source), "", std::string(e.raw),
                 e.received_at_ms};
    Status s = store_->add_dead_letter(d);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Pipeline::commit() {
  if (!in_transaction_) return Status::Ok();
  for (size_t i = 0; i < features_.size(); ++i) {
    const std::string &instance = config_.features[i].name;
    Status inner;
    Status s = features_[i]->save_dirty([&](uint64_t id, const void *data, size_t len) {
      Status w = store_->put_feature_state(instance, id, data, len);
      if (!w.ok() && inner.ok()) inner = w;
    });
    if (!s.ok()) return s;
    if (!inner.ok()) return inner;
  }
  for (uint64_t id : profiles_.deleted()) {
    Status s = store_->delete_profile(id);
    if (!s.ok()) return s;
  }
  for (uint64_t id : profiles_.dirty()) {
    const ProfileData *p = profiles_.find(id);
    StoredProfile sp;
    sp.id = id;
    sp.traits_json = profiles_.stored_traits(id);
    sp.updated_at_ms = p ? p->updated_at_ms : 0;
    Status s = store_->put_profile(sp);
    if (!s.ok()) return s;
  }
  Status s = store_->set_meta("next_profile_id", std::to_string(next_profile_id_));
  if (!s.ok()) return s;
  for (const auto &[source, cursor] : pending_cursors_) {
    s = store_->set_cursor(source, cursor);
    if (!s.ok()) return s;
  }
  s = store_->commit();
  if (!s.ok()) return s;
  in_transaction_ = false;
  profiles_.clear_changes();
  pending_cursors_.clear();
  uncommitted_events_ = 0;
  for (size_t i : sources_to_notify_) sources_[i]->committed();
  sources_to_notify_.clear();
  return Status::Ok();
}

void Pipeline::report_progress(const RunSummary &s, bool final) {
  if (!options_.progress) return;
  double now = now_seconds();
  if (!final && now - last_progress_ < 0.5) return;
  last_progress_ = now;
  double secs = now - started_;
  std::fprintf(stderr, "\r  read %llu  accepted %llu  rejected %llu  %.0f events/s   %s",
               (unsigned long long)s.records_read, (unsigned long long)s.accepted,
               (unsigned long long)s.rejected, secs > 0 ? s.records_read / secs : 0.0,
               final ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace halo
