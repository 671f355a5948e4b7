// huge_pages_test.cpp -- advise_huge_pages marks the memory of a large
// buffer for transparent huge pages (the `hg` flag of its mapping in
// /proc/self/smaps, proc(5)), and leaves small buffers and null alone.
#include "common/huge_pages.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace halo {
namespace {

// The VmFlags line of the mapping holding `address`, "" when not found.
std::string vm_flags_of(const void *address) {
  const auto at = reinterpret_cast<uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t from = 0, to = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= at && at < to;
    } else if (inside && line.starts_with("VmFlags:")) {
      return line + " ";
    }
  }
  return "";
}

// A private anonymous mapping of its own, so no other allocation shares
// its flags.
struct Mapping {
  explicit Mapping(size_t n) : bytes(n) {
    data = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  }
  ~Mapping() {
    if (data != MAP_FAILED) ::munmap(data, bytes);
  }
  size_t bytes;
  void *data;
};

TEST(HugePages, ALargeBufferIsAdvisedAndASmallOneIsNot) {
  Mapping large(16u << 20), small(1u << 20);
  ASSERT_NE(large.data, MAP_FAILED);
  ASSERT_NE(small.data, MAP_FAILED);
  ASSERT_EQ(vm_flags_of(large.data).find(" hg "), std::string::npos);
  // An unaligned start inside the mapping, as a vector's data is.
  advise_huge_pages(static_cast<char *>(large.data) + 16, large.bytes - 16);
  advise_huge_pages(small.data, small.bytes);
  advise_huge_pages(nullptr, large.bytes);
  const std::string flags = vm_flags_of(static_cast<char *>(large.data) + (8u << 20));
  ASSERT_FALSE(flags.empty());
  EXPECT_NE(flags.find(" hg "), std::string::npos) << flags;
  EXPECT_EQ(vm_flags_of(small.data).find(" hg "), std::string::npos);
}

}  // namespace
}  // namespace halo
