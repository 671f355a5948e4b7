// file_csv_plugin.cpp -- the SDK adapter of the `file-csv` source: reads its
// options, lists the files and wires CsvFileReader into FileSourceCore.
#include "csv_reader.h"

#include "common/file_set.h"
#include "common/file_source_core.h"
#include "common/mapping_config.h"
#include "common/sdk_record_sink.h"

#include <halo/sdk.hpp>

#include <iterator>
#include <memory>

namespace halo::plugins {
namespace {

std::string read_delimiter(const halo::Host &host) {
  std::string d = host.opt_string_or("delimiter", ",");
  if (d == "tab" || d == "\\t") d = std::string(1, '\t');
  if (d.empty() || d.find_first_of("\"\r\n") != std::string::npos) {
    throw halo::ConfigError("delimiter",
                            "must be a non-empty string without quotes or newlines "
                            "(e.g. \",\", \";\", \"tab\")");
  }
  return d;
}

class CsvSource : public halo::Source {
 public:
  explicit CsvSource(halo::Host host) : halo::Source(host) {
    auto path = host.opt_string("path");
    if (!path || path->empty()) {
      throw halo::ConfigError("path", "is required: a .csv file, a directory or a glob");
    }
    path_ = std::string(*path);
    options_.delimiter = read_delimiter(host);
    options_.header = host.opt_bool("header").value_or(true);
    int64_t max_bytes = host.opt_int("max_record_bytes").value_or(1 << 20);
    if (max_bytes < 1024 || max_bytes > (int64_t{1} << 30)) {
      throw halo::ConfigError("max_record_bytes", "must be between 1024 and 1073741824");
    }
    options_.max_record_bytes = static_cast<size_t>(max_bytes);
    mapping_ = read_mapping(host, "mapping");
    if (!mapping_) {
      throw halo::ConfigError("mapping",
                              "is required: map event fields to CSV columns, e.g. "
                              "{type: \"=identify\", userId: customer_id}");
    }
    options_.mapping = &*mapping_;
    options_.warn = [this](const std::string &m) { this->host().warn(m); };
  }

  void restore_cursor(std::string_view cursor) override { saved_cursor_ = cursor; }

  void start() override {
    auto files = list_input_files(path_, host().base_dir(), {".csv"});
    if (files.empty()) host().warn("file-csv: no files match path '" + path_ + "'");
    core_ = std::make_unique<FileSourceCore>(std::move(files),
                                             std::make_unique<CsvFileReader>(options_));
    std::string error;
    if (!saved_cursor_.empty() && !core_->restore(saved_cursor_, error)) {
      throw halo::Error("file-csv: " + error + "; reset this source's checkpoint to re-read",
                        HALO_FATAL);
    }
  }

  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    if (!core_) start();
    SdkRecordSink out(sink);
    core_->next_batch(out, max_records);
  }

  std::string_view cursor() override { return core_ ? core_->cursor() : saved_cursor_; }

 private:
  std::string path_;
  CsvReaderOptions options_;
  std::optional<RecordMapping> mapping_;
  std::string saved_cursor_;
  std::unique_ptr<FileSourceCore> core_;
};

}  // namespace
}  // namespace halo::plugins

using halo::plugins::CsvSource;

static const halo_option_decl kCsvOptions[] = {
    halo::option(HALO_OPT_STRING, "path", nullptr, true,
                 "A .csv file, a directory of them (sorted by name) or a glob, relative to "
                 "the pipeline file"),
    halo::option(HALO_OPT_STRING, "delimiter", ",", false,
                 "Field separator; any string, \"tab\" for a tab"),
    halo::option(HALO_OPT_BOOL, "header", "true", false,
                 "First row holds column names; false names columns \"1\", \"2\", ..."),
    halo::option(HALO_OPT_MAP, "mapping", nullptr, true,
                 "Event path -> column spec (\"=literal\", \"Column Name\" or {from, as, map, "
                 "default, required})"),
    halo::option(HALO_OPT_INT, "max_record_bytes", "1048576", false,
                 "Rows larger than this are dead-lettered as TOO_LARGE"),
};

HALO_PLUGIN_LIBRARY(halo::describe_source<CsvSource>("file-csv", "1.0.0",
                                                     "Reads events from CSV files", kCsvOptions,
                                                     std::size(kCsvOptions), HALO_CAP_CHECKPOINT))
