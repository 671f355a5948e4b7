#pragma once
#include <cstdio>
#include <cstdlib>
#include <chrono>
inline void TP(const char *l) { static bool on = std::getenv("HALO_T"); if (on) { auto n = std::chrono::steady_clock::now().time_since_epoch(); std::fprintf(stderr, "T %-24s %.3f\n", l, std::chrono::duration<double>(n).count()); } }
