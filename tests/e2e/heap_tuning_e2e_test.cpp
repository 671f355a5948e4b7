// heap_tuning_e2e_test.cpp -- `halo run` and `halo rebuild` start again
// with glibc's `glibc.malloc.hugetlb=1` tunable when the kernel offers
// transparent huge pages (cli/heap_tuning.h): the same process (pid) then
// has its heap advised for huge pages (the `hg` flag of its [heap] mapping
// in /proc/PID/smaps, proc(5)). Other commands, HALO_HEAP_HUGE_PAGES=0 and
// a value the user chose leave the heap and the environment as they were.
// Each command is seen while it loads a plugin library that takes seconds
// to load, so after any restart. /proc/PID/environ shows GLIBC_TUNABLES up
// to its first `:` only (the dynamic loader splits the variable's text in
// place; the process itself reads a copy), so a test checks that first
// tunable. The restarted process keeps the name `halo` (comm, which ps,
// top and pkill show and match).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "child_process.h"
#include "e2e_support.h"

namespace halo::e2e::heap_tuning_e2e_test {
namespace {

using Env = std::vector<std::pair<std::string, std::string>>;

// Under AddressSanitizer its own allocator replaces glibc's, and no heap
// is advised (the tunable is still set).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kGlibcMalloc = false;
#else
constexpr bool kGlibcMalloc = true;
#endif

bool kernel_offers_huge_pages() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  return std::getline(in, modes) && modes.find("[never]") == std::string::npos;
}

std::string proc_file(pid_t pid, const std::string &name) {
  return read_file("/proc/" + std::to_string(pid) + "/" + name);
}

struct Seen {
  std::string tunables;  // "<unset>" when it has none
  bool huge_page_heap = false;
  std::string name;  // /proc/PID/comm
};

// Whether the [heap] mapping of `smaps` carries the `hg` flag.
bool heap_advised(const std::string &smaps) {
  const size_t heap = smaps.find("[heap]");
  const size_t flags = heap == std::string::npos ? heap : smaps.find("VmFlags:", heap);
  if (flags == std::string::npos) return false;
  const std::string line = smaps.substr(flags, smaps.find('\n', flags) - flags) + " ";
  return line.find(" hg ") != std::string::npos;
}

// The process once it has mapped the slow plugin library: the first of its
// GLIBC_TUNABLES (see above) and whether its heap is on huge pages. A
// process that does not get there within 20 s fails the test.
Seen while_loading(const std::vector<std::string> &argv, const Env &env) {
  test::ChildProcess halo;
  halo.spawn(argv, env);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (proc_file(halo.pid(), "maps").find("slow-load") == std::string::npos) {
    if (std::chrono::steady_clock::now() > give_up) {
      ADD_FAILURE() << argv[1] << " did not load the slow plugin library within 20 s";
      return {"<not seen>", false, ""};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Seen seen{"<unset>", heap_advised(proc_file(halo.pid(), "smaps")), proc_file(halo.pid(), "comm")};
  std::istringstream vars(proc_file(halo.pid(), "environ"));
  halo.kill_now();
  std::string var;
  while (std::getline(vars, var, '\0')) {
    if (var.rfind("GLIBC_TUNABLES=", 0) == 0) seen.tunables = var.substr(15);
  }
  return seen;
}

class HeapTuning : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "slow.yaml",
               "version: 1\nstore: { kind: sqlite, path: slow.sqlite }\n"
               "sources:\n  - name: f\n    plugin: slow-load\n");
  }
  std::vector<std::string> command(const std::string &name) const {
    return {halo_bin(), name, dir_ / "slow.yaml", "--plugin-dir", HALO_TEST_SLOW_PLUGIN_DIR};
  }
  TempDir dir_;
};

TEST_F(HeapTuning, RunAndRebuildStartAgainWithTheHugePageHeap) {
  const bool offered = kernel_offers_huge_pages();
  for (const char *name : {"run", "rebuild"}) {
    Seen seen =
        while_loading(command(name), {{"GLIBC_TUNABLES", ""}, {"HALO_HEAP_HUGE_PAGES", "1"}});
    EXPECT_EQ(seen.tunables, offered ? "glibc.malloc.hugetlb=1" : "") << name;
    EXPECT_EQ(seen.huge_page_heap, offered && kGlibcMalloc) << name;
    EXPECT_EQ(seen.name, "halo\n") << name;
  }
}

TEST_F(HeapTuning, TheUsersOtherTunablesComeFirst) {
  Seen seen = while_loading(command("run"), {{"GLIBC_TUNABLES", "glibc.malloc.arena_max=4"}});
  EXPECT_EQ(seen.tunables, "glibc.malloc.arena_max=4");
  EXPECT_EQ(seen.huge_page_heap, kernel_offers_huge_pages() && kGlibcMalloc);
}

TEST_F(HeapTuning, TheUsersChoiceAndTheSwitchAreRespected) {
  Seen chosen = while_loading(command("run"), {{"GLIBC_TUNABLES", "glibc.malloc.hugetlb=0"}});
  EXPECT_EQ(chosen.tunables, "glibc.malloc.hugetlb=0");
  EXPECT_FALSE(chosen.huge_page_heap);
  Seen off = while_loading(command("run"), {{"HALO_HEAP_HUGE_PAGES", "0"}});
  EXPECT_FALSE(off.huge_page_heap);
  EXPECT_EQ(off.tunables.find("hugetlb"), std::string::npos) << off.tunables;
}

TEST_F(HeapTuning, ShortCommandsDoNotStartAgain) {
  Seen seen = while_loading(command("validate"), {{"HALO_HEAP_HUGE_PAGES", "1"}});
  EXPECT_FALSE(seen.huge_page_heap);
  EXPECT_EQ(seen.tunables.find("hugetlb"), std::string::npos) << seen.tunables;
}

}  // namespace
}  // namespace halo::e2e::heap_tuning_e2e_test
