// cmd_segment_stored.cpp -- the stored segment memberships, read-only:
//   halo segment list PIPELINE.yaml [--format text|json]
//   halo segment show PIPELINE.yaml NAME [--events N] [--format text|json]
//   halo segment export PIPELINE.yaml NAME [--format jsonl|csv] [--fields F,...]
// Formats in docs/cli.md.
//
// Exit codes: 0 printed, 2 usage or a segment the pipeline does not
// declare, 3 no store yet or a segment not evaluated yet, 1 a store error.
#include <boost/program_options.hpp>

#include <algorithm>
#include <deque>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/pipeline_command_line.h"
#include "cli/profile_lookup.h"
#include "common/civil_date.h"
#include "common/json_writer.h"
#include "profile/profile_export.h"
#include "store/profile_reads.h"

namespace halo::cli {

namespace po = boost::program_options;

namespace {

int written() {
  std::cout << std::flush;
  return std::cout ? kOk : fail(kFailed, "cannot write to stdout");
}

std::string padded(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

// What `segment show` and `segment export` start from: the pipeline, its
// segment NAME and the store holding its membership. Exit code in `rc`
// (-1 to go on).
struct StoredSegment {
  PipelineConfig cfg;
  const PipelineConfig::Segment *declared = nullptr;
  std::unique_ptr<Store> store;
  SegmentDefinition stored;
};

int open_segment(const std::string &pipeline, const std::string &name, StoredSegment &out) {
  if (name.empty()) return fail(kUsage, "give the segment's name after the pipeline file");
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  out.cfg = std::move(cfg).value();
  for (const PipelineConfig::Segment &s : out.cfg.segments) {
    if (s.name == name) out.declared = &s;
  }
  if (out.declared == nullptr) {
    return fail(kUsage, "'" + name + "' is not a segment of " + pipeline +
                            " (declare it under `segments:`; `halo segment list` shows them)");
  }
  auto store = open_read_only(out.cfg);
  if (!store.ok()) return open_failed(store.status());
  out.store = std::move(store).value();
  auto defs = out.store->segment_definitions();
  if (!defs.ok()) return fail(kFailed, defs.status().message());
  for (SegmentDefinition &d : *defs) {
    if (d.name == name && d.expression == out.declared->expression) {
      out.stored = std::move(d);
      return -1;
    }
  }
  return fail(kNotFound, "segment '" + name +
                             "' has no stored membership for its expression yet: run the "
                             "pipeline (`halo run`) to evaluate it");
}

int segment_list(Args args) {
  std::string pipeline, format = "text";
  po::options_description desc(
      "usage: halo segment list PIPELINE.yaml [--format text|json]\n"
      "lists the pipeline's segments with their stored size and last entry or exit");
  desc.add_options()("help,h", "show this help")(
      "format", po::value(&format)->value_name("FORMAT"),
      "text (default) or json (one object per line: name, size, changed_at, expression, "
      "description; size and changed_at null when not evaluated yet)");
  int rc = parse_pipeline_command("segment list", args, desc, pipeline);
  if (rc >= 0) return rc;
  if ((rc = check_format(format, {"text", "json"})) >= 0) return rc;
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  auto defs = store.value()->segment_definitions();
  if (!defs.ok()) return fail(kFailed, defs.status().message());
  if (format == "text") {
    std::cout << padded("SEGMENT", 24) << " " << padded("SIZE", 10) << " "
              << padded("LAST CHANGE", 24) << " EXPRESSION\n";
  }
  for (const PipelineConfig::Segment &s : cfg.value().segments) {
    const SegmentDefinition *d = nullptr;  // stored for this expression
    for (const SegmentDefinition &stored : *defs) {
      if (stored.name == s.name && stored.expression == s.expression) d = &stored;
    }
    if (format == "text") {
      std::cout << padded(s.name, 24) << " " << padded(d ? std::to_string(d->size) : "-", 10) << " "
                << padded(d ? format_iso8601_ms(d->changed_at_ms) : "not evaluated yet", 24) << " "
                << s.expression << "\n";
      continue;
    }
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("name").string(s.name);
    if (d) {
      w.key("size").number(static_cast<int64_t>(d->size));
      w.key("changed_at").string(format_iso8601_ms(d->changed_at_ms));
    } else {
      w.key("size").raw("null");
      w.key("changed_at").raw("null");
    }
    w.key("expression").string(s.expression);
    w.key("description").string(s.description);
    w.end_object();
    std::cout << out << "\n";
  }
  return written();
}

int segment_show(Args args) {
  std::string pipeline, format = "text";
  size_t recent = 10;
  const std::string name = take_second_positional(args, {"--format", "--events"});
  po::options_description desc(
      "usage: halo segment show PIPELINE.yaml NAME [--events N] [--format text|json]\n"
      "shows segment NAME: its expression, size, entries and exits, and the latest of them");
  desc.add_options()("help,h", "show this help")("events", po::value(&recent)->value_name("N"),
                                                 "latest entries and exits to print (10)")(
      "format", po::value(&format)->value_name("FORMAT"),
      "text (default) or json (one object: name, description, expression, size, changed_at, "
      "entries, exits, recent)");
  int rc = parse_pipeline_command("segment show", args, desc, pipeline);
  if (rc >= 0) return rc;
  if ((rc = check_format(format, {"text", "json"})) >= 0) return rc;
  StoredSegment seg;
  if ((rc = open_segment(pipeline, name, seg)) >= 0) return rc;
  uint64_t entries = 0, exits = 0;
  struct Event {
    int64_t at_ms;
    uint64_t profile_id;
    bool entered;
  };
  std::deque<Event> latest;
  for (uint64_t after = 0;;) {
    size_t read = 0;
    Status s = seg.store->scan_segment_changes(after, kScanPage, [&](const SegmentChange &c) {
      after = c.id;
      ++read;
      for (const auto &[names, entered] :
           {std::pair{&c.entered, true}, std::pair{&c.exited, false}}) {
        if (std::find(names->begin(), names->end(), name) == names->end()) continue;
        ++(entered ? entries : exits);
        latest.push_back({c.at_ms, c.profile_id, entered});
        if (latest.size() > recent) latest.pop_front();
      }
    });
    if (!s.ok()) return fail(kFailed, s.message());
    if (read == 0) break;
  }
  const SegmentDefinition &d = seg.stored;
  if (format == "text") {
    std::cout << "segment      " << d.name << "\n";
    if (!seg.declared->description.empty()) {
      std::cout << "description  " << seg.declared->description << "\n";
    }
    std::cout << "expression   " << d.expression << "\n"
              << "size         " << d.size << " profiles\n"
              << "last change  " << format_iso8601_ms(d.changed_at_ms) << "\n"
              << "history      " << entries << " entries, " << exits << " exits\n";
    for (const Event &e : latest) {
      std::cout << "  " << format_iso8601_ms(e.at_ms) << "  " << (e.entered ? "entered" : "exited ")
                << "  profile " << e.profile_id << "\n";
    }
    return written();
  }
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("name").string(d.name);
  w.key("description").string(seg.declared->description);
  w.key("expression").string(d.expression);
  w.key("size").number(static_cast<int64_t>(d.size));
  w.key("changed_at").string(format_iso8601_ms(d.changed_at_ms));
  w.key("entries").number(static_cast<int64_t>(entries));
  w.key("exits").number(static_cast<int64_t>(exits));
  w.key("recent").begin_array();
  for (const Event &e : latest) {
    w.begin_object();
    w.key("at").string(format_iso8601_ms(e.at_ms));
    w.key("profile_id").string(std::to_string(e.profile_id));
    w.key("event").string(e.entered ? "Segment Entered" : "Segment Exited");
    w.end_object();
  }
  w.end_array();
  w.end_object();
  std::cout << out << "\n";
  return written();
}

// --- export -------------------------------------------------------------

// A value as one CSV cell's text: numbers exact, times ISO 8601, lists
// joined by ';', null empty.
std::string plain_text(const TypedValue &v) {
  switch (v.kind()) {
    case TypedKind::kNull:
      return "";
    case TypedKind::kBool:
      return v.as_bool() ? "true" : "false";
    case TypedKind::kInteger:
    case TypedKind::kDecimal:
    case TypedKind::kDouble:
      return v.number_text();
    case TypedKind::kString:
      return std::string(v.text());
    case TypedKind::kTimestamp:
      return format_iso8601_ms(v.as_integer());
    case TypedKind::kStringList: {
      std::string out;
      for (std::string_view item : v.list()) out.append(out.empty() ? "" : ";").append(item);
      return out;
    }
  }
  return "";
}

// RFC 4180: a cell with a comma, quote or line break is quoted, its quotes
// doubled.
std::string csv_cell(const std::string &text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out.append(c == '"' ? "\"\"" : std::string(1, c));
  return out + "\"";
}

const TypedValue *named(const NamedValues &values, std::string_view name) {
  for (const NamedValue &v : values) {
    if (v.name == name) return &v.value;
  }
  return nullptr;
}

// One --fields entry's text for a profile.
std::string field_text(const ProfileExport &p, const std::string &field) {
  if (field == "profile_id") return std::to_string(p.id);
  if (field == "updated_at") return format_iso8601_ms(p.updated_at_ms);
  if (field == "segments") {
    std::string out;
    for (const std::string &s : p.segments) out.append(out.empty() ? "" : ";").append(s);
    return out;
  }
  if (field.starts_with("identifiers.")) {
    std::string out;
    for (const auto &[type, value] : p.identifiers) {
      if (type == field.substr(12)) out.append(out.empty() ? "" : ";").append(value);
    }
    return out;
  }
  const bool trait = field.starts_with("traits.");
  const TypedValue *v = named(trait ? p.traits : p.features, field.substr(trait ? 7 : 9));
  return v ? plain_text(*v) : "";
}

// --fields: comma-separated; each a known column or a traits./features./
// identifiers. path. Empty `error` when all are.
std::vector<std::string> parse_fields(const std::string &text, std::string &error) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string f = text.substr(start, comma - start);
    const bool known = f == "profile_id" || f == "updated_at" || f == "segments";
    const bool path = (f.starts_with("traits.") && f.size() > 7) ||
                      (f.starts_with("features.") && f.size() > 9) ||
                      (f.starts_with("identifiers.") && f.size() > 12);
    if (!known && !path) {
      error = "--fields: '" + f +
              "' is not profile_id, updated_at, segments, traits.NAME, features.NAME or "
              "identifiers.TYPE";
      return {};
    }
    fields.push_back(std::move(f));
    start = comma + 1;
  }
  return fields;
}

// With --fields, keeps only the traits and features it names.
void select_values(ProfileExport &p, const std::vector<std::string> &fields) {
  if (fields.empty()) return;
  auto keep = [&](NamedValues &values, const std::string &prefix) {
    std::erase_if(values, [&](const NamedValue &v) {
      return std::find(fields.begin(), fields.end(), prefix + v.name) == fields.end();
    });
  };
  keep(p.traits, "traits.");
  keep(p.features, "features.");
}

Result<ProfileExport> read_member(Store &store, uint64_t id) {
  auto e = read_profile_export(store, id);
  if (!e.ok()) return e.status();
  if (!e->has_value()) {
    return Status::Corruption("sqlite store " + store.path() + ": segment member " +
                              std::to_string(id) +
                              " is not in table profiles; check the store with `halo store "
                              "check PIPELINE.yaml`");
  }
  return std::move(**e);
}

int segment_export(Args args) {
  std::string pipeline, format = "jsonl", fields_text;
  const std::string name = take_second_positional(args, {"--format", "--fields"});
  po::options_description desc(
      "usage: halo segment export PIPELINE.yaml NAME [--format jsonl|csv] [--fields F,...]\n"
      "prints the members of segment NAME, by profile id: jsonl in the profile export format,\n"
      "csv with a header row and one column per field");
  desc.add_options()("help,h", "show this help")("format", po::value(&format)->value_name("FORMAT"),
                                                 "jsonl (default) or csv")(
      "fields", po::value(&fields_text)->value_name("F,..."),
      "columns: profile_id, updated_at, segments, traits.NAME, features.NAME, "
      "identifiers.TYPE (csv default: profile_id,identifiers.email,identifiers.phone; jsonl: "
      "only the traits and features named are kept)");
  int rc = parse_pipeline_command("segment export", args, desc, pipeline);
  if (rc >= 0) return rc;
  if ((rc = check_format(format, {"jsonl", "csv"})) >= 0) return rc;
  std::string error;
  std::vector<std::string> fields;
  if (!fields_text.empty()) {
    fields = parse_fields(fields_text, error);
    if (!error.empty()) return fail(kUsage, error);
  } else if (format == "csv") {
    fields = {"profile_id", "identifiers.email", "identifiers.phone"};
  }
  StoredSegment seg;
  if ((rc = open_segment(pipeline, name, seg)) >= 0) return rc;
  if (format == "csv") {
    std::string header;
    for (const std::string &f : fields)
      header.append(header.empty() ? "" : ",").append(csv_cell(f));
    std::cout << header << "\r\n";
  }
  std::vector<uint64_t> ids;
  for (uint64_t after = 0;; after = ids.back()) {
    ids.clear();
    Status s = seg.store->scan_segment_members(name, after, kScanPage,
                                               [&](uint64_t id) { ids.push_back(id); });
    if (!s.ok()) return fail(kFailed, s.message());
    if (ids.empty()) break;
    for (uint64_t id : ids) {
      auto member = read_member(*seg.store, id);
      if (!member.ok()) return fail(kFailed, member.status().message());
      ProfileExport &e = *member;
      if (format == "jsonl") {
        select_values(e, fields);
        std::cout << export_profile_json(e) << "\n";
        continue;
      }
      std::string row;
      for (size_t k = 0; k < fields.size(); ++k) {
        row.append(k ? "," : "").append(csv_cell(field_text(e, fields[k])));
      }
      std::cout << row << "\r\n";
    }
    if (!std::cout) break;
  }
  return written();
}

}  // namespace

int cmd_segment_stored(const std::string &action, const Args &args) {
  if (action == "list") return segment_list(args);
  if (action == "show") return segment_show(args);
  return segment_export(args);
}

}  // namespace halo::cli
