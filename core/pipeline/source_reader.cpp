// source_reader.cpp -- the read thread of one source (pacing rules in the
// header, the contract in plugin.h).
#include "pipeline/source_reader.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>

#include "common/clock.h"

namespace halo {

namespace {

double seconds_since(double start) {
  return steady_seconds() - start;
}

bool is_empty(const RawBatch &raw) {
  return raw.records.empty() && raw.errors.empty();
}

}  // namespace

SourceReader::SourceReader(SourceInstance &source, size_t index, std::string name,
                           ParseStage &parse, size_t batch_size, BatchQueue &queue,
                           ReadPacing pacing, std::atomic<bool> *committed,
                           const std::atomic<bool> *cancel)
    : source_(source),
      index_(index),
      name_(std::move(name)),
      parse_(parse),
      batch_size_(batch_size),
      queue_(queue),
      pacing_(pacing),
      committed_(committed),
      cancel_(cancel) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "halo-read");
    run();
  });
}

SourceReader::~SourceReader() {
  queue_.stop();
  thread_.join();
}

void SourceReader::deliver_committed() {
  if (committed_->exchange(false)) source_.committed();
}

// Real time, not the injectable clock: this paces calls to a real source
// (a test's fixed clock would never let the wait end).
bool SourceReader::pause(double seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    deliver_committed();
    if (cancelled()) return false;
    double left = std::chrono::duration<double>(until - std::chrono::steady_clock::now()).count();
    if (left <= 0) return true;
    if (!queue_.sleep_unless_stopped(std::min(left, ReadPacing::kWaitSlice))) return false;
  }
}

// Fills one batch. Records a failed call handed over are kept (plugin.h):
// they are parsed and stored with the cursor reported after the call.
void SourceReader::produce(SourceBatch &b) {
  deliver_committed();
  double start = steady_seconds();
  b.status = source_.next_batch(b.raw, static_cast<uint32_t>(batch_size_));
  b.read_seconds = seconds_since(start);
  b.parse_seconds = 0;
  b.received_at_ms = wall_ms();
  b.cursor.clear();
  b.has_cursor = false;
  b.caught_up = false;
  for (ParsedSlice &s : b.slices) {
    s.events.clear();
    s.keys.clear();
    s.rejects.clear();
  }
  // A FATAL call leaves nothing (SourceInstance clears it); a call that
  // kept asking to retry and handed nothing over has nothing to commit.
  const bool keep = b.status.ok() || b.status.code() == StatusCode::kPlugin || !is_empty(b.raw);
  if (!keep) return;
  auto cursor = source_.cursor();
  if (!cursor.ok()) {
    if (b.status.ok()) b.status = cursor.status();
    return;
  }
  b.cursor = std::move(cursor.value());
  b.has_cursor = true;
  if (!b.raw.records.empty()) {
    start = steady_seconds();
    parse_.run(b.raw, name_, b.received_at_ms, b.slices);
    b.parse_seconds = seconds_since(start);
  }
}

// A cancelled wait: an empty last batch tells the consumer this source ended.
void SourceReader::push_end() {
  std::unique_ptr<SourceBatch> b = queue_.acquire(index_);
  if (!b) return;  // stopping: nobody waits for it
  b->raw.clear();
  b->status = Status::Ok();
  b->has_cursor = false;
  b->caught_up = false;
  b->last = true;
  queue_.push(std::move(b));
}

void SourceReader::run() {
  int errors = 0;
  double idle_wait = ReadPacing::kFirstIdleWait;
  for (;;) {
    std::unique_ptr<SourceBatch> b = queue_.acquire(index_);
    if (!b) return;  // stopping
    produce(*b);
    bool more = true;
    if (!b->status.ok()) {
      // ERROR: recorded by the consumer, then the next call (3 in a row end
      // the source); anything else ends this source now.
      more = b->status.code() == StatusCode::kPlugin && ++errors < kMaxConsecutiveErrors;
    } else {
      errors = 0;
    }
    const bool ended = b->status.ok() && b->raw.end_of_data;
    const bool idle = b->status.ok() && !ended && is_empty(b->raw);
    if (ended && !pacing_.keep_polling) more = false;
    if (cancelled()) more = false;
    if (idle && more) {
      // Nothing now: nothing to queue; call again after a growing wait.
      queue_.give_back(std::move(b));
      if (!pause(idle_wait)) return push_end();
      idle_wait = std::min(idle_wait * 2, ReadPacing::kMaxIdleWait);
      continue;
    }
    if (!idle) idle_wait = ReadPacing::kFirstIdleWait;
    b->caught_up = ended;
    b->last = !more;
    queue_.push(std::move(b));
    if (!more) return;
    if (ended && !pause(pacing_.poll_interval_s)) return push_end();
  }
}

}  // namespace halo
