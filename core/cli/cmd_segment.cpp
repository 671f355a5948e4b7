// cmd_segment.cpp -- `halo segment preview PIPELINE.yaml EXPR`: how many
// stored profiles a segment expression (docs/segments.md) matches, and a
// sample of them, read-only and without storing anything.
//
// Exit codes: 0 printed, 2 usage or an expression that does not parse
// (the error names its column), 3 no store yet, 1 a store error.
#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/pipeline_command_line.h"
#include "cli/profile_lookup.h"
#include "common/clock.h"
#include "common/json_writer.h"
#include "profile/profile_export.h"
#include "segment/segment_expr.h"

namespace halo::cli {

namespace po = boost::program_options;

namespace {

// One stored profile as a segment expression reads it: traits by name
// (sorted), features in emission order, identifiers as a list per type
// (read only when the expression names one).
class StoredSubject : public segment::Subject {
 public:
  StoredSubject(const ProfileExport &p, int64_t now_ms) : p_(p), now_ms_(now_ms) {
    std::map<std::string, std::vector<std::string>> by_type;
    for (const auto &[type, value] : p.identifiers) by_type[type].push_back(value);
    for (const auto &[type, values] : by_type) {
      std::vector<std::string_view> views(values.begin(), values.end());
      lists_.push_back({"identifiers." + type, TypedValue::string_list(views)});
    }
  }
  const TypedValue *value(std::string_view path) const override {
    if (path.starts_with("traits.")) return find(p_.traits, path.substr(7));
    if (path.starts_with("features.")) return find(p_.features, path.substr(9));
    return find(lists_, path);
  }
  int64_t now_ms() const override { return now_ms_; }

 private:
  static const TypedValue *find(const NamedValues &values, std::string_view name) {
    for (const NamedValue &v : values) {
      if (v.name == name) return &v.value;
    }
    return nullptr;
  }
  const ProfileExport &p_;
  int64_t now_ms_;
  NamedValues lists_;  // "identifiers.TYPE": the type's values
};

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
  Status inner;
  const bool needs_identifiers =
      std::any_of(expr.paths().begin(), expr.paths().end(),
                  [](const std::string &p) { return p.starts_with("identifiers."); });
  Status s = store.scan_profiles([&](const StoredProfile &stored) {
    if (!inner.ok()) return;
    ProfileExport p;
    p.id = stored.id;
    p.updated_at_ms = stored.updated_at_ms;
    inner = decode_stored_export(stored.traits, stored.features, &p);
    if (inner.ok() && (needs_identifiers || out.sample.size() < limit)) {
      auto ids = store.identifiers_of(stored.id);
      inner = ids.status();
      if (inner.ok()) p.identifiers = std::move(*ids);
      sort_identifiers(p.identifiers);
    }
    if (!inner.ok()) return;
    ++out.profiles;
    if (!expr.matches(StoredSubject(p, now_ms))) return;
    ++out.matched;
    if (out.sample.size() < limit) out.sample.push_back(export_profile_json(p));
  });
  return s.ok() ? inner : s;
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
  if (format != "text" && format != "json") {
    return fail(kUsage, "--format must be text or json, not '" + format + "'");
  }
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
  if (!args.empty() && args[0] == "preview")
    return cmd_segment_preview({args.begin() + 1, args.end()});
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout
        << "usage: halo segment preview PIPELINE.yaml EXPR|NAME [--limit N] [--format text|json]\n";
    return kOk;
  }
  std::cerr << "halo segment: give `preview` (see `halo segment preview --help`); list, show "
               "and export come with stored segments\n";
  return kUsage;
}

}  // namespace halo::cli
