// pos_csv_plugin.cpp -- the SDK adapter of the `pos-csv` source: reads and
// validates its options (ConfigError with the option path) and wires
// PosCsvReader into PosDropCore.
#include "pos_csv_reader.h"
#include "pos_drop_core.h"
#include "pos_mapping_config.h"

#include "common/file_source_plugin.h"
#include "common/sdk_record_sink.h"

#include <halo/sdk.hpp>

#include <filesystem>
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

std::string resolve(const halo::Host &host, const std::string &path) {
  std::filesystem::path p(path);
  return p.is_absolute() ? p.string() : (std::filesystem::path(host.base_dir()) / p).string();
}

DropFolderRules read_rules(const halo::Host &host) {
  DropFolderRules rules;
  auto dir = host.opt_string("dir");
  if (!dir || dir->empty()) {
    throw halo::ConfigError("dir", "is required: the folder the tills drop their CSV exports in");
  }
  rules.dir = resolve(host, std::string(*dir));
  std::error_code ec;
  if (!std::filesystem::is_directory(rules.dir, ec)) {
    throw halo::ConfigError("dir", "'" + rules.dir +
                                       "' is not a directory; create it or fix "
                                       "the path (relative paths start at the pipeline file)");
  }
  rules.pattern = host.string_option("pattern");
  rules.settle_ms = host.int_option("settle_seconds") * 1000;  // 0..86400, declared
  rules.require_done_marker = host.bool_option("require_done_marker");
  return rules;
}

class PosCsvSource : public halo::Source {
 public:
  explicit PosCsvSource(halo::Host host) : halo::Source(host) {
    PosReaderOptions reader;
    reader.delimiter = read_delimiter(host);
    // Not an enum option: aliases (utf8, cp1256) and any case are accepted.
    auto encoding = parse_text_encoding(host.string_option("encoding"));
    if (!encoding) {
      throw halo::ConfigError("encoding", "must be utf-8, windows-1256 or windows-1252");
    }
    reader.encoding = *encoding;
    reader.max_record_bytes = max_record_bytes_option(host);
    reader.warn = [this](const std::string &m) { this->host().warn(m); };
    std::optional<std::string> refund_event;
    if (auto r = host.opt_string("refund_event")) refund_event = std::string(*r);
    mapping_ = std::make_unique<PosMapping>(read_pos_mapping(host, "mapping", refund_event));
    options_.rules = read_rules(host);
    if (auto move = host.opt_string("move_processed_to"); move && !move->empty()) {
      options_.move_processed_to = resolve(host, std::string(*move));
    }
    options_.remember_files = static_cast<size_t>(host.int_option("remember_files"));
    options_.now_ms = [this] { return this->host().now_ms(); };  // the host's clock
    options_.info = [this](const std::string &m) { this->host().info(m); };
    options_.warn = [this](const std::string &m) { this->host().warn(m); };
    reader_options_ = std::move(reader);
  }

  void restore_cursor(std::string_view cursor) override { saved_cursor_ = cursor; }

  void start() override {
    core_ = std::make_unique<PosDropCore>(
        options_, std::make_unique<PosCsvReader>(reader_options_, mapping_.get()));
    std::string error;
    if (!saved_cursor_.empty() && !core_->restore(saved_cursor_, error)) {
      throw halo::Error("pos-csv: " + error + "; reset this source's checkpoint to re-import",
                        HALO_FATAL);
    }
  }

  void next_batch(const halo::Sink &sink, uint32_t max_records) override {
    if (!core_) start();
    SdkRecordSink out(sink);
    try {
      core_->next_batch(out, max_records);
    } catch (const std::runtime_error &e) {
      throw halo::Error(std::string("pos-csv: ") + e.what(), HALO_ERROR);
    }
  }

  std::string_view cursor() override { return core_ ? core_->cursor() : saved_cursor_; }
  void committed() override {
    if (core_) core_->committed();
  }

 private:
  PosReaderOptions reader_options_;
  std::unique_ptr<PosMapping> mapping_;
  PosDropOptions options_;
  std::string saved_cursor_;
  std::unique_ptr<PosDropCore> core_;
};

}  // namespace
}  // namespace halo::plugins

using halo::plugins::PosCsvSource;

static const halo_option_decl kPosCsvOptions[] = {
    halo::option(HALO_OPT_STRING, "dir", nullptr, true,
                 "The drop folder the tills write their CSV exports to, relative to the "
                 "pipeline file"),
    halo::option(HALO_OPT_STRING, "pattern", "*.csv", false,
                 "Glob of the file names to import (not recursive)"),
    halo::option(HALO_OPT_STRING, "delimiter", ",", false,
                 "Field separator; any string, \"tab\" for a tab"),
    halo::option(HALO_OPT_STRING, "encoding", "utf-8", false,
                 "utf-8, windows-1256 (Persian/Arabic) or windows-1252"),
    halo::option(HALO_OPT_MAP, "mapping", nullptr, true,
                 "Event path -> column spec, as file-csv, plus as: date / as: money keys"),
    halo::option(HALO_OPT_STRING, "refund_event", nullptr, false,
                 "Event name for rows whose refund_sign amount is negative"),
    halo::within(halo::option(HALO_OPT_INT, "settle_seconds", "5", false,
                              "A file is read only once unchanged for this long"),
                 "0", "86400"),
    halo::option(HALO_OPT_BOOL, "require_done_marker", "false", false,
                 "Read NAME only once NAME.done (or NAME with .done extension) exists"),
    halo::option(HALO_OPT_STRING, "move_processed_to", nullptr, false,
                 "Move imported files here after the kernel commits them"),
    halo::plugins::max_record_bytes_decl("Rows larger than this are dead-lettered as TOO_LARGE"),
    halo::within(halo::option(HALO_OPT_INT, "remember_files", "10000", false,
                              "How many imported file fingerprints the cursor keeps"),
                 "1", "1000000"),
};

HALO_PLUGIN_LIBRARY(halo::describe_source<PosCsvSource>(
    "pos-csv", "1.0.0", "Imports POS till CSV exports from a drop folder, once per file",
    kPosCsvOptions, std::size(kPosCsvOptions), HALO_CAP_CHECKPOINT))
