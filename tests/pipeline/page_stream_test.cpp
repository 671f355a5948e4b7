// page_stream_test.cpp -- pages taken one after another (page_stream.h):
// every page is used once and in order, read ahead on one thread for the
// whole stream (not a thread per page), a failed read or use ends the
// stream with its status, and what a read throws reaches the caller.
#include "pipeline/page_stream.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <set>
#include <stdexcept>
#include <vector>

namespace halo::testing {
namespace {

// Pages of `per_page` profiles with ids 1..total, recording the threads
// that read them.
struct NumberedPages {
  NumberedPages(uint64_t total, uint64_t per_page) : total(total), per_page(per_page) {}
  uint64_t total, per_page, after = 0;
  std::set<pid_t> threads;  // kernel thread ids: unlike std::thread::id, not reused at once
  size_t reads = 0;
  size_t fail_at_read = 0;  // 1-based; 0: never

  Status operator()(std::vector<ProfileExport> &into, bool &more) {
    threads.insert(::gettid());
    if (++reads == fail_at_read) return Status::Io("read " + std::to_string(reads) + " failed");
    into.clear();
    for (uint64_t k = 0; k < per_page && after < total; ++k) into.emplace_back().id = ++after;
    more = !into.empty();
    return Status::Ok();
  }
};

const std::function<bool()> kNeverStopped = [] { return false; };

std::vector<uint64_t> use_all(bool ahead, NumberedPages &pages, Status &status) {
  std::vector<uint64_t> used;
  status = each_page(ahead, pages, kNeverStopped, [&](const std::vector<ProfileExport> &page) {
    for (const ProfileExport &p : page) used.push_back(p.id);
    return Status::Ok();
  });
  return used;
}

std::vector<uint64_t> ids_up_to(uint64_t n) {
  std::vector<uint64_t> ids;
  for (uint64_t i = 1; i <= n; ++i) ids.push_back(i);
  return ids;
}

TEST(PageStream, EveryPageIsUsedOnceInOrderWithOrWithoutReadingAhead) {
  for (bool ahead : {false, true}) {
    NumberedPages pages{1000, 7};
    Status s;
    EXPECT_EQ(use_all(ahead, pages, s), ids_up_to(1000)) << "ahead " << ahead;
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(pages.reads, 1000 / 7 + 2);  // the last page, then the empty read
  }
}

TEST(PageStream, AheadOneThreadReadsEveryPageAfterTheFirst) {
  NumberedPages pages{500, 10};
  Status s;
  use_all(true, pages, s);
  ASSERT_TRUE(s.ok()) << s.message();
  // The first page on the caller's thread, the other 50 reads on one more.
  EXPECT_EQ(pages.threads.size(), 2u);
  EXPECT_EQ(pages.threads.count(::gettid()), 1u);
}

TEST(PageStream, WithoutReadingAheadEveryReadIsOnTheCallersThread) {
  NumberedPages pages{50, 10};
  Status s;
  use_all(false, pages, s);
  EXPECT_EQ(pages.threads, std::set<pid_t>{::gettid()});
}

TEST(PageStream, AFailedReadEndsTheStreamWithItsStatus) {
  for (bool ahead : {false, true}) {
    NumberedPages pages{100, 10};
    pages.fail_at_read = 4;
    Status s;
    EXPECT_EQ(use_all(ahead, pages, s), ids_up_to(30)) << "ahead " << ahead;
    EXPECT_EQ(s.code(), StatusCode::kIo);
    EXPECT_EQ(s.message(), "read 4 failed");
  }
}

TEST(PageStream, AFailedUseEndsTheStreamWithItsStatus) {
  for (bool ahead : {false, true}) {
    NumberedPages pages{100, 10};
    size_t used = 0;
    Status s = each_page(ahead, pages, kNeverStopped, [&](const std::vector<ProfileExport> &) {
      return ++used == 2 ? Status::Invalid("use 2 failed") : Status::Ok();
    });
    EXPECT_EQ(used, 2u);
    EXPECT_EQ(s.message(), "use 2 failed");
    EXPECT_LE(pages.reads, 3u);  // at most the page read beside the failed use
  }
}

TEST(PageStream, StoppingEndsTheStreamAtAPageBoundary) {
  NumberedPages pages{100, 10};
  size_t used = 0;
  Status s = each_page(
      true, pages, [&] { return used == 3; },
      [&](const std::vector<ProfileExport> &) {
        ++used;
        return Status::Ok();
      });
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(used, 3u);
}

TEST(PageStream, WhatAReadAheadThrowsReachesTheCaller) {
  size_t reads = 0;
  auto read = [&](std::vector<ProfileExport> &into, bool &more) -> Status {
    if (++reads == 3) throw std::runtime_error("out of memory, say");
    into.assign(1, ProfileExport{});
    more = true;
    return Status::Ok();
  };
  auto use = [](const std::vector<ProfileExport> &) { return Status::Ok(); };
  EXPECT_THROW((void)each_page(true, read, kNeverStopped, use), std::runtime_error);
}

}  // namespace
}  // namespace halo::testing
