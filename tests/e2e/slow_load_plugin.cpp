// slow_load_plugin.cpp -- a test library that takes 5 s to load (a static
// constructor sleeps), so a test can signal `halo validate` while it loads
// plugins. It exports no plugin.
#include <chrono>
#include <thread>

namespace {
struct SlowLoad {
  SlowLoad() { std::this_thread::sleep_for(std::chrono::seconds(5)); }
} slow_load;
}  // namespace
