// file_source_plugin.h -- the SDK adapter shared by the file-based sources
// (file-jsonl, file-csv): option helpers every file source reads, and a
// halo::Source that lists the input files, restores the cursor and runs
// FileSourceCore with the reader the concrete plugin makes.
//
// Threading and lifetimes are those of halo::Source: one thread at a time;
// the cursor view stays valid until the next call.
#pragma once

#include <halo/sdk.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_set.h"
#include "common/file_source_core.h"
#include "common/sdk_record_sink.h"

namespace halo::plugins {

// The required `path` option; `what` describes valid values for the error.
std::string required_path_option(const halo::Host &host, const std::string &what);
// The `max_record_bytes` option (default 1 MiB, 1 KiB .. 1 GiB).
size_t max_record_bytes_option(const halo::Host &host);

class FileSourcePlugin : public halo::Source {
 public:
  // `name` prefixes messages; `extensions` (static strings) select the files
  // of a directory.
  FileSourcePlugin(halo::Host host, std::string name, std::string path,
                   std::vector<std::string_view> extensions)
      : halo::Source(host),
        name_(std::move(name)),
        path_(std::move(path)),
        extensions_(std::move(extensions)) {}

  void restore_cursor(std::string_view cursor) override { saved_cursor_ = cursor; }

  void start() override {
    auto files = list_input_files(path_, host().base_dir(), extensions_);
    if (files.empty()) host().warn(name_ + ": no files match path '" + path_ + "'");
    core_ = std::make_unique<FileSourceCore>(std::move(files), make_reader());
    std::string error;
    if (!saved_cursor_.empty() && !core_->restore(saved_cursor_, error)) {
      throw halo::Error(name_ + ": " + error + "; reset this source's checkpoint to re-read",
                        HALO_FATAL);
    }
  }

  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    if (!core_) start();
    SdkRecordSink out(sink);
    core_->next_batch(out, max_records);
  }

  std::string_view cursor() override { return core_ ? core_->cursor() : saved_cursor_; }

 protected:
  // The reader for this plugin's file format (called once, from start()).
  virtual std::unique_ptr<RecordFileReader> make_reader() = 0;

 private:
  std::string name_;
  std::string path_;
  std::vector<std::string_view> extensions_;  // string literals
  std::string saved_cursor_;
  std::unique_ptr<FileSourceCore> core_;
};

}  // namespace halo::plugins
