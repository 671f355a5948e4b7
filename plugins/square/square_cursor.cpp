// square_cursor.cpp -- JSON codec of SquareCursor (see square_cursor.h).
#include "square_cursor.h"

#include "common/json_text.h"

#include <simdjson.h>

namespace halo::plugins::square {

std::string encode_cursor(const SquareCursor &c) {
  std::string out = "{\"v\":1,\"phase\":";
  out += c.phase == SquareObject::kOrder ? "\"orders\"" : "\"customers\"";
  out += ",\"customers_watermark_ms\":" + std::to_string(c.customers_watermark_ms);
  out += ",\"orders_watermark_ms\":" + std::to_string(c.orders_watermark_ms);
  out += ",\"scan\":{\"query\":";
  append_json_string(out, c.scan.query);
  out += ",\"token\":";
  append_json_string(out, c.scan.token);
  out += ",\"skip\":" + std::to_string(c.scan.skip);
  out += ",\"start_ms\":" + std::to_string(c.scan.start_ms);
  out += ",\"end_ms\":" + std::to_string(c.scan.end_ms) + "}}";
  return out;
}

std::optional<SquareCursor> decode_cursor(std::string_view text, std::string &error) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(text.data(), text.size(), true).get(doc)) {
    error = "square cursor is not JSON";
    return std::nullopt;
  }
  int64_t version = 0;
  if (doc["v"].get_int64().get(version) || version != 1) {
    error = "square cursor has an unknown version (expected \"v\": 1)";
    return std::nullopt;
  }
  SquareCursor c;
  std::string_view phase, query, token;
  int64_t skip = 0;
  auto scan = doc["scan"];
  bool ok = !doc["phase"].get_string().get(phase) &&
            !doc["customers_watermark_ms"].get_int64().get(c.customers_watermark_ms) &&
            !doc["orders_watermark_ms"].get_int64().get(c.orders_watermark_ms) &&
            !scan["query"].get_string().get(query) && !scan["token"].get_string().get(token) &&
            !scan["skip"].get_int64().get(skip) &&
            !scan["start_ms"].get_int64().get(c.scan.start_ms) &&
            !scan["end_ms"].get_int64().get(c.scan.end_ms);
  if (!ok || (phase != "orders" && phase != "customers") || skip < 0) {
    error = "square cursor is missing or has a malformed field";
    return std::nullopt;
  }
  c.phase = phase == "orders" ? SquareObject::kOrder : SquareObject::kCustomer;
  c.scan.query = std::string(query);
  c.scan.token = std::string(token);
  c.scan.skip = static_cast<uint32_t>(skip);
  return c;
}

}  // namespace halo::plugins::square
