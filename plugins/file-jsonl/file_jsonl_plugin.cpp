// file_jsonl_plugin.cpp -- the SDK adapters of the file-jsonl library: the
// `file-jsonl` source (JSON Lines / JSON array files -> raw records) and the
// `file-jsonl` destination (profiles -> one JSON Lines file, written
// atomically; a delivery of changes patches the previous file). The logic lives in JsonlFileReader,
// FileSourceCore and AtomicFileWriter; these classes only read options and wire them up.
#include "atomic_file_writer.h"
#include "jsonl_reader.h"
#include "profile_file_patch.h"

#include "common/file_source_plugin.h"
#include "common/mapping_config.h"

#include <halo/sdk.hpp>

#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>

namespace halo::plugins {
namespace {

class JsonlSource : public FileSourcePlugin {
 public:
  explicit JsonlSource(halo::Host host)
      : FileSourcePlugin(host, "file-jsonl",
                         required_path_option(host, "a file, a directory or a glob pattern"),
                         {".jsonl", ".json", ".ndjson"}) {
    // One of kFormats: the kernel refused anything else.
    auto parsed = parse_json_format(host.string_option("format"));
    if (!parsed) throw halo::ConfigError("format", "must be auto, jsonl or json-array");
    options_.format = *parsed;
    options_.max_record_bytes = max_record_bytes_option(host);
    mapping_ = read_mapping(host, "mapping");
    if (mapping_) options_.mapping = &*mapping_;
  }

 protected:
  std::unique_ptr<RecordFileReader> make_reader() override {
    return std::make_unique<JsonlFileReader>(options_);
  }

 private:
  JsonlReaderOptions options_;
  std::optional<RecordMapping> mapping_;
};

class JsonlDestination : public halo::Destination {
 public:
  explicit JsonlDestination(halo::Host host) : halo::Destination(host) {
    std::filesystem::path path(required_path_option(host, "the JSON Lines file to write"));
    if (path.is_relative()) path = std::filesystem::path(host.base_dir()) / path;
    path_ = path.lexically_normal().string();
  }

  void start() override {
    writer_.open(path_);
    patch_.reset();
  }

  // Changes are applied to the file this destination wrote last, when it
  // is still intact (ProfileFilePatch::patchable); else everything again.
  halo::DeliveryMode begin_delivery(halo::DeliveryMode proposed) override {
    if (proposed == halo::DeliveryMode::kChanges && ProfileFilePatch::patchable(path_)) {
      patch_.emplace();
      return proposed;
    }
    return halo::DeliveryMode::kFull;
  }

  void write_profiles(const halo::ProfileBatch &batch) override {
    if (!writer_.is_open()) writer_.open(path_);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (patch_) {
        patch_->replace(batch.profile_id(i), batch.json(i));
      } else {
        writer_.append_line(batch.json(i));
      }
    }
  }

  void remove_profiles(const uint64_t *ids, size_t count) override {
    for (size_t i = 0; patch_ && i < count; ++i) patch_->remove(ids[i]);
  }

  void stop() override {
    if (patch_) patch_->write(path_, writer_);
    patch_.reset();
    writer_.commit();
  }

 private:
  std::string path_;
  AtomicFileWriter writer_;
  std::optional<ProfileFilePatch> patch_;  // set in a delivery of changes
};

}  // namespace
}  // namespace halo::plugins

using halo::plugins::JsonlDestination;
using halo::plugins::JsonlSource;

static const char *const kFormats[] = {"auto", "jsonl", "ndjson", "json-array"};

static const halo_option_decl kSourceOptions[] = {
    halo::option(HALO_OPT_STRING, "path", nullptr, true,
                 "A .jsonl/.json/.ndjson file, a directory of them (sorted by name) or a glob, "
                 "relative to the pipeline file"),
    halo::one_of(halo::option(HALO_OPT_STRING, "format", "auto", false,
                              "auto (a file starting with '[' is a JSON array), jsonl or "
                              "json-array"),
                 kFormats),
    halo::option(HALO_OPT_MAP, "mapping", nullptr, false,
                 "Event path -> source spec (\"=literal\", \"a.b.0.c\" or {from, as, map, "
                 "default, required}); absent = pass records through unchanged"),
    halo::plugins::max_record_bytes_decl("Records larger than this are dead-lettered as TOO_LARGE"),
    halo::option(HALO_OPT_BOOL, "optional", "false", false,
                 "true: a missing input (no file, an empty glob/directory) is a warning, not "
                 "an error"),
};

static const halo_option_decl kDestinationOptions[] = {
    halo::option(HALO_OPT_STRING, "path", nullptr, true,
                 "Output JSON Lines file (one profile per line), replaced atomically at stop"),
};

HALO_PLUGIN_LIBRARY(halo::describe_source<JsonlSource>(
                        "file-jsonl", "1.0.0", "Reads events from JSON Lines or JSON array files",
                        kSourceOptions, std::size(kSourceOptions), HALO_CAP_CHECKPOINT),
                    halo::describe_destination<JsonlDestination>(
                        "file-jsonl", "1.0.0", "Writes profiles to a JSON Lines file",
                        kDestinationOptions, HALO_CAP_INCREMENTAL_DELIVERY))
