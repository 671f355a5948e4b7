// page_stream.h -- pages of stored profiles taken one after another, the
// next one read while this one is used: how the segments stage and
// delivery go through many profiles.
//
// Invariant: with `ahead`, `read` runs on a thread of its own at the same
// time as `use`, so the two share nothing but the pages handed over (a
// page is `use`d only after `read` filled it, and refilled only after
// `use` is done with it); `read` must then read from a store connection
// nothing else uses meanwhile (Pipeline::snapshot_reader).
#pragma once

#include <cstddef>
#include <functional>
#include <future>
#include <vector>

#include "common/status.h"
#include "profile/profile_export.h"

namespace halo {

// From this many pages on, reading them on a connection of its own (and
// so ahead) is worth the commit and the open it takes.
inline constexpr size_t kReaderPages = 8;

// Pages of profiles: `read(into, more)` fills the next page (`more`: false
// when there is none), `use(page)` takes each until it fails or
// `stopped()`. A page is read into the objects an earlier one held.
template <class Read, class Use>
Status each_page(bool ahead, Read &read, const std::function<bool()> &stopped, Use &&use) {
  std::vector<ProfileExport> page, next;
  bool more = false, next_more = false;
  Status s = read(page, more);
  while (s.ok() && more && !stopped()) {
    std::future<Status> reading;  // joined below, or by its destructor
    if (ahead) reading = std::async(std::launch::async, [&] { return read(next, next_more); });
    s = use(page);
    Status r = ahead ? reading.get() : (s.ok() ? read(next, next_more) : Status::Ok());
    if (s.ok()) s = r;
    page.swap(next);
    more = next_more;
  }
  return s;
}

}  // namespace halo
