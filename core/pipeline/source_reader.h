// source_reader.h -- reads and parses one source on a background thread, a
// batch or two ahead of the thread that resolves and stores them.
//
// On a two-core machine the sequential half of the pipeline (dedup,
// resolve, profiles, features, store) and the parallel half (plugin read +
// normalize) then run at the same time. The source instance is called only
// from the reader thread while the reader runs (the plugin contract: one
// thread at a time), and each batch carries the cursor the source reported
// right after producing it, so the consumer commits exactly that position.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "pipeline/parse_stage.h"
#include "plugin_host/host_api.h"
#include "plugin_host/plugin_instance.h"

namespace halo {

struct SourceBatch {
  Status status;  // non-ok: the source's next_batch failed
  RawBatch raw;
  std::vector<ParsedSlice> slices;
  std::string cursor;
  int64_t received_at_ms = 0;
  bool last = false;  // nothing follows this batch
  double read_seconds = 0, parse_seconds = 0;
};

class SourceReader {
 public:
  // Starts reading at once. `parse` must not be used by anyone else until
  // the reader is destroyed.
  // `committed` is set (by whoever made a commit durable) when the source
  // is owed a committed() call; the reader makes it before its next read.
  SourceReader(SourceInstance &source, std::string name, ParseStage &parse, size_t batch_size,
               std::atomic<bool> *committed, const std::atomic<bool> *cancel);
  ~SourceReader();  // stops the thread (discarding unread batches)
  SourceReader(const SourceReader &) = delete;
  SourceReader &operator=(const SourceReader &) = delete;

  // Blocks for the next batch; never null (the final one has last = true).
  std::unique_ptr<SourceBatch> next();
  // Hands a consumed batch back so its buffers are reused.
  void recycle(std::unique_ptr<SourceBatch> batch);

 private:
  static constexpr size_t kAhead = 2;  // batches read ahead (memory bound)
  void run();
  bool produce(SourceBatch &b);

  SourceInstance &source_;
  std::string name_;
  ParseStage &parse_;
  size_t batch_size_;
  const std::atomic<bool> *cancel_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<std::unique_ptr<SourceBatch>> full_, free_;
  bool stopping_ = false;
  std::atomic<bool> *committed_;
  std::thread thread_;
};

}  // namespace halo
