// identity_graph_bench.cpp -- memory/speed benchmark of the whole resolver
// state (not a test; run by hand, results in docs/benchmarks.md):
//  1. 485,551 people with 1.17M identifiers (every one an anonymous id, half
//     a user id, two thirds an email, a quarter a phone), one event each.
//     Prints the heap the graph holds (glibc mallinfo2, slack included) per
//     profile and per identifier, and the CPU time of resolution and of
//     restoring the same links into a fresh graph.
//  2. Throughput: 1,000,000 events of 200,000 people over 5 identifier types
//     (user_id, email, phone, anonymous_id, pos_card), each event carrying 2
//     to 4 of its person's identifiers, people arriving in random order.
//     Prints identifier occurrences resolved per CPU second (every
//     identifier of every event is looked up and linked or confirmed).
#include <malloc.h>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>
#include "identity_graph.h"
using namespace halo::deterministic;
constexpr int64_t kEventMs = 1'700'000'000'000;  // no window: any time will do
struct Sink final : ResolutionSink {
  uint64_t next = 1;
  uint64_t new_profile() override { return next++; }
  void assign(size_t, uint64_t) override {}
  void link(size_t, std::string_view, std::string_view, uint64_t) override {}
  void merge(uint64_t, uint64_t, size_t) override {}
  void conflict(size_t, std::string_view, std::string_view, uint64_t,
                const std::string &) override {}
};
size_t heap() {
  auto m = mallinfo2();
  return m.uordblks + m.hblkhd;
}
void throughput() {
  const size_t people = 200000, n_events = 1000000;
  const char *types[] = {"user_id", "email", "phone", "anonymous_id", "pos_card"};
  // Person p's identifiers: one of each type, the anonymous id per device (3).
  auto value = [](size_t type, size_t p, size_t device) {
    switch (type) {
      case 0:
        return "u-" + std::to_string(p * 7919);
      case 1:
        return "user" + std::to_string(p) + "@example.com";
      case 2:
        return "+98912" + std::to_string(1000000 + p);
      case 3:
        return "anon-" + std::to_string(p * 104729) + "-" + std::to_string(device);
      default:
        return "LC" + std::to_string(10000000 + p * 31);
    }
  };
  std::vector<std::string> storage;
  std::vector<std::vector<IdentifierRef>> events(n_events);
  storage.reserve(n_events * 4);
  uint64_t x = 88172645463325252ULL;  // xorshift64: fixed, reproducible
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  size_t occurrences = 0;
  for (size_t e = 0; e < n_events; ++e) {
    const size_t p = next() % people, device = next() % 3, count = 2 + next() % 3;
    const size_t first_type = next() % 5;
    for (size_t k = 0; k < count; ++k) storage.push_back(value((first_type + k) % 5, p, device));
  }
  x = 88172645463325252ULL;
  size_t at = 0;
  for (size_t e = 0; e < n_events; ++e) {
    next();  // p, device, count and first type again, as above
    next();
    const size_t count = 2 + next() % 3, first_type = next() % 5;
    for (size_t k = 0; k < count; ++k) {
      events[e].push_back({types[(first_type + k) % 5], storage[at++]});
    }
    occurrences += count;
  }
  const size_t h0 = heap();
  IdentityGraph g(IdentifierRules({{"user_id", 1, 1},
                                   {"email", 2, 5},
                                   {"phone", 3, 3},
                                   {"pos_card", 4, 5},
                                   {"anonymous_id", 9, 100}}));
  Sink s;
  const std::clock_t t0 = std::clock();
  for (size_t e = 0; e < n_events; ++e) g.resolve_event(e, kEventMs, events[e], s);
  const double cpu = double(std::clock() - t0) / CLOCKS_PER_SEC;
  const size_t held = heap() - h0;
  std::printf(
      "throughput: %zu events, %zu identifier occurrences, %zu identifiers, %zu profiles: "
      "%.3f s CPU = %.0f occurrences/s, %.0f events/s; resolver heap %.1f B/identifier\n",
      n_events, occurrences, g.identifier_count(), g.live_profile_count(), cpu,
      double(occurrences) / cpu, double(n_events) / cpu,
      double(held) / double(g.identifier_count()));
}

int main() {
  const size_t people = 485551;
  std::vector<std::string> vals;
  std::vector<std::vector<IdentifierRef>> events(people);
  vals.reserve(people * 4);
  size_t nids = 0, vbytes = 0;
  for (size_t p = 0; p < people; ++p) {
    size_t first = vals.size();
    vals.push_back("anon-" + std::to_string(p * 104729) + "-" + std::to_string(p % 977));
    if (p % 2 == 0) vals.push_back("u-" + std::to_string(p * 7919));
    if (p % 3 != 0) vals.push_back("user" + std::to_string(p) + "@example.com");
    if (p % 4 == 0) vals.push_back("+98912" + std::to_string(1000000 + p));
    nids += vals.size() - first;
    for (size_t k = first; k < vals.size(); ++k) vbytes += vals[k].size();
  }
  size_t k = 0;
  const char *types[] = {"anonymous_id", "user_id", "email", "phone"};
  for (size_t p = 0; p < people; ++p) {
    events[p].push_back({types[0], vals[k++]});
    if (p % 2 == 0) events[p].push_back({types[1], vals[k++]});
    if (p % 3 != 0) events[p].push_back({types[2], vals[k++]});
    if (p % 4 == 0) events[p].push_back({types[3], vals[k++]});
  }
  size_t h0 = heap();
  IdentityGraph g(IdentifierRules(
      {{"user_id", 1, 1}, {"email", 2, 5}, {"phone", 3, 3}, {"anonymous_id", 9, 100}}));
  Sink s;
  std::clock_t t0 = std::clock();
  for (size_t p = 0; p < people; ++p) g.resolve_event(p, kEventMs, events[p], s);
  double cpu = double(std::clock() - t0) / CLOCKS_PER_SEC;
  size_t held = heap() - h0;
  std::printf(
      "%zu profiles, %zu identifiers, %.1f value B/id: resolver heap %.1f MB = %.1f B/profile = "
      "%.1f B/identifier; resolve %.3f s CPU\n",
      g.live_profile_count(), nids, double(vbytes) / nids, held / 1e6, double(held) / people,
      double(held) / nids, cpu);

  IdentityGraph restored(IdentifierRules(
      {{"user_id", 1, 1}, {"email", 2, 5}, {"phone", 3, 3}, {"anonymous_id", 9, 100}}));
  t0 = std::clock();
  for (size_t p = 0; p < people; ++p) {
    for (const IdentifierRef &id : events[p]) restored.restore_link(id.type, id.value, p + 1);
  }
  std::printf("restore of %zu links: %.3f s CPU\n", restored.identifier_count(),
              double(std::clock() - t0) / CLOCKS_PER_SEC);
  throughput();
}
