// store_writer.cpp -- the ordered write thread.
#include "pipeline/store_writer.h"

namespace halo {

StoreWriter::StoreWriter(Store &store, size_t max_pending)
    : store_(store), max_pending_(max_pending) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "halo-write");  // visible in top/perf
    run();
  });
}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_.notify_all();
  thread_.join();
}

Status StoreWriter::submit(Task task) {
  destroy_retired();
  std::unique_lock<std::mutex> lock(mutex_);
  room_.wait(lock, [&] { return !failure_.ok() || tasks_.size() < max_pending_; });
  if (!failure_.ok()) return failure_;
  tasks_.push_back(std::move(task));
  work_.notify_one();
  return Status::Ok();
}

Status StoreWriter::drain() {
  Status s;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [&] { return tasks_.empty() && !busy_; });
    s = failure_;
  }
  destroy_retired();
  return s;
}

void StoreWriter::destroy_retired() {
  std::vector<Task> ran;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ran.swap(retired_);
  }
}  // `ran` goes here, outside the lock

void StoreWriter::run() {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, nothing left
      task = std::move(tasks_.front());
      tasks_.pop_front();
      busy_ = true;
    }
    Status s = failure_.ok() ? task(store_) : failure_;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      busy_ = false;
      retired_.push_back(std::move(task));
      if (!s.ok() && failure_.ok()) {
        failure_ = s;
        tasks_.clear();  // nothing after a failure may run
      }
    }
    room_.notify_all();
    idle_.notify_all();
  }
}

}  // namespace halo
