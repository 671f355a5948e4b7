// cmd_identity_graph.cpp -- why profiles are what they are:
//   halo identity explain PIPELINE (--email X | --phone X | --id T=V)
//                         [--format text|json|dot]
//   halo identity merges PIPELINE [--since T] [--format jsonl|table]
// Both read the store only (opened read-only, never created) and name, for
// every identifier link, merge and refused link, the logged event behind it
// (source, message id, event time) and the rule: docs/cli.md defines the
// output.
#include <simdjson.h>
#include <boost/program_options.hpp>

#include <cstdio>
#include <iostream>
#include <map>
#include <set>

#include "cli/cli.h"
#include "cli/deadletter_filter.h"
#include "cli/pipeline_command_line.h"
#include "cli/profile_lookup.h"
#include "common/clock.h"
#include "common/iso_time.h"
#include "common/json_writer.h"
#include "normalize/identifiers.h"

namespace halo::cli {

namespace po = boost::program_options;

namespace {

// What the log says about one event, for people.
struct EventInfo {
  uint64_t sequence = 0;
  std::string source, message_id, type, name, timestamp;
  int64_t received_at_ms = 0;
};

// A few members of the stored record; absent or unreadable members stay "".
void read_record(std::string_view raw, EventInfo &info) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(raw);
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc)) return;
  simdjson::ondemand::object object;
  if (doc.get_object().get(object)) return;
  for (auto field : object) {
    std::string_view key, text;
    if (field.unescaped_key().get(key)) return;
    std::string *target = key == "messageId"   ? &info.message_id
                          : key == "type"      ? &info.type
                          : key == "event"     ? &info.name
                          : key == "timestamp" ? &info.timestamp
                                               : nullptr;
    if (target == nullptr) continue;
    simdjson::ondemand::value value;
    if (field.value().get(value)) return;
    if (!value.get_string().get(text)) {
      target->assign(text);
    } else {
      std::string_view token = value.raw_json_token();  // a numeric messageId
      while (!token.empty() && (token.back() == ' ' || token.back() == '\n' ||
                                token.back() == '\r' || token.back() == '\t')) {
        token.remove_suffix(1);
      }
      target->assign(token);
    }
  }
}

// The logged events at `sequences` (0 and unknown sequences are skipped).
Result<std::map<uint64_t, EventInfo>> events_at(Store &store, const std::set<uint64_t> &sequences) {
  std::map<uint64_t, EventInfo> found;
  for (uint64_t wanted : sequences) {
    if (wanted == 0 || found.count(wanted)) continue;
    Status s = store.scan_events(wanted, wanted, [&](const std::vector<LoggedEvent> &events) {
      for (const LoggedEvent &e : events) {
        if (!sequences.count(e.sequence)) continue;  // one decoded batch serves its neighbours
        EventInfo &info = found[e.sequence];
        info.sequence = e.sequence;
        info.source = e.source;
        info.received_at_ms = e.received_at_ms;
        read_record(e.raw, info);
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }
  return found;
}

const EventInfo *find_event(const std::map<uint64_t, EventInfo> &events, uint64_t sequence) {
  auto it = events.find(sequence);
  return it == events.end() ? nullptr : &it->second;
}

std::string describe_event(const EventInfo *e, uint64_t sequence) {
  if (sequence == 0) return "event not recorded (linked before schema 5)";
  if (e == nullptr) return "event " + std::to_string(sequence) + " (not in the log)";
  std::string text = "event " + std::to_string(e->sequence) + " from " + e->source;
  if (!e->message_id.empty()) text += ", messageId " + e->message_id;
  if (!e->type.empty()) text += ", " + e->type + (e->name.empty() ? "" : " '" + e->name + "'");
  text += ", at " + (e->timestamp.empty() ? format_iso8601_ms(e->received_at_ms) : e->timestamp);
  return text;
}

void write_event(JsonWriter &w, const EventInfo *e, uint64_t sequence) {
  w.key("event");
  if (sequence == 0) {
    w.raw("null");
    return;
  }
  w.begin_object().key("sequence").number(static_cast<int64_t>(sequence));
  if (e != nullptr) {
    w.key("source").string(e->source);
    w.key("message_id").string(e->message_id);
    w.key("type").string(e->type);
    w.key("name").string(e->name);
    w.key("timestamp").string(e->timestamp);
    w.key("received_at").string(format_iso8601_ms(e->received_at_ms));
  }
  w.end_object();
}

// The rules, in the words the docs use.
constexpr const char *kLinkRule = "carried by the event assigned to this profile";
constexpr const char *kMergeRule = "the event carried identifiers of both profiles";

std::set<uint64_t> sequences_of(const IdentityHistory &h) {
  std::set<uint64_t> all;
  for (const auto &l : h.links) all.insert(l.sequence);
  for (const auto &m : h.merges) all.insert(m.sequence);
  for (const auto &r : h.refused) all.insert(r.sequence);
  return all;
}

// Probabilistic links (identity.linkage) by identifier: what `linked` key
// an identifier brings to its events, and with what probability.
using LinkDecisions = std::map<std::pair<std::string, std::string>, LinkedIdentifier>;

Result<LinkDecisions> link_decisions(Store &store) {
  LinkDecisions out;
  Status s = store.scan_linked_identifiers([&](const LinkedIdentifier &l) {
    out.emplace(std::pair{l.type, l.value}, l);
  });
  if (!s.ok()) return s;
  return out;
}

const LinkedIdentifier *decision_for(const LinkDecisions &d, const std::string &type,
                                     const std::string &value) {
  auto it = d.find({type, value});
  return it == d.end() ? nullptr : &it->second;
}

// A link's stored evidence (LinkedIdentifier::evidence), parsed. Empty
// `fields` and `with_type` when none was stored or it does not parse (the
// store is read as untrusted input).
struct LinkEvidence {
  struct Field {
    std::string column, a, b, level;
    double weight;  // bits
  };
  std::string with_type, with_value;
  double weight = 0;
  std::vector<Field> fields;
  std::string json;  // the stored object, re-emitted by --format json when it parsed
};

LinkEvidence parse_evidence(const std::string &stored) {
  LinkEvidence out;
  if (stored.empty()) return out;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(stored).get(doc) != simdjson::SUCCESS) return out;
  std::string_view type, value;
  simdjson::dom::array fields;
  if (doc["with"]["type"].get(type) || doc["with"]["value"].get(value) ||
      doc["fields"].get(fields) || doc["weight"].get(out.weight)) {
    return out;
  }
  for (simdjson::dom::element f : fields) {
    std::string_view column, a, b, level;
    double weight = 0;
    if (f["column"].get(column) || f["a"].get(a) || f["b"].get(b) || f["level"].get(level) ||
        f["weight"].get(weight)) {
      return LinkEvidence{};
    }
    out.fields.push_back(
        {std::string(column), std::string(a), std::string(b), std::string(level), weight});
  }
  out.with_type = type, out.with_value = value;
  out.json = stored;
  return out;
}

void print_evidence_text(const std::string &stored, const LinkEvidence &e) {
  if (!stored.empty() && e.with_type.empty()) {
    std::cout
        << "      field evidence unreadable: the stored text is not the documented JSON object\n";
    return;
  }
  if (e.with_type.empty()) {
    std::cout << "      no field evidence stored (an admin accepted the pair, or the link "
                 "predates schema 9)\n";
    return;
  }
  char bits[32];
  std::snprintf(bits, sizeof bits, "%.2f", e.weight);
  std::cout << "      strongest record pair: with " << e.with_type << " " << e.with_value
            << ", weight " << bits << " bits\n";
  for (const auto &f : e.fields) {
    std::snprintf(bits, sizeof bits, "%+.2f", f.weight);
    std::cout << "        " << f.column << ": '" << f.a << "' vs '" << f.b << "', " << f.level
              << ", " << bits << "\n";
  }
}

std::string probability_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", p);
  return buf;
}

void print_explain_text(uint64_t id, const IdentityHistory &h,
                        const std::map<uint64_t, EventInfo> &events, const LinkDecisions &links) {
  std::cout << "profile " << id << "\n\nidentifiers (" << h.links.size() << ")\n";
  for (const auto &l : h.links) {
    std::cout << "  " << l.type << " " << l.value << "\n    " << kLinkRule << ": "
              << describe_event(find_event(events, l.sequence), l.sequence) << "\n";
    if (const LinkedIdentifier *d = decision_for(links, l.type, l.value)) {
      std::cout << "    probabilistic link (identity.linkage, probability "
                << probability_text(d->probability) << "): its events also carry "
                << kLinkedIdentifierType << " " << d->key << "\n";
      print_evidence_text(d->evidence, parse_evidence(d->evidence));
    }
  }
  std::cout << "\nmerges (" << h.merges.size() << ")\n";
  for (const auto &m : h.merges) {
    std::cout << "  profile " << m.from << " merged into " << m.into << "\n    " << kMergeRule
              << ": " << describe_event(find_event(events, m.sequence), m.sequence) << "\n";
  }
  std::cout << "\nrefused links (" << h.refused.size() << ")\n";
  for (const auto &r : h.refused) {
    std::cout << "  " << r.type << " " << r.value << ", profile " << r.profile << "\n    "
              << r.reason << ": " << describe_event(find_event(events, r.sequence), r.sequence)
              << "\n";
  }
}

void print_explain_json(uint64_t id, const IdentityHistory &h,
                        const std::map<uint64_t, EventInfo> &events, const LinkDecisions &links) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("profile_id").number(static_cast<int64_t>(id));
  w.key("identifiers").begin_array();
  for (const auto &l : h.links) {
    w.begin_object().key("type").string(l.type).key("value").string(l.value);
    w.key("rule").string(kLinkRule);
    write_event(w, find_event(events, l.sequence), l.sequence);
    if (const LinkedIdentifier *d = decision_for(links, l.type, l.value)) {
      w.key("probabilistic_link").begin_object().key("key").string(d->key);
      w.key("probability").raw(probability_text(d->probability));
      const LinkEvidence evidence = parse_evidence(d->evidence);
      w.key("evidence").raw(evidence.json.empty() ? "null" : evidence.json).end_object();
    }
    w.end_object();
  }
  w.end_array().key("merges").begin_array();
  for (const auto &m : h.merges) {
    w.begin_object().key("from").number(static_cast<int64_t>(m.from));
    w.key("into").number(static_cast<int64_t>(m.into)).key("rule").string(kMergeRule);
    write_event(w, find_event(events, m.sequence), m.sequence);
    w.end_object();
  }
  w.end_array().key("refused").begin_array();
  for (const auto &r : h.refused) {
    w.begin_object().key("type").string(r.type).key("value").string(r.value);
    w.key("profile").number(static_cast<int64_t>(r.profile)).key("rule").string(r.reason);
    write_event(w, find_event(events, r.sequence), r.sequence);
    w.end_object();
  }
  w.end_array().end_object();
  std::cout << out << "\n";
}

// A DOT string literal (Graphviz: "In quoted strings in DOT, the only
// escaped character is double-quote"; backslashes are doubled so a value
// cannot start an escape sequence).
std::string dot_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return out + "\"";
}

void print_explain_dot(uint64_t id, const IdentityHistory &h) {
  std::cout << "digraph identity {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n"
            << "  p" << id << " [shape=box, style=bold, label=\"profile " << id << "\"];\n";
  std::set<uint64_t> profiles = {id};
  for (const auto &m : h.merges) {
    for (uint64_t p : {m.from, m.into}) {
      if (profiles.insert(p).second) {
        std::cout << "  p" << p << " [shape=box, style=dashed, label=\"profile " << p
                  << " (merged)\"];\n";
      }
    }
    std::cout << "  p" << m.from << " -> p" << m.into << " [label=\"merged, event " << m.sequence
              << "\"];\n";
  }
  for (size_t i = 0; i < h.links.size(); ++i) {
    const auto &l = h.links[i];
    std::cout << "  i" << i << " [shape=ellipse, label=" << dot_quoted(l.type + ": " + l.value)
              << "];\n  i" << i << " -> p" << id << " [label=\"event " << l.sequence << "\"];\n";
  }
  for (size_t i = 0; i < h.refused.size(); ++i) {
    const auto &r = h.refused[i];
    std::cout << "  r" << i
              << " [shape=ellipse, color=red, label=" << dot_quoted(r.type + ": " + r.value)
              << "];\n  r" << i << " -> p" << r.profile
              << " [style=dashed, color=red, label=" << dot_quoted("refused: " + r.reason)
              << "];\n";
  }
  std::cout << "}\n";
}

int cmd_identity_explain(const Args &args) {
  std::string pipeline, format = "text";
  ProfileLookupFlags flags;
  po::options_description desc(
      "usage: halo identity explain PIPELINE.yaml (--email X | --phone X | --id TYPE=VALUE) "
      "[--format text|json|dot]\n"
      "  prints the profile's identifiers, the merges that formed it and the links refused\n"
      "  to it, each with the event and rule behind it");
  desc.add_options()("help,h", "show this help")("format", po::value(&format),
                                                 "text (default), json or dot (Graphviz)");
  add_profile_lookup_options(desc, flags);
  if (int code = parse_pipeline_command("identity explain", args, desc, pipeline); code >= 0) {
    return code;
  }
  std::string error;
  const auto key = lookup_key(flags, error);
  if (!key || (format != "text" && format != "json" && format != "dot")) {
    std::cerr << "halo identity explain: " << (!key ? error : "--format is text, json or dot")
              << "\n"
              << desc << "\n";
    return kUsage;
  }
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  int exit_code = kOk;
  auto id = find_profile_or_fail(**store, key->first,
                                 normalized_identifier(*cfg, key->first, key->second), exit_code);
  if (!id.ok()) return exit_code;
  auto history = (*store)->identity_history(*id);
  if (!history.ok()) return fail(kFailed, history.status().message());
  if (format == "dot") {
    print_explain_dot(*id, *history);
    return kOk;
  }
  auto events = events_at(**store, sequences_of(*history));
  if (!events.ok()) return fail(kFailed, events.status().message());
  auto links = link_decisions(**store);
  if (!links.ok()) return fail(kFailed, links.status().message());
  if (format == "json") {
    print_explain_json(*id, *history, *events, *links);
  } else {
    print_explain_text(*id, *history, *events, *links);
  }
  return kOk;
}

void print_decision_jsonl(const IdentityDecision &d, const EventInfo *e) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  if (d.kind == IdentityDecision::Kind::kMerge) {
    w.key("kind").string("merge").key("from").number(static_cast<int64_t>(d.from));
    w.key("into").number(static_cast<int64_t>(d.into)).key("rule").string(kMergeRule);
  } else {
    w.key("kind").string("refused_link").key("type").string(d.type).key("value").string(d.value);
    w.key("profile").number(static_cast<int64_t>(d.profile)).key("rule").string(d.reason);
  }
  write_event(w, e, d.sequence);
  w.end_object();
  std::cout << out << "\n";
}

void print_decision_row(const IdentityDecision &d, const EventInfo *e) {
  const std::string when =
      e == nullptr ? "-"
                   : (e->timestamp.empty() ? format_iso8601_ms(e->received_at_ms) : e->timestamp);
  std::cout << when << "  ";
  if (d.kind == IdentityDecision::Kind::kMerge) {
    std::cout << "merge    profile " << d.from << " into " << d.into;
  } else {
    std::cout << "refused  " << d.type << " " << d.value << " -> profile " << d.profile << ": "
              << d.reason;
  }
  std::cout << "  (event " << d.sequence << (e ? " from " + e->source : "") << ")\n";
}

int cmd_identity_merges(const Args &args) {
  std::string pipeline, since, format = "jsonl";
  po::options_description desc(
      "usage: halo identity merges PIPELINE.yaml [--since TIME] [--format jsonl|table]\n"
      "  lists every profile merge and refused identity link, in event-log order");
  desc.add_options()("help,h", "show this help")(
      "since", po::value(&since)->value_name("TIME"),
      "only decisions whose event was received at or after TIME: ISO 8601 or a duration back "
      "from now (24h, 7d)")("format", po::value(&format), "jsonl (default) or table");
  if (int code = parse_pipeline_command("identity merges", args, desc, pipeline); code >= 0) {
    return code;
  }
  if (format != "jsonl" && format != "table") {
    std::cerr << "halo identity merges: --format is jsonl or table\n" << desc << "\n";
    return kUsage;
  }
  std::optional<int64_t> since_ms;
  if (!since.empty()) {
    auto parsed = parse_since_ms(since, wall_ms());
    if (!parsed.ok()) return fail(kUsage, parsed.status().message());
    since_ms = *parsed;
  }
  auto cfg = load_pipeline(pipeline);
  if (!cfg.ok()) return fail(kUsage, cfg.status().message());
  auto store = open_read_only(cfg.value());
  if (!store.ok()) return open_failed(store.status());
  std::vector<IdentityDecision> decisions;
  Status s = (*store)->scan_identity_decisions([&](const IdentityDecision &d) {
    decisions.push_back(d);
    return Status::Ok();
  });
  if (!s.ok()) return fail(kFailed, s.message());
  std::set<uint64_t> sequences;
  for (const IdentityDecision &d : decisions) sequences.insert(d.sequence);
  auto events = events_at(**store, sequences);
  if (!events.ok()) return fail(kFailed, events.status().message());
  for (const IdentityDecision &d : decisions) {
    const EventInfo *e = find_event(*events, d.sequence);
    if (since_ms && (e == nullptr || e->received_at_ms < *since_ms)) continue;
    if (format == "table") {
      print_decision_row(d, e);
    } else {
      print_decision_jsonl(d, e);
    }
  }
  return kOk;
}

}  // namespace

int cmd_identity_graph(const std::string &action, const Args &args) {
  return action == "explain" ? cmd_identity_explain(args) : cmd_identity_merges(args);
}

}  // namespace halo::cli
