// file_csv_plugin.cpp -- the SDK adapter of the `file-csv` source: reads its
// options, lists the files and wires CsvFileReader into FileSourceCore.
#include "csv_reader.h"

#include "common/file_source_plugin.h"
#include "common/mapping_config.h"

#include <halo/sdk.hpp>

#include <iterator>
#include <memory>

namespace halo::plugins {
namespace {

std::string read_delimiter(const halo::Host &host) {
  std::string d = host.string_option("delimiter");
  if (d == "tab" || d == "\\t") d = std::string(1, '\t');
  if (d.empty() || d.find_first_of("\"\r\n") != std::string::npos) {
    throw halo::ConfigError("delimiter",
                            "must be a non-empty string without quotes or newlines "
                            "(e.g. \",\", \";\", \"tab\")");
  }
  return d;
}

class CsvSource : public FileSourcePlugin {
 public:
  explicit CsvSource(halo::Host host)
      : FileSourcePlugin(host, "file-csv",
                         required_path_option(host, "a .csv file, a directory or a glob"),
                         {".csv"}) {
    options_.delimiter = read_delimiter(host);
    options_.header = host.bool_option("header");
    options_.max_record_bytes = max_record_bytes_option(host);
    options_.max_fields = static_cast<size_t>(host.int_option("max_fields"));  // bounds: declared
    mapping_ = read_mapping(host, "mapping");
    if (!mapping_) {
      throw halo::ConfigError("mapping",
                              "is required: map event fields to CSV columns, e.g. "
                              "{type: \"=identify\", userId: customer_id}");
    }
    options_.mapping = &*mapping_;
    options_.warn = [this](const std::string &m) { this->host().warn(m); };
  }

 protected:
  std::unique_ptr<RecordFileReader> make_reader() override {
    return std::make_unique<CsvFileReader>(options_);
  }

 private:
  CsvReaderOptions options_;
  std::optional<RecordMapping> mapping_;
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
    halo::plugins::max_record_bytes_decl("Rows larger than this are dead-lettered as TOO_LARGE"),
    halo::within(halo::option(HALO_OPT_INT, "max_fields", "10000", false,
                              "Rows (and headers) with more fields than this are dead-lettered "
                              "as TOO_LARGE"),
                 "1", "1000000"),
    halo::option(HALO_OPT_BOOL, "optional", "false", false,
                 "true: a missing input (no file, an empty glob/directory) is a warning, not "
                 "an error"),
};

HALO_PLUGIN_LIBRARY(halo::describe_source<CsvSource>("file-csv", "1.0.0",
                                                     "Reads events from CSV files", kCsvOptions,
                                                     std::size(kCsvOptions), HALO_CAP_CHECKPOINT))
