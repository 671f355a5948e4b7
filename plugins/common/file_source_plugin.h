// file_source_plugin.h -- the SDK adapter shared by the file-based sources
// (file-jsonl, file-csv): option helpers every file source reads, and a
// halo::Source that lists the input files, restores the cursor and runs
// FileSourceCore with the reader the concrete plugin makes.
//
// A missing input (no such file, a glob or directory without files, a file
// that cannot be opened) fails this source naming the path (the kernel goes
// on with the other sources and the run exits 1), unless the source sets
// `optional: true`; then it is a warning (or an UNREADABLE dead letter for a
// listed file that cannot be opened). create() already warns about an
// input missing at that time, so `halo validate` shows it.
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
// The `max_record_bytes` row every file source declares: one default
// (1 MiB) and one range (1 KiB .. 1 GiB), checked by the kernel.
constexpr halo_option_decl max_record_bytes_decl(const char *description) {
  return halo::within(halo::option(HALO_OPT_SIZE, "max_record_bytes", "1MiB", false, description),
                      "1KiB", "1GiB");
}
// The `max_record_bytes` option, in bytes.
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
        extensions_(std::move(extensions)),
        optional_(host.bool_option("optional")) {
    warn_if_missing();
  }

  void restore_cursor(std::string_view cursor) override { saved_cursor_ = cursor; }

  void start() override {
    auto files = list_input_files(path_, host().base_dir(), extensions_);
    std::string missing = missing_input(path_, host().base_dir(), files, extensions_);
    if (!missing.empty() && optional_) {
      host().warn(name_ + ": input " + missing + "; optional: true, so nothing is read");
      files.clear();
    } else if (!missing.empty()) {
      // Raised by next_batch, so sources that run earlier still commit.
      input_error_ = name_ + ": input " + missing +
                     "; fix `path` (relative paths start at the pipeline file) or set "
                     "`optional: true` if the input may be absent";
    }
    core_ = std::make_unique<FileSourceCore>(std::move(files), make_reader());
    core_->set_optional(optional_);
    std::string error;
    if (!saved_cursor_.empty() && !core_->restore(saved_cursor_, error)) {
      throw halo::Error(name_ + ": " + error + "; reset this source's checkpoint to re-read",
                        HALO_FATAL);
    }
  }

  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    if (!core_) start();
    if (core_->finished()) rescan();
    if (!input_error_.empty()) throw halo::Error(input_error_, HALO_FATAL);
    SdkRecordSink out(sink);
    try {
      core_->next_batch(out, max_records);
    } catch (const InputError &e) {
      throw halo::Error(name_ + ": " + e.what() +
                            "; fix `path` or set `optional: true` if the input may be absent",
                        HALO_FATAL);
    }
  }

  std::string_view cursor() override { return core_ ? core_->cursor() : saved_cursor_; }

 protected:
  // The reader for this plugin's file format (called once, from start()).
  virtual std::unique_ptr<RecordFileReader> make_reader() = 0;

 private:
  // Called again after end of data (polling, `halo serve`): lists the input
  // again and reads what was appended, changed or added since. An input
  // gone since the start is warned about; its position is kept.
  void rescan() {
    auto files = list_input_files(path_, host().base_dir(), extensions_);
    std::string missing = missing_input(path_, host().base_dir(), files, extensions_);
    if (!missing.empty() && !optional_) host().warn(name_ + ": input " + missing + " at this time");
    core_->rescan(std::move(files));
  }

  // A missing input is not a configuration error (an export may appear
  // before the run reads it; reading it is what fails the source), but
  // `halo validate`, which creates the source without starting it, should
  // say so: a read-only check, warned about once here.
  void warn_if_missing() {
    if (optional_) return;
    auto files = list_input_files(path_, host().base_dir(), extensions_);
    std::string missing = missing_input(path_, host().base_dir(), files, extensions_);
    if (missing.empty()) return;
    host().warn(name_ + ": input " + missing +
                " at this time; unless it appears before the run reads it, the run will fail "
                "this source (set `optional: true` if the input may be absent)");
  }

  std::string name_;
  std::string path_;
  std::vector<std::string_view> extensions_;  // string literals
  bool optional_ = false;
  std::string saved_cursor_;
  std::string input_error_;  // a missing input, reported by next_batch
  std::unique_ptr<FileSourceCore> core_;
};

}  // namespace halo::plugins
