// sdk_record_sink.h -- adapts the SDK's halo::Sink (one next_batch call) to
// the RecordSink interface the file-source logic writes to.
//
// Invariant: a thin pass-through; it owns nothing and lives for one call.
#pragma once

#include "common/file_source_core.h"

#include <halo/sdk.hpp>

namespace halo::plugins {

class SdkRecordSink : public RecordSink {
 public:
  explicit SdkRecordSink(const halo::Sink &sink) : sink_(sink) {}
  void origin(const std::string &path) override { sink_.origin(path); }
  void record(std::string_view json, uint64_t position) override { sink_.record(json, position); }
  void error(halo_reason reason, const std::string &message, std::string_view raw,
             uint64_t position) override {
    sink_.error(reason, message, raw, position);
  }
  void end_of_data() override { sink_.end_of_data(); }

 private:
  const halo::Sink &sink_;
};

}  // namespace halo::plugins
