// heap_tuning.h -- how the `halo` binary sets up glibc's allocator before
// any command runs (docs/cli.md, "Heap memory").
#pragma once

namespace halo::cli {

// For `run` and `rebuild`: when the kernel offers transparent huge pages
// and nothing chose otherwise (the user's own `glibc.malloc.hugetlb` in
// GLIBC_TUNABLES, HALO_HEAP_HUGE_PAGES=0), starts this binary again with
// glibc's `glibc.malloc.hugetlb=1` tunable set -- a tunable is read only
// when a process starts -- and so does not return. Returns when it does
// not apply or the restart fails (the command then runs on ordinary pages).
void restart_with_huge_page_heap(int argc, char **argv);

// Fixes glibc's mmap threshold and top pad (mallopt), for the heap's page
// size: call once, before the first allocation a command makes.
void tune_malloc();

}  // namespace halo::cli
