// heap_tuning.cpp -- see heap_tuning.h.
//
// A page fault costs several microseconds on the virtual machines Halo is
// measured on (12 us a 4 KiB page in docs/benchmarks.md), and a run faults
// in every page its heap grows by: 65k faults in the 1M-event,
// 629k-profile run, 16k in a run of 10,000 new events on a 53k-profile
// store. With the heap on transparent huge pages (one fault per 2 MiB) the
// same runs took 8k and 4k faults, and the 10k-event run 7-15% less time.
// glibc puts its heap on them with the `glibc.malloc.hugetlb=1` tunable
// (glibc 2.35+; older versions ignore it) -- only from the environment at
// start-up, hence the restart. [https://www.gnu.org/software/libc/manual/
// html_node/Memory-Allocation-Tunables.html]
#include "cli/heap_tuning.h"

#include <limits.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

namespace halo::cli {
namespace {

constexpr std::string_view kTunable = "glibc.malloc.hugetlb";
constexpr std::string_view kHugeHeap = "glibc.malloc.hugetlb=1";

// The commands that fill a large heap once; short commands would pay the
// restart (a few milliseconds) for nothing, and `serve` runs for days, where
// the kernel's background collapsing of half-used huge pages would let its
// memory creep.
bool fills_a_large_heap(std::string_view command) {
  return command == "run" || command == "rebuild";
}

// Whether the kernel gives huge pages to memory advised for them
// (`always` or `madvise`, not `never`; sysfs, transparent_hugepage(7)).
bool kernel_offers_huge_pages() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  return std::getline(in, modes) && modes.find("[never]") == std::string::npos;
}

const char *tunables() {
  const char *set = std::getenv("GLIBC_TUNABLES");
  return set == nullptr ? "" : set;
}

// Whether this process started with its heap on huge pages.
bool heap_on_huge_pages() {
  return std::string_view(tunables()).find(kHugeHeap) != std::string_view::npos &&
         kernel_offers_huge_pages();
}

// The GLIBC_TUNABLES `command` should start with: `set` with the huge-page
// heap added; nullopt when it should start as it is (not a command that
// fills a large heap, HALO_HEAP_HUGE_PAGES=0, the user chose the
// tunable's value -- or this function did, before the restart -- or the
// kernel gives no huge pages).
std::optional<std::string> restart_tunables(std::string_view command, std::string_view set,
                                            const char *choice) {
  if (!fills_a_large_heap(command)) return std::nullopt;
  if (choice != nullptr && std::string_view(choice) == "0") return std::nullopt;
  if (set.find(kTunable) != std::string_view::npos || !kernel_offers_huge_pages()) {
    return std::nullopt;
  }
  return set.empty() ? std::string(kHugeHeap) : std::string(set) + ":" + std::string(kHugeHeap);
}

}  // namespace

void restart_with_huge_page_heap(int argc, char **argv) {
  if (argc < 2) return;
  const std::string before = tunables();
  const std::optional<std::string> with =
      restart_tunables(argv[1], before, std::getenv("HALO_HEAP_HUGE_PAGES"));
  if (!with || setenv("GLIBC_TUNABLES", with->c_str(), 1) != 0) return;
  // By the binary's own path, not /proc/self/exe: a process takes its name
  // (comm: ps, top, pkill) from the file it was started from, and an
  // operator looks for `halo`, not `exe`.
  char self[PATH_MAX];
  const ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
  if (len > 0) {
    self[len] = '\0';
    execv(self, argv);  // returns only when it failed (the file was replaced, say)
  }
  execv("/proc/self/exe", argv);  // returns only when it failed (no /proc)
  if (before.empty()) {
    unsetenv("GLIBC_TUNABLES");
  } else {
    setenv("GLIBC_TUNABLES", before.c_str(), 1);
  }
}

// glibc raises its mmap threshold (up to 32 MiB) each time a large block
// is freed, after which multi-megabyte buffers (read blocks, commit
// chunks, batches) come from the heap and leave it fragmented. A fixed
// 1 MiB threshold returns them to the system: about 7% less peak memory on
// the 600k-profile benchmark at the same speed (docs/benchmarks.md).
// glibc also hands the free top of a heap back to the kernel once it
// exceeds the top pad (128 KiB by default), in the main heap and in the
// threads' heaps alike; the next batch then faults the same pages in
// again. The reader, parse and writer threads free and reallocate several
// megabytes per batch, so an 8 MiB pad keeps them: a full run of the 1M
// benchmark took 160k page faults and 5.0-5.2 s with the default and 26k
// and 3.4-3.5 s with the pad (16 and 32 MiB did no better), for about
// 6 MiB more peak memory. On huge pages a fault brings in 2 MiB, so 2 MiB
// of pad is enough, and an 8 MiB one only kept memory: 123-125 MiB peak
// against 115-117 MiB on the 1M-event, 53k-profile benchmark.
void tune_malloc() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TOP_PAD, heap_on_huge_pages() ? 2 << 20 : 8 << 20);
#endif
}

}  // namespace halo::cli
