// replay_file.cpp -- see replay_file.h.
#include "pipeline/replay_file.h"

#include <simdjson.h>

#include <unordered_set>

namespace halo {

namespace {

// One non-blank line into `fix`; "" or why it is refused.
std::string parse_line(simdjson::dom::parser &parser, std::string_view line, ReplayFix &fix) {
  simdjson::dom::element doc;
  if (parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS) {
    return "not valid JSON";
  }
  simdjson::dom::object object;
  if (doc.get(object) != simdjson::SUCCESS) return "not a JSON object";
  simdjson::dom::element id;
  uint64_t id_value = 0;
  if (object["id"].get(id) != simdjson::SUCCESS) return "has no \"id\"";
  if (id.get(id_value) != simdjson::SUCCESS || id_value == 0 || id_value > uint64_t{INT64_MAX}) {
    return "\"id\" must be a positive whole number";
  }
  fix.id = id_value;
  std::string_view text;
  if (object["raw"].get(text) != simdjson::SUCCESS) return "has no string \"raw\"";
  fix.raw.assign(text);
  for (auto [key, target] : {std::pair{"source", &fix.source}, {"position", &fix.position}}) {
    simdjson::dom::element e;
    if (object[key].get(e) != simdjson::SUCCESS) continue;
    if (e.get(text) != simdjson::SUCCESS) return std::string("\"") + key + "\" must be a string";
    target->emplace(text);
  }
  return "";
}

}  // namespace

Result<std::vector<ReplayFix>> parse_replay_file(std::string_view text, const std::string &name) {
  if (text.size() > kMaxReplayFileBytes) {
    return Status::Invalid(name + ": larger than " + std::to_string(kMaxReplayFileBytes >> 20) +
                           " MiB; split it");
  }
  std::vector<ReplayFix> fixes;
  std::unordered_set<uint64_t> ids;
  simdjson::dom::parser parser(kMaxReplayLineBytes);
  size_t line_no = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::string where = name + ":" + std::to_string(line_no) + ": ";
    if (line.size() > kMaxReplayLineBytes) {
      return Status::Invalid(where + "line longer than " +
                             std::to_string(kMaxReplayLineBytes >> 20) + " MiB");
    }
    if (fixes.size() == kMaxReplayLines) {
      return Status::Invalid(where + "more than " + std::to_string(kMaxReplayLines) +
                             " dead letters; split the file");
    }
    ReplayFix fix;
    if (std::string why = parse_line(parser, line, fix); !why.empty()) {
      return Status::Invalid(where + why + " (each line is {\"id\": N, \"raw\": \"...\"})");
    }
    if (!ids.insert(fix.id).second) {
      return Status::Invalid(where + "dead letter " + std::to_string(fix.id) + " given twice");
    }
    fixes.push_back(std::move(fix));
  }
  return fixes;
}

}  // namespace halo
