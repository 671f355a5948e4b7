// ingest.cpp -- the batch loop: every source read at once by its reader,
// their batches taken in arrival order on this thread; drop duplicates,
// resolve identities, update profiles and features, log the events, and
// commit with each source's cursor.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "common/clock.h"
#include "common/log.h"
#include "pipeline/change_set.h"
#include "pipeline/pipeline.h"
#include "pipeline/trigger_actions.h"

namespace halo {

namespace {

// A link the resolver made without naming its event (resolve_link) is
// credited to the first stored event of the batch that carries its
// identifier (what `halo identity explain` shows, and the time windowed
// limits count); a link no event carries (a resolver may re-link on its
// own) keeps sequence and time 0.
void credit_links_to_events(const EventBatch &batch, std::vector<ResolutionOut::Link> &links) {
  using Key = std::pair<std::string_view, std::string_view>;
  struct KeyHash {
    size_t operator()(const Key &k) const {
      return std::hash<std::string_view>()(k.first) * 31 + std::hash<std::string_view>()(k.second);
    }
  };
  std::unordered_map<Key, const Event *, KeyHash> first_event;
  for (const ResolutionOut::Link &l : links) {
    if (l.event == ResolutionOut::kUnknownEvent) first_event.emplace(Key{l.type, l.value}, nullptr);
  }
  if (first_event.empty()) return;
  size_t unseen = first_event.size();
  for (size_t i = 0; i < batch.events.size() && unseen > 0; ++i) {
    const Event &e = batch.events[i];
    for (uint32_t k = e.id_begin; k < e.id_begin + e.id_count; ++k) {
      auto it = first_event.find(Key{batch.identifiers[k].type, batch.identifiers[k].value});
      if (it == first_event.end() || it->second != nullptr) continue;
      it->second = &e;
      --unseen;
    }
  }
  for (ResolutionOut::Link &l : links) {
    if (l.event != ResolutionOut::kUnknownEvent) continue;
    if (const Event *e = first_event[Key{l.type, l.value}]) {
      l.sequence = e->sequence;
      l.at_ms = e->timestamp_ms;
    }
  }
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

// Removes the link-only events of a rebuild in timestamp order
// (timestamp_order.h) or of a reattach (rejoin.cpp) once their links and
// merges are made: they are no events of any profile.
void drop_join_events(EventBatch &batch, std::vector<uint64_t> &assignment) {
  std::vector<uint64_t> kept;
  compact_events(batch, [&](size_t i) {
    if (batch.events[i].source == kJoinSource) return false;
    kept.push_back(assignment[i]);
    return true;
  });
  assignment = std::move(kept);
}

// Events [begin, end) of `batch` as a batch of their own. Field and
// identifier offsets stay valid because those arrays are copied whole; the
// strings still live in `batch`'s arena, which must outlive the result.
// Used only to isolate failing events, so the copies are not on the hot path.
EventBatch event_range(const EventBatch &batch, size_t begin, size_t end) {
  EventBatch out;
  out.events.assign(batch.events.begin() + begin, batch.events.begin() + end);
  out.fields = batch.fields;
  out.identifiers = batch.identifiers;
  return out;
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

// Threads for each reader's parse stage: one source keeps the shared
// stage (every thread); several split the threads between them.
std::vector<std::unique_ptr<ParseStage>> Pipeline::reader_parse_stages(size_t readers) {
  std::vector<std::unique_ptr<ParseStage>> stages;
  if (readers <= 1) return stages;
  int each = std::max(1, parse_threads_ / static_cast<int>(readers));
  for (size_t i = 0; i < readers; ++i)
    stages.push_back(std::make_unique<ParseStage>(normalize_options_, each));
  return stages;
}

Status Pipeline::read_sources(const std::vector<size_t> &started, RunSummary *summary) {
  if (started.empty()) return Status::Ok();
  BatchQueue queue(sources_.size(), kReadAhead);
  // Declared before the readers: destroyed after them.
  std::vector<std::unique_ptr<ParseStage>> stages = reader_parse_stages(started.size());
  const uint64_t blocked_before = parse_->blocked_identifiers();
  std::vector<std::unique_ptr<SourceReader>> readers;
  for (size_t k = 0; k < started.size(); ++k) {
    size_t i = started[k];
    ReadPacing pacing;
    pacing.keep_polling = options_.keep_polling;
    pacing.poll_interval_s = config_.sources[i].poll_interval_ms / 1000.0;
    ParseStage &parse = stages.empty() ? *parse_ : *stages[k];
    readers.push_back(std::make_unique<SourceReader>(*sources_[i], i, config_.sources[i].name,
                                                     parse, config_.batch_size, queue, pacing,
                                                     &commit_flags_[i], options_.cancel));
  }
  size_t reading = readers.size();
  std::vector<std::unique_ptr<SourceBatch>> held;  // to consume, in arrival order
  while (reading > 0) {
    // The first batches are checked against the stored keys without
    // loading them into the set (hold_and_check); once a run has used its
    // scans, every stored key loads. Until batches arrive, this thread
    // reads the stored keys ahead a few log batches at a time (or, scans
    // used, loads them): that overlaps the sources' start-up (a file
    // source re-checking what it read before). Sources with nothing new
    // say so within milliseconds: the first read waits that long, so such
    // a run reads no key at all.
    const bool scans_left = stored_key_scans_ < kMaxStoredKeyScans;
    const bool preload = scans_left ? !keys_all_read_ : !keys_loaded_;
    const double wait = !preload                ? seconds_until_commit_due()
                        : keys_read_after_ == 0 ? kPreloadDelaySeconds
                                                : 0.0;
    std::unique_ptr<SourceBatch> batch = queue.pop(wait);
    if (!batch && preload) {
      Status s =
          scans_left ? read_ahead_keys(kPreloadKeyBatches) : load_more_keys(kPreloadKeyBatches);
      if (!s.ok()) return s;
      continue;
    }
    Status s;
    if (batch) {
      held.push_back(std::move(batch));
      if (!keys_loaded_ && scans_left) s = hold_and_check(queue, reading, held, summary);
      for (auto &b : held) {
        const bool last = b->last;
        if (s.ok()) s = consume_batch(*b, summary);
        queue.recycle(std::move(b));
        if (last) --reading;
      }
      held.clear();
    } else if (in_transaction_) {
      // Sources are quiet: what they sent is committed on time anyway.
      StageTimer t(summary->stages.commit);
      s = commit();
    }
    // Serve: between commits, consumers catch up (rate-limited inside).
    // Not only when the queue is empty: a polled source that has nothing
    // new still queues its end-of-data batch every poll.
    if (s.ok() && options_.keep_polling && !in_transaction_) s = serve_consumers(summary);
    if (!s.ok()) return s;  // the readers stop as they are destroyed
  }
  // Every reader has delivered its last batch, so no parse runs any more.
  summary->blocked_identifiers += parse_->blocked_identifiers() - blocked_before;
  for (const auto &stage : stages) summary->blocked_identifiers += stage->blocked_identifiers();
  return Status::Ok();
}

Status Pipeline::hold_and_check(BatchQueue &queue, size_t reading,
                                std::vector<std::unique_ptr<SourceBatch>> &held,
                                RunSummary *summary) {
  size_t ended = held.front()->last ? 1 : 0;
  StageTimer t(summary->stages.restore);
  while (held.size() < kHoldBatches && ended < reading) {
    // Batches that come while the stored keys are read ahead join this
    // check; once every key is read, the held ones go on at once (a later
    // batch gets the second scan).
    std::unique_ptr<SourceBatch> more = queue.pop(0);
    if (!more) {
      if (keys_all_read_) break;
      Status s = read_ahead_keys(kPreloadKeyBatches);
      if (!s.ok()) return s;
      continue;
    }
    if (more->last) ++ended;
    held.push_back(std::move(more));
  }
  return load_matching_keys(held);
}

double Pipeline::seconds_until_commit_due() const {
  if (!in_transaction_) return ReadPacing::kMaxIdleWait;
  return commit_cadence().seconds_until_due(steady_seconds() - last_commit_,
                                            last_commit_seconds_.load(std::memory_order_relaxed));
}

CommitCadence Pipeline::commit_cadence() const {
  return {config_.commit_every, config_.commit_interval_ms / 1000.0};
}

Status Pipeline::consume_batch(SourceBatch &batch, RunSummary *summary) {
  const size_t index = batch.source;
  summary->stages.read += batch.read_seconds;
  summary->stages.parse += batch.parse_seconds;
  Status s = begin_if_needed();
  if (!s.ok()) return s;
  if (batch.has_cursor) {
    // Whatever the call returned, what it handed over is stored with the
    // cursor it reported (plugin.h, next_batch).
    s = ingest_records(batch, summary);
    if (!s.ok()) return s;
    pending_cursors_[config_.sources[index].name] = batch.cursor;
    sources_to_notify_.push_back(index);
  }
  if (!batch.status.ok()) {
    // ERROR: recorded, and the reader asks for the next batch (up to 3 in a
    // row). FATAL or a persistent error ends this source only: its
    // committed batches stay, the other sources go on.
    if (batch.status.code() != StatusCode::kPlugin || batch.last) {
      source_failed(index, batch.status, summary);
    } else {
      log_error(sources_[index]->label(), batch.status.message());
      DeadLetter d{
          "source", "source_error", batch.status.message(), config_.sources[index].name, "",
          "",       wall_ms()};
      s = write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
      if (!s.ok()) return s;
      summary->rejected++;
    }
  }
  if (batch.last || batch.caught_up ||
      commit_cadence().due(steady_seconds() - last_commit_, uncommitted_events_,
                           last_commit_seconds_.load(std::memory_order_relaxed))) {
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
  return Status::Ok();
}

Status Pipeline::ingest_records(SourceBatch &batch, RunSummary *summary) {
  const std::string &name = config_.sources[batch.source].name;
  const RawBatch &raw = batch.raw;
  summary->records_read += raw.records.size() + raw.errors.size();
  for (const RawBatch::Record &r : raw.records) summary->input_bytes += r.len;
  Status s;
  for (const RawBatch::Error &e : raw.errors) {
    DeadLetter d{"parse", reason_code(e.reason), e.message, name, raw.where(e.origin, e.position),
                 e.raw,   batch.received_at_ms};
    s = write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
    if (!s.ok()) return s;
    summary->rejected++;
  }
  for (ParsedSlice &slice : batch.slices) {
    for (const DeadLetter &d : slice.rejects) {
      s = write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
      if (!s.ok()) return s;
      summary->rejected++;
    }
    for (const DeadLetter &d : slice.stored_without) {
      ++(d.stage == "trait"      ? summary->invalid_traits
         : d.stage == "property" ? summary->invalid_properties
                                 : summary->invalid_identifiers);
      s = write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
      if (!s.ok()) return s;
    }
    s = ingest(slice.events, &slice.keys, batch.keys_checked, summary);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Pipeline::ingest(EventBatch &batch, const std::vector<MessageKey> *keys, bool keys_checked,
                        RunSummary *summary) {
  if (batch.events.empty()) return Status::Ok();
  std::vector<MessageKey> kept_keys;  // keys of the events kept, in order
  if (keys != nullptr) {
    Status loaded;
    if (!keys_checked) {
      StageTimer t(summary->stages.restore);
      loaded = ensure_keys_loaded();
    }
    if (!loaded.ok()) return loaded;
    StageTimer t(summary->stages.dedup);
    kept_keys.reserve(batch.events.size());
    seen_.reserve(seen_.size() + keys->size());  // no rehash below: prefetches stay useful
    summary->duplicates += compact_events(batch, [&](size_t i) {
      // A large set misses the cache on every lookup: fetch a few ahead.
      constexpr size_t kAhead = 8;
      if (i + kAhead < keys->size()) seen_.prefetch((*keys)[i + kAhead]);
      if (!seen_.insert((*keys)[i])) return false;
      kept_keys.push_back((*keys)[i]);
      return true;
    });
    // Provisional: the final sequences are given once the resolver has
    // said which events are stored (the log has no gaps).
    for (size_t i = 0; i < batch.events.size(); ++i)
      batch.events[i].sequence = last_sequence_ + 1 + i;
  }
  if (batch.events.empty()) return Status::Ok();
  Status loaded;
  {
    StageTimer t(summary->stages.restore);
    loaded = load_working_set(batch, summary);
  }
  if (!loaded.ok()) return loaded;
  return resolve_and_store(batch, std::move(kept_keys), /*replay=*/keys == nullptr, summary);
}

Status Pipeline::resolve_and_store(EventBatch &batch, std::vector<MessageKey> keys, bool replay,
                                   RunSummary *summary) {
  resolution_.reset(batch.events.size(), &next_profile_id_);
  resolution_.reuse_profile_id = &reuse_profile_id_;
  Status s;
  {
    StageTimer t(summary->stages.resolve);
    s = resolver_->resolve(batch, resolution_);
  }
  if (!s.ok()) {
    if (s.code() != StatusCode::kPlugin) return s;
    // The resolver left itself unchanged (plugin.h): find the events that
    // fail on their own by resolving halves; the others go on.
    if (batch.events.size() > 1) return resolve_halves(batch, std::move(keys), replay, summary);
    log_error(resolver_->label(), s.message());
    resolution_.reset(1, &next_profile_id_);  // drop whatever the failed call said
    resolution_.rejections.push_back(EventRejection{0, "resolver_error", s.message()});
  }
  {
    StageTimer t(summary->stages.apply);
    s = apply_resolution(batch, resolution_, keys, replay, summary);
  }
  if (!s.ok() || batch.events.empty()) return s;
  if (!replay) {
    StageTimer t(summary->stages.log);
    s = write(log_task(batch, std::move(keys)));
    if (!s.ok()) return s;
  }
  summary->accepted += batch.events.size();
  uncommitted_events_ += batch.events.size();
  return Status::Ok();
}

Status Pipeline::resolve_halves(const EventBatch &batch, std::vector<MessageKey> keys, bool replay,
                                RunSummary *summary) {
  const size_t mid = batch.events.size() / 2;
  for (auto [begin, end] : {std::pair{size_t{0}, mid}, std::pair{mid, batch.events.size()}}) {
    EventBatch half = event_range(batch, begin, end);
    std::vector<MessageKey> half_keys;
    if (!replay) half_keys.assign(keys.begin() + begin, keys.begin() + end);
    Status s = resolve_and_store(half, std::move(half_keys), replay, summary);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Pipeline::apply_resolution(EventBatch &batch, ResolutionOut &out,
                                  std::vector<MessageKey> &keys, bool replay, RunSummary *summary) {
  // Batch index -> log sequence of the events that stay (0: dropped).
  std::vector<uint64_t> sequence_of;
  for (ResolutionOut::Conflict &c : out.conflicts) {  // before unassigned events go
    if (c.event < out.assignment.size()) c.event_profile = out.assignment[c.event];
  }
  for (ResolutionOut::Link &l : out.links) {  // the host checked the index
    if (l.event != ResolutionOut::kUnknownEvent) l.at_ms = batch.events[l.event].timestamp_ms;
  }
  Status s = drop_unassigned(batch, out, keys, replay, summary, sequence_of);
  if (!s.ok()) return s;
  auto sequence_at = [&](size_t i) { return i < sequence_of.size() ? sequence_of[i] : 0; };
  for (ResolutionOut::Link &l : out.links) {
    if (l.event != ResolutionOut::kUnknownEvent) l.sequence = sequence_at(l.event);
  }
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
    merged_into_[from] = into;
    profiles_.merge(from, into);
    for (auto &f : features_) {
      s = f->merge(from, into);
      if (!s.ok()) return s;
    }
    merges.push_back({from, into, sequence_at(m.event)});
    summary->merges++;
  }
  for (ResolutionOut::Link &l : out.links) {
    l.profile = live(l.profile);
  }
  credit_links_to_events(batch, out.links);
  if (options_.timestamp_order) options_.timestamp_order->retime(out.links);
  batch_refusals_.clear();
  for (ResolutionOut::Conflict &c : out.conflicts) {
    c.profile = live(c.profile);
    if (watch_arrival_order_ && sequence_at(c.event) != 0) {
      batch_refusals_.push_back({sequence_at(c.event), c.profile, c.type, c.value, 0});
    }
    if (c.event_profile != 0) c.event_profile = live(c.event_profile);
    c.event = sequence_at(c.event);  // now a sequence
    summary->conflicts++;
  }
  s = write(identity_task(std::move(merges), std::move(out.links), std::move(out.conflicts)));
  if (!s.ok()) return s;
  if (options_.timestamp_order || joining_) drop_join_events(batch, out.assignment);
  profile_ids_.resize(batch.events.size());
  for (size_t i = 0; i < batch.events.size(); ++i) profile_ids_[i] = live(out.assignment[i]);
  // Each event's profile record is a cache miss of its own in a large book:
  // a few events ahead, its load is started.
  constexpr size_t kAhead = 4;
  for (size_t i = 0; i < batch.events.size(); ++i) {
    if (i + kAhead < batch.events.size()) profiles_.prefetch(profile_ids_[i + kAhead]);
    watch_arrival(batch, i, profile_ids_[i]);
    profiles_.apply_event(profile_ids_[i], batch, i, priority_of(batch.events[i].source));
  }
  if (!replay) {
    s = schedule_event_triggers(batch);
    if (s.ok()) s = record_consent_events(batch, summary);
    if (!s.ok()) return s;
  }
  return update_features(batch, replay, summary);
}

Status Pipeline::update_features(const EventBatch &batch, bool replay, RunSummary *summary) {
  const size_t n = batch.events.size();
  for (size_t begin = 0; begin < n;) {
    if (is_action_source(batch.events[begin].source)) {
      ++begin;
      continue;
    }
    size_t end = begin;
    while (end < n && !is_action_source(batch.events[end].source)) ++end;
    const bool whole = begin == 0 && end == n;  // the usual case: no copy
    const EventBatch part = whole ? EventBatch{} : event_range(batch, begin, end);
    const std::vector<uint64_t> ids =
        whole ? std::vector<uint64_t>{}
              : std::vector<uint64_t>(profile_ids_.begin() + begin, profile_ids_.begin() + end);
    for (size_t f = 0; f < features_.size(); ++f) {
      Status s =
          update_feature(f, whole ? batch : part, whole ? profile_ids_ : ids, replay, summary);
      if (!s.ok()) return s;
    }
    begin = end;
  }
  return Status::Ok();
}

Status Pipeline::drop_unassigned(EventBatch &batch, ResolutionOut &out,
                                 std::vector<MessageKey> &keys, bool replay, RunSummary *summary,
                                 std::vector<uint64_t> &sequence_of) {
  // Stored events take the next log sequences, in batch order (a replay
  // keeps the logged ones).
  sequence_of.assign(batch.events.size(), 0);
  for (size_t i = 0; i < batch.events.size(); ++i) {
    if (out.assignment[i] == 0) continue;
    if (!replay) batch.events[i].sequence = ++last_sequence_;
    sequence_of[i] = batch.events[i].sequence;
  }
  if (std::find(out.assignment.begin(), out.assignment.end(), 0) == out.assignment.end()) {
    return Status::Ok();
  }
  // Why each unassigned event was refused, when the resolver said so.
  std::vector<const EventRejection *> why(batch.events.size(), nullptr);
  for (const EventRejection &r : out.rejections) why[r.index] = &r;
  static const EventRejection kUnassigned{0, "unassigned",
                                          "the resolver assigned no profile to this event"};
  for (size_t i = 0; i < batch.events.size(); ++i) {
    if (out.assignment[i] != 0) continue;
    const EventRejection &r = why[i] ? *why[i] : kUnassigned;
    batch.events[i].sequence = 0;  // never stored
    Status s = reject_event(batch.events[i], "resolve", r.reason, r.message, replay, summary);
    if (!s.ok()) return s;
    // Not stored, so not seen: the event fixed and sent again is accepted.
    if (!replay) seen_.erase(keys[i]);
  }
  std::vector<uint64_t> kept;
  std::vector<MessageKey> kept_keys;
  compact_events(batch, [&](size_t i) {
    if (out.assignment[i] == 0) return false;
    kept.push_back(out.assignment[i]);
    if (!replay) kept_keys.push_back(keys[i]);
    return true;
  });
  out.assignment = std::move(kept);
  keys = std::move(kept_keys);
  return Status::Ok();
}

Status Pipeline::update_feature(size_t f, const EventBatch &batch,
                                const std::vector<uint64_t> &profile_ids, bool replay,
                                RunSummary *summary) {
  std::vector<EventRejection> rejected;
  Status s = features_[f]->update(batch, profile_ids, &rejected);
  if (!s.ok() && s.code() != StatusCode::kPlugin) return s;
  if (!s.ok() && batch.events.size() > 1) {
    // The builder left its state unchanged (plugin.h): updating with halves
    // isolates the events that fail on their own.
    const size_t mid = batch.events.size() / 2;
    for (auto [begin, end] : {std::pair{size_t{0}, mid}, std::pair{mid, batch.events.size()}}) {
      EventBatch half = event_range(batch, begin, end);
      std::vector<uint64_t> ids(profile_ids.begin() + begin, profile_ids.begin() + end);
      s = update_feature(f, half, ids, replay, summary);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }
  if (!s.ok()) {
    log_error(features_[f]->label(), s.message());
    rejected.assign(1, EventRejection{0, "feature_error", s.message()});
  }
  for (const EventRejection &r : rejected) {
    const std::string message = features_[f]->label() + " did not use this event (profile " +
                                std::to_string(profile_ids[r.index]) + "): " + r.message;
    s = reject_event(batch.events[r.index], "feature", r.reason, message, replay, summary);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Pipeline::reject_event(const Event &e, const std::string &stage, const std::string &reason,
                              const std::string &message, bool replay, RunSummary *summary) {
  std::string position = e.sequence == 0 ? "" : "sequence " + std::to_string(e.sequence);
  if (!e.message_id.empty()) {
    position += (position.empty() ? "messageId " : ", messageId ") + std::string(e.message_id);
  }
  // A replayed resolve refusal is not stored again: the event was refused,
  // or accepted by earlier rules, when it arrived; the rebuild reports it.
  if (replay && stage == "resolve") {
    log_warn("rebuild",
             "event " + position + " refused by the resolver (" + reason + "): " + message);
    summary->rejected++;
    return Status::Ok();
  }
  if (stage == "feature") {
    summary->feature_rejections++;
  } else {
    summary->rejected++;
  }
  DeadLetter d{
      stage,           reason, message, std::string(e.source), position, std::string(e.raw),
      e.received_at_ms};
  if (replay_rejects_ != nullptr) {  // replay.cpp stores it
    replay_rejects_->push_back(std::move(d));
    return Status::Ok();
  }
  return write([d = std::move(d)](Store &st) { return st.add_dead_letter(d); });
}

Status Pipeline::commit() {
  if (!in_transaction_) return Status::Ok();
  const double commit_started = steady_seconds();
  // Copy everything the commit writes (plugin state, profiles) on this
  // thread, a chunk at a time (store_tasks.h); the writer thread only
  // executes SQL. Up to 16 tasks wait (StoreWriter), so a commit holds at
  // most about 16 chunks of copied rows.
  constexpr size_t kChunk = 1024;
  ChangeSet changed;
  std::vector<FeatureStateRow> states;
  Status written;  // the first failed chunk
  auto flush_states = [&] {
    if (!states.empty() && written.ok()) written = write(feature_state_task(std::move(states)));
    states.clear();
  };
  for (size_t i = 0; i < features_.size(); ++i) {
    const std::string &instance = config_.features[i].name;
    Status s = features_[i]->save_dirty([&](uint64_t id, const void *data, size_t len) {
      states.push_back({instance, id, std::string(static_cast<const char *>(data), len)});
      changed.add(id, kChangeFeatureState);
      if (states.size() == kChunk) flush_states();
    });
    if (!s.ok()) return s;
  }
  flush_states();
  if (!written.ok()) return written;
  if (!profiles_.deleted().empty()) {
    Status s = write(
        delete_profiles_task({profiles_.deleted().begin(), profiles_.deleted().end()}, as_of_ms()));
    if (!s.ok()) return s;
  }
  const std::vector<uint64_t> dirty = profiles_.dirty();
  std::vector<StoredProfile> rows;
  for (size_t k = 0; k < dirty.size(); ++k) {
    const ProfileData *p = profiles_.find(dirty[k]);
    StoredProfile &row = rows.emplace_back();
    row.id = dirty[k];
    row.traits = profiles_.stored_traits(dirty[k]);
    row.updated_at_ms = p ? p->updated_at_ms : 0;
    changed.add(dirty[k], kChangeTraits);
    if (rows.size() == kChunk || k + 1 == dirty.size()) {
      Status s = write(profiles_task(std::move(rows)));
      if (!s.ok()) return s;
      rows.clear();
    }
  }
  auto logged = changed.write_entries(
      merged_into_, committed_next_profile_id_, last_change_, wall_ms(), kChunk,
      [this](std::vector<ProfileChange> part) {
        return write([part = std::move(part)](Store &st) { return st.append_changes(part); });
      });
  if (!logged.ok()) return logged.status();
  last_change_ += *logged;
  auto snapshot = std::make_shared<CommitSnapshot>();
  merged_into_.clear();
  committed_next_profile_id_ = next_profile_id_;
  snapshot->next_profile_id = next_profile_id_;
  snapshot->cursors.assign(pending_cursors_.begin(), pending_cursors_.end());
  // Sources learn of the commit only once it is durable, on their own
  // thread (the reader's, or deliver_commits() after reading ended).
  for (size_t i : sources_to_notify_) snapshot->committed_flags.push_back(&commit_flags_[i]);
  // Measured to its end on the writer (copying the rows, their SQL, the
  // COMMIT): what the cadence weighs.
  Status s = write([snapshot, this, started = commit_started](Store &st) {
    Status w = write_commit(st, *snapshot);
    last_commit_seconds_.store(steady_seconds() - started, std::memory_order_relaxed);
    return w;
  });
  if (!s.ok()) return s;
  in_transaction_ = false;
  profiles_.clear_changes();
  pending_cursors_.clear();
  uncommitted_events_ = 0;
  last_commit_ = steady_seconds();
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
  double now = steady_seconds();
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
