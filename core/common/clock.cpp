// clock.cpp -- see clock.h.
#include "common/clock.h"

#include <algorithm>
#include <thread>

namespace halo {

namespace {

class RealClock : public Clock {
 public:
  int64_t wall_ms() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
  double steady_seconds() const override {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
  }
  void sleep_for(std::chrono::milliseconds d) override {
    if (d.count() > 0) std::this_thread::sleep_for(d);
  }
};

// nullptr: the real clock (no static-initialisation order to worry about).
std::atomic<Clock *> g_installed{nullptr};

}  // namespace

Clock &real_clock() {
  static RealClock real;
  return real;
}

Clock &current_clock() {
  Clock *c = g_installed.load(std::memory_order_acquire);
  return c != nullptr ? *c : real_clock();
}

int64_t wall_ms() {
  return current_clock().wall_ms();
}

double steady_seconds() {
  return current_clock().steady_seconds();
}

bool wait_unless(std::chrono::milliseconds d, const std::function<bool()> &stop) {
  using std::chrono::milliseconds;
  Clock &clock = current_clock();
  const double until = clock.steady_seconds() + d.count() / 1000.0;
  while (!stop()) {
    const double left_ms = (until - clock.steady_seconds()) * 1000.0;
    if (left_ms <= 0) return true;
    clock.sleep_for(std::clamp(milliseconds(static_cast<int64_t>(left_ms) + 1), milliseconds(1),
                               milliseconds(50)));
  }
  return false;
}

void ManualClock::sleep_for(std::chrono::milliseconds d) {
  advance(d);
}

void ManualClock::advance(std::chrono::milliseconds d) {
  if (d.count() <= 0) return;
  wall_ms_.fetch_add(d.count());
  steady_ns_.fetch_add(d.count() * 1000000);
}

ScopedClock::ScopedClock(Clock &clock)
    : previous_(g_installed.exchange(&clock, std::memory_order_acq_rel)) {}

ScopedClock::~ScopedClock() {
  g_installed.store(previous_, std::memory_order_release);
}

}  // namespace halo
