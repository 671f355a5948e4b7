// recording_sink.h -- test double of the kernel's resolution output: hands
// out profile ids like the kernel (counter), keeps the kernel's link table
// (re-pointed on merge, as the kernel does) and logs every effect as text so
// tests can compare whole scripts.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "identity_graph.h"

namespace halo::deterministic::testing {

// An event time for tests whose rules have no window (any time will do).
inline constexpr int64_t kEventMs = 1'700'000'000'000;

class RecordingSink final : public ResolutionSink {
 public:
  explicit RecordingSink(uint64_t next_profile = 1) : next_(next_profile) {}

  uint64_t new_profile() override {
    effects.push_back("new " + std::to_string(next_));
    return next_++;
  }
  void assign(size_t event, uint64_t profile) override {
    assignments[event] = profile;
    effects.push_back("assign " + std::to_string(profile));
  }
  void link(size_t event, std::string_view type, std::string_view value,
            uint64_t profile) override {
    links[{std::string(type), std::string(value)}] = profile;
    link_events[{std::string(type), std::string(value)}] = event;
    effects.push_back("link " + std::string(type) + ":" + std::string(value) + "->" +
                      std::to_string(profile));
  }
  void merge(uint64_t from, uint64_t into, size_t) override {
    for (auto &[id, profile] : links) {
      if (profile == from) profile = into;
    }
    effects.push_back("merge " + std::to_string(from) + "->" + std::to_string(into));
  }
  void conflict(size_t, std::string_view type, std::string_view value, uint64_t profile,
                const std::string &reason) override {
    effects.push_back("conflict " + std::string(type) + ":" + std::string(value) + "@" +
                      std::to_string(profile) + " " + reason);
  }

  uint64_t next_profile() const { return next_; }

  std::vector<std::string> effects;
  std::map<size_t, uint64_t> assignments;
  std::map<std::pair<std::string, std::string>, uint64_t> links;
  std::map<std::pair<std::string, std::string>, size_t> link_events;  // the event that linked it

 private:
  uint64_t next_;
};

inline IdentifierRules standard_rules(uint32_t email_limit = 5) {
  return IdentifierRules(
      {{"user_id", 1, 1}, {"email", 2, email_limit}, {"phone", 3, 3}, {"anonymous_id", 9, 100}});
}

}  // namespace halo::deterministic::testing
