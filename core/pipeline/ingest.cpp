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
    case HALO_REASON_MALFORMED:
      return "malformed";
    case HALO_REASON_BAD_ENCODING:
      return "invalid_utf8";
    case HALO_REASON_WRONG_SHAPE:
      return "wrong_shape";
    case HALO_REASON_TOO_LARGE:
      return "too_large";
    case HALO_REASON_UNREADABLE:
      return "unreadable";
    case HALO_REASON_INVALID:
      return "invalid";
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

Status Pipeline::write(StoreWriter::Task task) {
  if (writer_) return writer_->submit(std::move(task));
  return task(*store_);
}

Status Pipeline::begin_if_needed() {
  if (in_transaction_) return Status::Ok();
  Status s = write([](Store &st) { return st.begin(); });
  if (s.ok()) in_transaction_ = true;
  return s;
}

Status Pipeline::pull_source(size_t index, RunSummary *summary) {
  SourceReader reader(*sources_[index], config_.sources[index].name, *parse_, config_.batch_size,
                      &commit_flags_[index], options_.cancel);
  return consume_source(reader, index, summary);
}

Status Pipeline::consume_source(SourceReader &reader, size_t index, RunSummary *summary) {
  const std::string &name = config_.sources[index].name;
  SourceInstance &src = *sources_[index];
  for (;;) {
    std::unique_ptr<SourceBatch> batch = reader.next();
    const RawBatch &raw = batch->raw;
    summary->stages.read += batch->read_seconds;
    summary->stages.parse += batch->parse_seconds;
    Status s = begin_if_needed();
    if (!s.ok()) return s;
    if (!batch->status.ok()) {
      // ERROR: this batch failed; it is recorded and the reader asks for the
      // next one (up to 3 in a row). FATAL or a persistent error stops.
      if (batch->status.code() != StatusCode::kPlugin || batch->last) return batch->status;
      log_error(src.label(), batch->status.message());
      DeadLetter d{"source", "source_error", batch->status.message(), name, "", "", wall_ms()};
      s = write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
      if (!s.ok()) return s;
      summary->rejected++;
      reader.recycle(std::move(batch));
      continue;
    }
    summary->records_read += raw.records.size() + raw.errors.size();
    for (const RawBatch::Record &r : raw.records) summary->input_bytes += r.len;
    for (const RawBatch::Error &e : raw.errors) {
      DeadLetter d{"parse", reason_code(e.reason), e.message, name, raw.where(e.origin, e.position),
                   e.raw,   batch->received_at_ms};
      s = write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
      if (!s.ok()) return s;
      summary->rejected++;
    }
    for (ParsedSlice &slice : batch->slices) {
      for (const DeadLetter &d : slice.rejects) {
        s = write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
        if (!s.ok()) return s;
        summary->rejected++;
      }
      s = ingest(slice.events, &slice.keys, summary);
      if (!s.ok()) return s;
    }
    pending_cursors_[name] = batch->cursor;
    sources_to_notify_.push_back(index);
    bool last = batch->last;
    reader.recycle(std::move(batch));
    if (uncommitted_events_ >= config_.commit_every || last ||
        now_seconds() - last_commit_ >= config_.commit_interval_ms / 1000.0) {
      StageTimer t(summary->stages.commit);
      s = commit();
      if (!s.ok()) return s;
    }
    report_progress(*summary, false);
    if (options_.stop_after_events && summary->accepted >= options_.stop_after_events) {
      // Simulated crash point for tests: leave without committing.
      log_warn("pipeline", "stopping early (HALO_TEST_EXIT_AFTER_EVENTS) without committing");
      std::fflush(nullptr);
      _exit(3);
    }
    if (last) return Status::Ok();
  }
}

Status Pipeline::ingest(EventBatch &batch, const std::vector<MessageKey> *keys,
                        RunSummary *summary) {
  if (batch.events.empty()) return Status::Ok();
  const bool replay = keys == nullptr;
  if (!replay) {
    StageTimer t(summary->stages.dedup);
    key_buffer_.clear();  // moved out to the log task of the previous batch
    key_buffer_.reserve(batch.events.size());
    summary->duplicates += compact_events(batch, [&](size_t i) {
      if (!seen_.insert((*keys)[i])) return false;
      key_buffer_.push_back((*keys)[i]);
      return true;
    });
    for (Event &e : batch.events) e.sequence = ++last_sequence_;
  }
  if (batch.events.empty()) return Status::Ok();
  resolution_.reset(batch.events.size(), &next_profile_id_);
  Status s;
  {
    StageTimer t(summary->stages.resolve);
    s = resolver_->resolve(batch, resolution_);
  }
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
  {
    StageTimer t(summary->stages.apply);
    s = apply_resolution(batch, resolution_, summary);
  }
  if (!s.ok()) return s;
  if (!replay) {
    StageTimer t(summary->stages.log);
    s = write(log_task(batch, std::move(key_buffer_)));
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
  std::vector<IdentityMerge> merges;
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
    merges.push_back({from, into, seq});
    summary->merges++;
    if (IdentifierList *moved = identifiers_.find(from)) {
      IdentifierList &target = identifiers_.get_or_create(into);
      target.insert(target.end(), std::make_move_iterator(moved->begin()),
                    std::make_move_iterator(moved->end()));
      identifiers_.erase(from);
    }
  }
  for (ResolutionOut::Link &l : out.links) {
    l.profile = live(l.profile);
    identifiers_.get_or_create(l.profile).emplace_back(l.type, l.value);
  }
  for (ResolutionOut::Conflict &c : out.conflicts) {
    c.profile = live(c.profile);
    c.event = c.event < batch.events.size() ? batch.events[c.event].sequence : 0;  // now a sequence
    summary->conflicts++;
  }
  Status s =
      write(identity_task(std::move(merges), std::move(out.links), std::move(out.conflicts)));
  if (!s.ok()) return s;
  // Events the resolver did not assign are dead-lettered, never dropped.
  bool all_assigned = true;
  for (uint64_t p : out.assignment) all_assigned = all_assigned && p != 0;
  if (!all_assigned) {
    for (size_t i = 0; i < batch.events.size(); ++i) {
      if (out.assignment[i] != 0) continue;
      const Event &e = batch.events[i];
      DeadLetter d{"resolve",
                   "unassigned",
                   "the resolver assigned no profile to this event",
                   std::string(e.source),
                   "sequence " + std::to_string(e.sequence),
                   std::string(e.raw),
                   e.received_at_ms};
      s = write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
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
    DeadLetter d{stage,           reason, message, std::string(e.source), "", std::string(e.raw),
                 e.received_at_ms};
    Status s = write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Pipeline::commit() {
  if (!in_transaction_) return Status::Ok();
  // Snapshot everything the commit writes (plugin state, profiles) on this
  // thread; the writer thread only executes SQL.
  auto snapshot = std::make_shared<CommitSnapshot>();
  for (size_t i = 0; i < features_.size(); ++i) {
    const std::string &instance = config_.features[i].name;
    Status s = features_[i]->save_dirty([&](uint64_t id, const void *data, size_t len) {
      snapshot->feature_state.push_back(
          {instance, id, std::string(static_cast<const char *>(data), len)});
    });
    if (!s.ok()) return s;
  }
  snapshot->deleted.assign(profiles_.deleted().begin(), profiles_.deleted().end());
  for (uint64_t id : profiles_.dirty()) {
    const ProfileData *p = profiles_.find(id);
    snapshot->profiles.push_back({id, profiles_.stored_traits(id), "{}", p ? p->updated_at_ms : 0});
  }
  snapshot->next_profile_id = next_profile_id_;
  snapshot->cursors.assign(pending_cursors_.begin(), pending_cursors_.end());
  // Sources learn of the commit only once it is durable, on their own
  // thread (the reader's, or deliver_commits() after reading ended).
  for (size_t i : sources_to_notify_) snapshot->committed_flags.push_back(&commit_flags_[i]);
  Status s = write([snapshot](Store &st) { return write_commit(st, *snapshot); });
  if (!s.ok()) return s;
  in_transaction_ = false;
  profiles_.clear_changes();
  pending_cursors_.clear();
  uncommitted_events_ = 0;
  last_commit_ = now_seconds();
  sources_to_notify_.clear();
  return Status::Ok();
}

void Pipeline::deliver_commits() {
  for (size_t i = 0; i < sources_.size(); ++i) {
    if (commit_flags_[i].exchange(false)) sources_[i]->committed();
  }
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
