// cmd_deadletters.cpp -- `halo deadletters PIPELINE` (list, read-only) and
// `halo deadletters replay PIPELINE` (send records through the pipeline
// again; contract in pipeline/replay.h).
//
// The listing opens the store read-only (a missing store is "not found",
// never created) and treats every store error as an error (exit 1): a
// damaged store is never shown as an empty list. Output formats:
//   jsonl  one JSON object per dead letter (default; the --from format of
//          replay): id, stage, reason, message, source, position, at, raw
//          (invalid UTF-8 in raw replaced by U+FFFD)
//   json   the same objects in one JSON array
//   table  one line per dead letter and a count per source/stage/reason
#include <boost/program_options.hpp>
#include <iostream>
#include <map>
#include <tuple>

#include "cli/cli.h"
#include "cli/deadletter_filter.h"
#include "cli/pipeline_command_line.h"
#include "common/civil_date.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "common/utf8.h"
#include "config/pipeline_config.h"
#include "profile/profile_export.h"
#include "store/store.h"

namespace po = boost::program_options;

namespace halo::cli {

namespace {

std::string dead_letter_json(const DeadLetter &d) {
  std::string line;
  JsonWriter w(line);
  w.begin_object();
  w.key("id").number(static_cast<int64_t>(d.id));
  w.key("stage").string(d.stage);
  w.key("reason").string(d.reason);
  w.key("message").string(d.message);
  w.key("source").string(d.source);
  w.key("position").string(d.position);
  w.key("at").string(format_iso8601_ms(d.at_ms));
  w.key("raw").string(d.raw);
  w.end_object();
  return line;
}

// `text` on one line of at most `width` characters (bytes; "..." when cut).
std::string cell(const std::string &text, size_t width) {
  std::string one_line;
  for (char c : text) one_line += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (one_line.size() <= width) return one_line;
  return std::string(utf8_prefix(one_line, width - 3)) + "...";
}

// Prints the rows as `format` while the store scans them.
class Printer {
 public:
  explicit Printer(const std::string &format) : format_(format) {}
  void row(const DeadLetter &d) {
    if (format_ == "jsonl") {
      std::cout << dead_letter_json(d) << "\n";
    } else if (format_ == "json") {
      std::cout << (count_ == 0 ? "[\n  " : ",\n  ") << dead_letter_json(d);
    } else {
      if (count_ == 0) header();
      std::printf("%-8llu %-24s %-12s %-9s %-22s %s\n", static_cast<unsigned long long>(d.id),
                  format_iso8601_ms(d.at_ms).c_str(), cell(d.source, 12).c_str(), d.stage.c_str(),
                  cell(d.reason, 22).c_str(), cell(d.message, 70).c_str());
      ++groups_[{d.source, d.stage, d.reason}];
    }
    ++count_;
  }
  void finish() {
    if (format_ == "json") std::cout << (count_ == 0 ? "[]\n" : "\n]\n");
    if (format_ != "table") return;
    std::cout << (count_ == 0 ? "no dead letters match\n" : "\n") << count_ << " dead letter(s)";
    if (!groups_.empty()) std::cout << ":";
    std::cout << "\n";
    for (const auto &[key, n] : groups_) {
      const auto &[source, stage, reason] = key;
      std::printf("  %8llu  source %s, stage %s, reason %s\n", static_cast<unsigned long long>(n),
                  source.c_str(), stage.c_str(), reason.c_str());
    }
  }

 private:
  void header() {
    std::printf("%-8s %-24s %-12s %-9s %-22s %s\n", "ID", "AT", "SOURCE", "STAGE", "REASON",
                "MESSAGE");
  }
  std::string format_;
  uint64_t count_ = 0;
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> groups_;
};

}  // namespace

int cmd_deadletters(const Args &args) {
  if (!args.empty() && args[0] == "replay")
    return cmd_deadletters_replay({args.begin() + 1, args.end()});
  std::string pipeline, format = "jsonl";
  DeadLetterFilterOptions filter;
  po::options_description desc(
      "usage: halo deadletters PIPELINE.yaml [filters] [--format jsonl|json|table]\n"
      "       halo deadletters replay PIPELINE.yaml [filters] [--from FILE]  (see its --help)\n"
      "lists the dead letters (rejected records with their reasons), oldest first");
  desc.add_options()("help,h", "show this help")(
      "format", po::value(&format)->value_name("FORMAT"),
      "jsonl (default: one JSON object per line: id, stage, reason, message, source, position, "
      "at, raw), json (one array), table (for people)");
  add_dead_letter_filter_options(desc, filter);
  int rc = parse_pipeline_command("deadletters", args, desc, pipeline);
  if (rc >= 0) return rc;
  if ((rc = check_format(format, {"jsonl", "json", "table"})) >= 0) return rc;
  auto f = make_dead_letter_filter(filter, wall_ms());
  if (!f.ok()) return fail(kUsage, f.status().message());
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  auto store = open_store(cfg.value().store_kind, cfg.value().store_path,
                          {.read_only = true, .check_invariants = true});
  if (!store.ok()) {
    return fail(store.status().code() == StatusCode::kNotFound ? kNotFound : kFailed,
                store.status().message());
  }
  Printer printer(format);
  Status s = store.value()->scan_dead_letters(*f, [&](const DeadLetter &d) { printer.row(d); });
  if (!s.ok()) return fail(kFailed, s.message());
  printer.finish();
  std::cout << std::flush;
  if (!std::cout) return fail(kFailed, "cannot write the dead letters to stdout");
  return kOk;
}

}  // namespace halo::cli
