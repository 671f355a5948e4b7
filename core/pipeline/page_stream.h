// page_stream.h -- pages of stored profiles taken one after another, the
// next one read while this one is used: how the segments stage and
// delivery go through many profiles.
//
// Invariant: with `ahead`, `read` runs on a thread of its own at the same
// time as `use`, so the two share nothing but the pages handed over (a
// page is `use`d only after `read` filled it, and refilled only after
// `use` is done with it); `read` must then read from a store connection
// nothing else uses meanwhile (Pipeline::snapshot_reader). One thread reads
// every page of a stream: a thread per page cost its start and a fresh
// stack each time (a thousand of them to evaluate and deliver 629k
// profiles).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/status.h"
#include "profile/profile_export.h"

namespace halo {

// From this many pages on, reading them on a connection of its own (and
// so ahead) is worth the commit and the open it takes.
inline constexpr size_t kReaderPages = 8;

// Runs one job again and again on a thread of its own: start() begins a
// run, wait() returns its result (rethrowing what it threw). The thread
// lives as long as the object; destroying it waits for a run in progress.
class AheadReader {
 public:
  explicit AheadReader(std::function<Status()> job);
  ~AheadReader();
  AheadReader(const AheadReader &) = delete;
  AheadReader &operator=(const AheadReader &) = delete;

  void start();   // at most one run at a time: each start() before a wait()
  Status wait();  // the run start() began

 private:
  void loop();

  std::function<Status()> job_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool requested_ = false, done_ = false, quit_ = false;
  Status result_;
  std::exception_ptr thrown_;
  std::thread thread_;  // last: started once the members above exist
};

// Pages of profiles: `read(into, more)` fills the next page (`more`: false
// when there is none), `use(page)` takes each until it fails or
// `stopped()`. A page is read into the objects an earlier one held.
template <class Read, class Use>
Status each_page(bool ahead, Read &read, const std::function<bool()> &stopped, Use &&use) {
  std::vector<ProfileExport> page, next;
  bool more = false, next_more = false;
  Status s = read(page, more);
  if (!s.ok() || !more || stopped()) return s;
  std::optional<AheadReader> reader;
  if (ahead) reader.emplace([&] { return read(next, next_more); });
  while (s.ok() && more && !stopped()) {
    if (reader) reader->start();
    s = use(page);
    // Ahead, the read is waited for even after a failed use: `next` must
    // not be filled while it goes away.
    Status r = reader ? reader->wait() : (s.ok() ? read(next, next_more) : Status::Ok());
    if (s.ok()) s = r;
    page.swap(next);
    more = next_more;
  }
  return s;
}

}  // namespace halo
