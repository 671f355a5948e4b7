// batch_queue.cpp -- the bounded multi-source queue (invariants in the header).
#include "pipeline/batch_queue.h"

#include <chrono>

namespace halo {

BatchQueue::BatchQueue(size_t sources, size_t ahead)
    : ahead_(ahead), queued_(sources, 0), free_(sources) {}

std::unique_ptr<SourceBatch> BatchQueue::acquire(size_t source) {
  std::unique_lock<std::mutex> lock(mutex_);
  room_.wait(lock, [&] { return stopping_ || queued_[source] < ahead_; });
  if (stopping_) return nullptr;
  std::unique_ptr<SourceBatch> b;
  if (!free_[source].empty()) {
    b = std::move(free_[source].back());
    free_[source].pop_back();
  } else {
    b = std::make_unique<SourceBatch>();
  }
  b->source = source;
  b->keys_checked = false;
  return b;
}

void BatchQueue::push(std::unique_ptr<SourceBatch> batch) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++queued_[batch->source];
    full_.push_back(std::move(batch));
  }
  ready_.notify_one();
}

void BatchQueue::give_back(std::unique_ptr<SourceBatch> batch) {
  std::lock_guard<std::mutex> lock(mutex_);
  free_[batch->source].push_back(std::move(batch));
}

std::unique_ptr<SourceBatch> BatchQueue::pop(double max_wait_seconds) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto wait = std::chrono::duration<double>(max_wait_seconds < 0 ? 0 : max_wait_seconds);
  if (!ready_.wait_for(lock, wait, [&] { return !full_.empty(); })) return nullptr;
  std::unique_ptr<SourceBatch> b = std::move(full_.front());
  full_.pop_front();
  --queued_[b->source];
  lock.unlock();
  room_.notify_all();  // few readers; only the batch's own one can proceed
  return b;
}

void BatchQueue::recycle(std::unique_ptr<SourceBatch> batch) {
  give_back(std::move(batch));
}

bool BatchQueue::sleep_unless_stopped(double seconds) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto wait = std::chrono::duration<double>(seconds < 0 ? 0 : seconds);
  return !room_.wait_for(lock, wait, [&] { return stopping_; });
}

void BatchQueue::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  room_.notify_all();
  ready_.notify_all();
}

}  // namespace halo
