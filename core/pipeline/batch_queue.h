// batch_queue.h -- the one queue every source reader feeds and the pipeline
// thread drains: batches of all sources, in the order they became ready.
//
// Invariants:
//  - At most `ahead` batches of one source wait in the queue at a time (the
//    read-ahead bound per source); a reader asking for room beyond that
//    blocks, so a source never runs further ahead than that, and a slow
//    source never holds up a fast one (batches are taken in arrival order,
//    whichever source they come from, so no source is starved).
//  - Each source's batches leave the queue in the order its reader pushed
//    them, so its cursors are committed in order.
//  - Buffers of consumed batches go back to their own source (recycle), so
//    a source's records keep reusing the same allocations.
//  - stop() wakes every waiter: acquire() then returns null and
//    sleep_unless_stopped() returns false, so readers end promptly.
// Thread-safety: every member may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "pipeline/parse_stage.h"
#include "plugin_host/host_api.h"

namespace halo {

struct SourceBatch {
  size_t source = 0;  // index of the source in the pipeline
  Status status;      // non-ok: the source's next_batch failed (plugin.h)
  RawBatch raw;
  std::vector<ParsedSlice> slices;
  // The cursor the source reported after this call; when has_cursor is
  // false nothing of the batch may be stored (a FATAL call, a failed
  // cursor(), or the end of a cancelled wait).
  std::string cursor;
  bool has_cursor = false;
  int64_t received_at_ms = 0;
  bool caught_up = false;  // the source reported end of data (polling goes on)
  bool last = false;       // nothing follows this batch from its source
  // Every stored message key equal to one of the batch's keys is in the
  // pipeline's dedup set (read for it without loading every stored key).
  bool keys_checked = false;
  double read_seconds = 0, parse_seconds = 0;
};

class BatchQueue {
 public:
  BatchQueue(size_t sources, size_t ahead);
  BatchQueue(const BatchQueue &) = delete;
  BatchQueue &operator=(const BatchQueue &) = delete;

  // A buffer for `source`'s next batch, once it has room; null once stopped.
  std::unique_ptr<SourceBatch> acquire(size_t source);
  // Hands a filled batch (batch->source set) to the consumer.
  void push(std::unique_ptr<SourceBatch> batch);
  // Returns a buffer that was acquired but not pushed.
  void give_back(std::unique_ptr<SourceBatch> batch);
  // The oldest ready batch, waiting up to max_wait_seconds; null on timeout.
  std::unique_ptr<SourceBatch> pop(double max_wait_seconds);
  // Returns a consumed batch's buffers to its source.
  void recycle(std::unique_ptr<SourceBatch> batch);
  // Sleeps up to `seconds`; false when stop() was called (before or during).
  bool sleep_unless_stopped(double seconds);
  void stop();

 private:
  const size_t ahead_;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<std::unique_ptr<SourceBatch>> full_;
  std::vector<size_t> queued_;  // per source: batches in full_
  std::vector<std::vector<std::unique_ptr<SourceBatch>>> free_;
  bool stopping_ = false;
};

}  // namespace halo
