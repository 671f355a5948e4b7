// cmd_segment.cpp -- `halo segment preview PIPELINE.yaml EXPR`: how many
// stored profiles a segment expression (docs/segments.md) matches, and a
// sample of them, read-only and without storing anything.
//
// Exit codes: 0 printed, 2 usage or an expression that does not parse
// (the error names its column), 3 no store yet, 1 a store error.
#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/pipeline_command_line.h"
#include "cli/profile_lookup.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "pipeline/segment_history.h"
#include "profile/profile_export.h"
#include "segment/profile_subject.h"
#include "segment/segment_expr.h"
#include "segment/segment_set.h"
#include "store/profile_reads.h"

namespace halo::cli {

namespace po = boost::program_options;

namespace {

// "EXPR" with a caret under the column of `error`.
void print_parse_error(const std::string &expression, const segment::ExprError &error) {
  std::cerr << "halo segment preview: column " << error.column << ": " << error.message << "\n  "
            << expression << "\n  " << std::string(error.column > 0 ? error.column - 1 : 0, ' ')
            << "^\n";
}

struct Preview {
  uint64_t profiles = 0, matched = 0;
  std::vector<std::string> sample;  // export lines of the first matches
};

Status scan(Store &store, const segment::Expr &expr, int64_t now_ms, size_t limit, Preview &out) {
  const IdentifierTypes read_by_expr{false, segment::identifier_types(expr.paths())};
  std::vector<ProfileExport> page;
  for (uint64_t after = 0;; after = page.back().id) {
    // Identifiers only where the expression or the sample needs them: the
    // sample is exported with all of them.
    const bool sampling = out.sample.size() < limit;
    Status s = read_profile_page(store, after, kScanPage,
                                 sampling ? IdentifierTypes::all() : read_by_expr, page);
    if (!s.ok()) return s;
    if (page.empty()) return Status::Ok();
    for (const ProfileExport &p : page) {
      ++out.profiles;
      if (!expr.matches(segment::ProfileSubject(p, now_ms))) continue;
      ++out.matched;
      if (out.sample.size() < limit) out.sample.push_back(export_profile_json(p));
    }
  }
}

}  // namespace

int cmd_segment_preview(Args args) {
  std::string pipeline, format = "text";
  std::string expression = take_second_positional(args, {"--format", "--limit"});
  size_t limit = 10;
  po::options_description desc(
      "usage: halo segment preview PIPELINE.yaml EXPR|NAME [--limit N] [--format text|json]\n"
      "counts the stored profiles the segment expression EXPR (or the pipeline's segment\n"
      "NAME) matches (docs/segments.md)\n"
      "and prints the first of them in the export format; stores nothing");
  desc.add_options()("help,h", "show this help")(
      "limit", po::value(&limit)->value_name("N"),
      "profiles to print (default 10; 0: only the counts)")(
      "format", po::value(&format)->value_name("FORMAT"),
      "text (default) or json (one object: expression, profiles, matched, sample)");
  int rc = parse_pipeline_command("segment preview", args, desc, pipeline);
  if (rc >= 0) return rc;
  if ((rc = check_format(format, {"text", "json"})) >= 0) return rc;
  if (expression.empty()) {
    return fail(kUsage, "give the expression: halo segment preview PIPELINE \"EXPR\"");
  }
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  // A segment of the pipeline by its name, or an expression.
  for (const PipelineConfig::Segment &s : cfg.value().segments) {
    if (s.name == expression) expression = s.expression;
  }
  segment::ExprError error;
  auto expr = segment::Expr::parse(expression, error);
  if (!expr) {
    print_parse_error(expression, error);
    return kUsage;
  }
  // Event history is kept only for what the pipeline's expressions read.
  const auto kept = history_terms(cfg.value());
  for (const segment::HistoryTerm &t : expr->history()) {
    if (kept.contains(t.feature)) continue;
    return fail(kUsage, "halo segment preview: " + t.feature +
                            " is not kept by this pipeline: only the event history its segments "
                            "and trigger conditions read is (declare a segment that reads it, "
                            "then run halo rebuild)");
  }
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  const int64_t now_ms = cfg.value().as_of_ms ? *cfg.value().as_of_ms : wall_ms();
  Preview preview;
  Status s = scan(*store.value(), *expr, now_ms, limit, preview);
  if (!s.ok()) return fail(kFailed, s.message());
  if (format == "json") {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("expression").string(expression);
    w.key("profiles").number(static_cast<int64_t>(preview.profiles));
    w.key("matched").number(static_cast<int64_t>(preview.matched));
    w.key("sample").begin_array();
    for (const std::string &line : preview.sample) w.raw(line);
    w.end_array();
    w.end_object();
    std::cout << out << "\n";
  } else {
    std::cout << preview.matched << " of " << preview.profiles << " profiles match\n";
    for (const std::string &line : preview.sample) std::cout << line << "\n";
  }
  std::cout << std::flush;
  return std::cout ? kOk : fail(kFailed, "cannot write to stdout");
}

int cmd_segment(const Args &args) {
  const std::string action = args.empty() ? "" : args[0];
  const Args rest = args.empty() ? Args{} : Args(args.begin() + 1, args.end());
  if (action == "preview") return cmd_segment_preview(rest);
  if (action == "list" || action == "show" || action == "export") {
    return cmd_segment_stored(action, rest);
  }
  const char *usage =
      "usage: halo segment list PIPELINE.yaml [--format text|json]\n"
      "       halo segment show PIPELINE.yaml NAME [--events N] [--format text|json]\n"
      "       halo segment export PIPELINE.yaml NAME [--format jsonl|csv] [--fields F,...]\n"
      "       halo segment preview PIPELINE.yaml EXPR|NAME [--limit N] [--format text|json]\n";
  if (action == "--help" || action == "-h") {
    std::cout << usage;
    return kOk;
  }
  std::cerr << "halo segment: give list, show, export or preview\n" << usage;
  return kUsage;
}

}  // namespace halo::cli
