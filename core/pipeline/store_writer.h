// store_writer.h -- runs the store's writes on a thread of their own, in
// submission order, so SQLite work and log compression overlap with
// resolution and feature building on the pipeline thread.
//
// Ordering is the whole contract: a task runs after every task submitted
// before it, so "append events, ..., set cursor, commit" submitted in that
// order commit together exactly as if run inline; a crash loses at most the
// tasks after the last executed commit, which the source re-reads. The
// first failing task stops the writer; its Status is returned by every later
// submit()/drain(). Tasks must own their data (the pipeline reuses its
// batches as soon as it has submitted). While a StoreWriter exists, nobody
// else may use the store except inside a task or after drain().
//
// A task that ran is destroyed by the next submit() or drain(), on the
// submitting thread -- the one that allocated what it captured: glibc's
// free() of a block another thread allocated takes that thread's arena
// lock, so freeing on the writer made both threads wait on it (a page of
// segment changes, ~5% of each thread's samples). At most the tasks run
// since the last call wait to be destroyed.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"
#include "store/store.h"

namespace halo {

class StoreWriter {
 public:
  using Task = std::function<Status(Store &)>;

  explicit StoreWriter(Store &store, size_t max_pending = 16);
  ~StoreWriter();  // runs what is queued, then stops
  StoreWriter(const StoreWriter &) = delete;
  StoreWriter &operator=(const StoreWriter &) = delete;

  // Queues a task (blocks while max_pending tasks wait). Returns the
  // writer's first failure, if any, instead of queueing.
  Status submit(Task task);
  // Waits until every queued task ran; returns the first failure.
  Status drain();

 private:
  void run();
  void destroy_retired();  // the tasks that ran, on the calling thread

  Store &store_;
  size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable work_, room_, idle_;
  std::deque<Task> tasks_;
  std::vector<Task> retired_;  // ran; destroyed by destroy_retired()
  bool busy_ = false;
  bool stopping_ = false;
  Status failure_;
  std::thread thread_;
};

}  // namespace halo
