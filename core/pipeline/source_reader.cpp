// source_reader.cpp -- the read-ahead thread of one source.
#include "pipeline/source_reader.h"
#include "common/clock.h"

#include <pthread.h>

namespace halo {

namespace {
constexpr int kMaxConsecutiveErrors = 3;

double seconds_since(double start) {
  return steady_seconds() - start;
}
}  // namespace

SourceReader::SourceReader(SourceInstance &source, std::string name, ParseStage &parse,
                           size_t batch_size, std::atomic<bool> *committed,
                           const std::atomic<bool> *cancel)
    : source_(source),
      name_(std::move(name)),
      parse_(parse),
      batch_size_(batch_size),
      cancel_(cancel),
      committed_(committed) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "halo-read");
    run();
  });
}

SourceReader::~SourceReader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  space_.notify_all();
  thread_.join();
}

// Fills one batch; returns false when nothing may follow it.
bool SourceReader::produce(SourceBatch &b) {
  if (committed_->exchange(false)) source_.committed();
  double start = steady_seconds();
  b.status = source_.next_batch(b.raw, static_cast<uint32_t>(batch_size_));
  b.read_seconds = seconds_since(start);
  b.parse_seconds = 0;
  b.received_at_ms = wall_ms();
  b.cursor.clear();
  for (ParsedSlice &s : b.slices) {
    s.events.clear();
    s.keys.clear();
    s.rejects.clear();
  }
  if (!b.status.ok()) return true;  // the consumer decides (dead letter or stop)
  if (!b.raw.records.empty()) {
    start = steady_seconds();
    parse_.run(b.raw, name_, b.received_at_ms, b.slices);
    b.parse_seconds = seconds_since(start);
  }
  auto cursor = source_.cursor();
  if (!cursor.ok()) {
    b.status = cursor.status();
    return false;
  }
  b.cursor = std::move(cursor.value());
  // An idle stream ends a --once run like end of data.
  return !b.raw.end_of_data && !(b.raw.records.empty() && b.raw.errors.empty());
}

void SourceReader::run() {
  int errors = 0;
  for (bool more = true; more;) {
    std::unique_ptr<SourceBatch> b;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      space_.wait(lock, [&] { return stopping_ || full_.size() < kAhead; });
      if (stopping_) return;
      if (!free_.empty()) {
        b = std::move(free_.front());
        free_.pop_front();
      }
    }
    if (!b) b = std::make_unique<SourceBatch>();
    more = produce(*b);
    if (!b->status.ok()) {
      bool transient = b->status.code() == StatusCode::kPlugin;
      more = transient && ++errors < kMaxConsecutiveErrors;
    } else {
      errors = 0;
    }
    if (cancel_ && cancel_->load()) more = false;
    b->last = !more;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      full_.push_back(std::move(b));
    }
    ready_.notify_one();
  }
}

std::unique_ptr<SourceBatch> SourceReader::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  ready_.wait(lock, [&] { return !full_.empty(); });
  auto b = std::move(full_.front());
  full_.pop_front();
  space_.notify_one();
  return b;
}

void SourceReader::recycle(std::unique_ptr<SourceBatch> batch) {
  std::lock_guard<std::mutex> lock(mutex_);
  free_.push_back(std::move(batch));
}

}  // namespace halo
