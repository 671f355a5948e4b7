// source_reader.h -- reads and parses one source on a thread of its own,
// a batch or two ahead of the pipeline thread that resolves and stores.
//
// Every source of a run has its reader, all reading at once into one
// BatchQueue; the pipeline thread takes their batches in arrival order, so
// the sequential half of the pipeline (dedup, resolve, profiles, features,
// store) stays single-threaded while the parallel half (plugin reads and
// normalization) overlaps it and each other. The source instance is called
// only from its reader thread while the reader runs (the plugin contract:
// one thread at a time), and each batch carries the cursor the source
// reported right after producing it, so the consumer commits exactly that
// position.
//
// Pacing (the contract in plugin.h, next_batch):
//  - an empty batch without end of data means "nothing now": nothing is
//    queued; the reader waits kFirstIdleWait, doubling up to kMaxIdleWait
//    while the source stays empty, back to the first wait once records come;
//  - end of data ends the reader, unless ReadPacing::keep_polling: then the
//    batch is queued with caught_up set, and the source is called again
//    after its poll interval;
//  - cancellation (SIGINT/SIGTERM) ends every wait within kWaitSlice and
//    ends the reader with a last batch; the batch being read is finished.
//  - committed() is delivered before the next read, and during waits.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "common/status.h"
#include "pipeline/batch_queue.h"
#include "pipeline/parse_stage.h"
#include "plugin_host/plugin_instance.h"

namespace halo {

struct ReadPacing {
  bool keep_polling = false;                      // call again after end of data (halo serve)
  double poll_interval_s = 60;                    // wait after end of data when polling
  static constexpr double kFirstIdleWait = 0.01;  // seconds, after an empty batch
  static constexpr double kMaxIdleWait = 1.0;     // cap of the doubling wait
  static constexpr double kWaitSlice = 0.05;      // cancel/committed() checks
};

class SourceReader {
 public:
  // Starts reading at once. `parse` must not be used by anyone else until
  // the reader is destroyed. `committed` is set (by whoever made a commit
  // durable) when the source is owed a committed() call.
  SourceReader(SourceInstance &source, size_t index, std::string name, ParseStage &parse,
               size_t batch_size, BatchQueue &queue, ReadPacing pacing,
               std::atomic<bool> *committed, const std::atomic<bool> *cancel);
  // Stops the queue (every reader of it ends) and joins the thread; a call
  // into the plugin in progress is waited for.
  ~SourceReader();
  SourceReader(const SourceReader &) = delete;
  SourceReader &operator=(const SourceReader &) = delete;

 private:
  static constexpr int kMaxConsecutiveErrors = 3;
  void run();
  void produce(SourceBatch &b);
  void push_end();
  // Waits `seconds`, delivering committed(); false when cancelled/stopped.
  bool pause(double seconds);
  bool cancelled() const { return cancel_ != nullptr && cancel_->load(); }
  void deliver_committed();

  SourceInstance &source_;
  size_t index_;
  std::string name_;
  ParseStage &parse_;
  size_t batch_size_;
  BatchQueue &queue_;
  ReadPacing pacing_;
  std::atomic<bool> *committed_;
  const std::atomic<bool> *cancel_;
  std::thread thread_;
};

}  // namespace halo
