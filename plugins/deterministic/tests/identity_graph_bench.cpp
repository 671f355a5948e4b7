// identity_graph_bench.cpp -- memory/speed benchmark of the whole resolver
// state (not a test; run by hand): 485,551 people with 1.17M identifiers
// (every one an anonymous id, half a user id, two thirds an email, a quarter
// a phone), one event each, as in the 1M-event measurement. Prints
// the heap the graph holds (glibc mallinfo2, slack included) per profile and
// per identifier, and the CPU time of resolution and of restoring the same
// links into a fresh graph.
#include <malloc.h>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>
#include "identity_graph.h"
using namespace halo::deterministic;
struct Sink final : ResolutionSink {
  uint64_t next = 1;
  uint64_t new_profile() override { return next++; }
  void assign(size_t, uint64_t) override {}
  void link(std::string_view, std::string_view, uint64_t) override {}
  void merge(uint64_t, uint64_t, size_t) override {}
  void conflict(size_t, std::string_view, std::string_view, uint64_t,
                const std::string &) override {}
};
size_t heap() {
  auto m = mallinfo2();
  return m.uordblks + m.hblkhd;
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
  for (size_t p = 0; p < people; ++p) g.resolve_event(p, events[p], s);
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
}
