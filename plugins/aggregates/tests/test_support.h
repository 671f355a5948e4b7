// test_support.h -- test doubles for the aggregates logic: options from a
// YAML text (same path syntax as the kernel's accessors), events from plain
// structs, and a feature sink that records "kind:value" per feature.
#pragma once

#include <yaml-cpp/yaml.h>
#include <halo/field_path.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "aggregate_engine.h"
#include "option_reader.h"

namespace halo::aggregates::testing {

// Event times and windows are milliseconds.
inline constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

class YamlOptions final : public OptionReader {
 public:
  explicit YamlOptions(const std::string &yaml) : root_(YAML::Load(yaml)) {}

  int size(const std::string &path) const override {
    YAML::Node n = at(path);
    if (!n || !(n.IsMap() || n.IsSequence())) return -1;
    return static_cast<int>(n.size());
  }
  std::string key(const std::string &path, int index) const override {
    YAML::Node n = at(path);
    int i = 0;
    for (auto it = n.begin(); it != n.end(); ++it, ++i) {
      if (i == index) return it->first.as<std::string>();
    }
    return {};
  }
  std::optional<std::string> text(const std::string &path) const override {
    YAML::Node n = at(path);
    if (!n || !n.IsScalar()) return std::nullopt;
    return n.as<std::string>();
  }

 private:
  // "a.b[2].c" -> node; an invalid node when any step is missing. Uses
  // reset() because Node assignment would overwrite the referenced node.
  YAML::Node at(const std::string &path) const {
    YAML::Node n;
    n.reset(root_);
    size_t pos = 0;
    while (pos < path.size()) {
      size_t end = path.find_first_of(".[", pos);
      std::string key = path.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      if (!key.empty()) {
        if (!n.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
        const YAML::Node &parent = n;
        YAML::Node child = parent[key];
        if (!child) return child;
        n.reset(child);
      }
      if (end == std::string::npos) break;
      if (path[end] == '[') {
        size_t close = path.find(']', end);
        size_t index = std::stoul(path.substr(end + 1, close - end - 1));
        if (!n.IsSequence() || index >= n.size()) return YAML::Node(YAML::NodeType::Undefined);
        const YAML::Node &parent = n;
        YAML::Node child = parent[index];
        n.reset(child);
        pos = close + 1;
        if (pos < path.size() && path[pos] == '.') ++pos;
      } else {
        pos = end + 1;
      }
    }
    return n;
  }
  YAML::Node root_;
};

struct TestField {
  std::string path;
  halo_value_kind kind;
  std::string text;  // number literal, string, or "true"/"false"
};

struct TestEvent {
  std::string name;
  int64_t timestamp_ms = 0;
  uint64_t sequence = 0;
  std::vector<TestField> fields;
  int32_t type = HALO_EVENT_TRACK;
  std::string source = "shop";
};

inline TestField number(std::string path, std::string text) {
  return {std::move(path), HALO_VALUE_NUMBER, std::move(text)};
}
inline TestField str(std::string path, std::string text) {
  return {std::move(path), HALO_VALUE_STRING, std::move(text)};
}

class TestEvents final : public EventSource {
 public:
  explicit TestEvents(std::vector<TestEvent> events) : events_(std::move(events)) {}
  size_t size() const override { return events_.size(); }
  int32_t type(size_t i) const override { return events_[i].type; }
  std::string_view name(size_t i) const override { return events_[i].name; }
  std::string_view source(size_t i) const override { return events_[i].source; }
  int64_t timestamp_ms(size_t i) const override { return events_[i].timestamp_ms; }
  uint64_t sequence(size_t i) const override { return events_[i].sequence; }
  std::optional<FieldValue> field(size_t i, const std::string &path) const override {
    for (const TestField &f : events_[i].fields) {
      if (f.path == path) return FieldValue{f.kind, f.text == "true", f.text};
    }
    return std::nullopt;
  }
  void elements(size_t i, std::string_view pattern, std::vector<FieldValue> &out) const override {
    for (const TestField &f : events_[i].fields) {
      if (element_path_matches(pattern, f.path)) out.push_back({f.kind, f.text == "true", f.text});
    }
  }

 private:
  std::vector<TestEvent> events_;
};

class RecordingFeatures final : public FeatureSink {
 public:
  void integer(const std::string &name, int64_t v) override {
    values[name] = "int:" + std::to_string(v);
  }
  void number(const std::string &name, std::string_view text) override {
    values[name] = "num:" + std::string(text);
  }
  void string(const std::string &name, std::string_view v) override {
    values[name] = "str:" + std::string(v);
  }
  void boolean(const std::string &name, bool v) override {
    values[name] = v ? "bool:true" : "bool:false";
  }
  void null(const std::string &name) override { values[name] = "null"; }
  std::map<std::string, std::string> values;
};

inline AggregateEngine engine_from(const std::string &yaml) {
  return AggregateEngine(parse_specs(YamlOptions(yaml)));
}

inline std::map<std::string, std::string> emit_all(const AggregateEngine &engine, uint64_t profile,
                                                   int64_t as_of_ms) {
  RecordingFeatures out;
  engine.emit(profile, as_of_ms, out);
  return out.values;
}

// An event the engine refused (AggregateEngine::Reject).
struct Rejected {
  size_t index;
  std::string reason, message;
};

inline std::vector<Rejected> update(AggregateEngine &engine, std::vector<TestEvent> events,
                                    const uint64_t *ids) {
  std::vector<Rejected> out;
  engine.update(TestEvents(std::move(events)), ids,
                [&](size_t i, const char *reason, const std::string &message) {
                  out.push_back({i, reason, message});
                });
  return out;
}

inline std::vector<Rejected> feed(AggregateEngine &engine, std::vector<TestEvent> events,
                                  uint64_t profile) {
  std::vector<uint64_t> ids(events.size(), profile);
  return update(engine, std::move(events), ids.data());
}

}  // namespace halo::aggregates::testing
