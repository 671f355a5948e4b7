// hubspot_cursor.cpp -- JSON codec of HubspotCursor (see hubspot_cursor.h).
#include "hubspot_cursor.h"

#include "common/json_text.h"

#include <simdjson.h>

namespace halo::plugins::hubspot {

namespace {

void append_ids(std::string &out, const std::vector<std::string> &ids) {
  out.push_back('[');
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) out.push_back(',');
    append_json_string(out, ids[i]);
  }
  out.push_back(']');
}

bool read_ids(simdjson::dom::element doc, const char *key, std::vector<std::string> &out) {
  simdjson::dom::array arr;
  if (doc[key].get_array().get(arr)) return false;
  for (simdjson::dom::element e : arr) {
    std::string_view id;
    if (e.get_string().get(id)) return false;
    out.emplace_back(id);
  }
  return true;
}

template <class Int>
bool read_int(simdjson::dom::element doc, const char *key, Int &out) {
  int64_t v = 0;
  if (doc[key].get_int64().get(v)) return false;
  out = static_cast<Int>(v);
  return true;
}

}  // namespace

std::string encode_cursor(const HubspotCursor &c) {
  std::string out = "{\"v\":1,\"phase\":";
  out += c.phase == SyncPhase::kFull ? "\"full\"" : "\"incremental\"";
  out += ",\"after\":";
  append_json_string(out, c.after);
  out += ",\"skip\":" + std::to_string(c.skip);
  out += ",\"query_offset\":" + std::to_string(c.query_offset);
  out += ",\"full_started_ms\":" + std::to_string(c.full_started_ms);
  out += ",\"watermark_ms\":" + std::to_string(c.watermark_ms);
  out += ",\"watermark_ids\":";
  append_ids(out, c.watermark_ids);
  out += ",\"scan_max_ms\":" + std::to_string(c.scan_max_ms);
  out += ",\"scan_max_ids\":";
  append_ids(out, c.scan_max_ids);
  out += "}";
  return out;
}

std::optional<HubspotCursor> decode_cursor(std::string_view text, std::string &error) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text.data(), text.size(), true).get(doc)) {
    error = "hubspot cursor is not JSON";
    return std::nullopt;
  }
  int64_t version = 0;
  if (doc["v"].get_int64().get(version) || version != 1) {
    error = "hubspot cursor has an unknown version (expected \"v\": 1)";
    return std::nullopt;
  }
  HubspotCursor c;
  std::string_view phase, after;
  bool ok = !doc["phase"].get_string().get(phase) && !doc["after"].get_string().get(after) &&
            read_int(doc, "skip", c.skip) && read_int(doc, "query_offset", c.query_offset) &&
            read_int(doc, "full_started_ms", c.full_started_ms) &&
            read_int(doc, "watermark_ms", c.watermark_ms) &&
            read_ids(doc, "watermark_ids", c.watermark_ids) &&
            read_int(doc, "scan_max_ms", c.scan_max_ms) &&
            read_ids(doc, "scan_max_ids", c.scan_max_ids);
  if (!ok || (phase != "full" && phase != "incremental")) {
    error = "hubspot cursor is missing or has a malformed field";
    return std::nullopt;
  }
  c.phase = phase == "full" ? SyncPhase::kFull : SyncPhase::kIncremental;
  c.after = std::string(after);
  return c;
}

}  // namespace halo::plugins::hubspot
