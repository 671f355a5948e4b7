// page_stream.cpp -- the thread that reads pages ahead (page_stream.h).
#include "pipeline/page_stream.h"

namespace halo {

AheadReader::AheadReader(std::function<Status()> job)
    : job_(std::move(job)), thread_([this] { loop(); }) {}

AheadReader::~AheadReader() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    // A run that was started finishes first: it fills what its caller owns.
    changed_.wait(lock, [&] { return !requested_ || done_; });
    quit_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void AheadReader::start() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requested_ = true;
    done_ = false;
  }
  changed_.notify_all();
}

Status AheadReader::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return done_; });
  requested_ = false;
  if (thrown_) std::rethrow_exception(std::exchange(thrown_, nullptr));
  return std::move(result_);
}

void AheadReader::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return quit_ || (requested_ && !done_); });
    if (quit_) return;
    lock.unlock();
    Status result;
    std::exception_ptr thrown;
    try {
      result = job_();
    } catch (...) {
      thrown = std::current_exception();
    }
    lock.lock();
    result_ = std::move(result);
    thrown_ = thrown;
    done_ = true;
    changed_.notify_all();
  }
}

}  // namespace halo
