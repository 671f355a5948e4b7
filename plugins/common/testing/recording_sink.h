// recording_sink.h -- a RecordSink that keeps everything it is given, so
// tests can assert on the exact records, errors and origins a source emits.
#pragma once

#include "common/file_source_core.h"

#include <halo/plugin.h>

#include <string>
#include <vector>

namespace halo::plugins::testing {

struct Emitted {
  bool is_error = false;
  std::string json_or_raw;
  uint64_t position = 0;
  halo_reason reason{};
  std::string message;
  std::string origin;
};

class RecordingSink : public RecordSink {
 public:
  void origin(const std::string &path) override { origin_ = path; }
  void record(std::string_view json, uint64_t position) override {
    items.push_back({false, std::string(json), position, {}, {}, origin_});
  }
  void error(halo_reason reason, const std::string &message, std::string_view raw,
             uint64_t position) override {
    items.push_back({true, std::string(raw), position, reason, message, origin_});
  }
  void end_of_data() override { ++ends; }

  std::vector<std::string> records() const {
    std::vector<std::string> out;
    for (const auto &i : items) {
      if (!i.is_error) out.push_back(i.json_or_raw);
    }
    return out;
  }
  std::vector<Emitted> errors() const {
    std::vector<Emitted> out;
    for (const auto &i : items) {
      if (i.is_error) out.push_back(i);
    }
    return out;
  }

  std::vector<Emitted> items;
  int ends = 0;

 private:
  std::string origin_;
};

}  // namespace halo::plugins::testing
