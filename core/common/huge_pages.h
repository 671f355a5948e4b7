// huge_pages.h -- asks the kernel to back a large buffer with transparent
// huge pages (madvise MADV_HUGEPAGE), for buffers filled once from end to
// end: a 2 MiB page is one fault where 4 KiB pages are 512, and on a
// virtual machine each fault is an exit to the hypervisor. Linux
// distributions default to THP `madvise` (only advised memory gets huge
// pages), so without the advice such a buffer never gets them.
//
// Only whole 2 MiB extents inside the range can be huge; the advice is
// never applied to buffers that are mostly left untouched (a huge page is
// resident as a whole), and never process-wide: glibc's `hugetlb` tunable
// took the 629k-profile run's peak RSS from 380 to 400 bytes a profile.
// Best effort: a kernel without THP ignores it; never fails.
#pragma once

#include <cstddef>

namespace halo {

// Below this the range holds at most one whole huge page: not advised.
inline constexpr size_t kHugePageAdviceMinBytes = 4u << 20;

void advise_huge_pages(const void *data, size_t bytes);

}  // namespace halo
