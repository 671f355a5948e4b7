// json_field_lookup.cpp -- simdjson On-Demand lookups for record mapping.
#include "common/json_field_lookup.h"

#include "common/block_buffer.h"
#include "common/json_text.h"

#include <simdjson.h>

namespace halo::plugins {

static_assert(simdjson::SIMDJSON_PADDING <= kBlockPadding,
              "block buffers must carry simdjson's padding");

namespace od = simdjson::ondemand;

struct JsonFieldLookup::Parser {
  od::parser parser;
  od::document doc;
  simdjson::padded_string copy;
};

std::string to_json_pointer(std::string_view dotted_path) {
  std::string out = "/";
  for (char c : dotted_path) {
    if (c == '.') {
      out.push_back('/');
    } else if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

JsonFieldLookup::JsonFieldLookup(const std::vector<std::string> &source_paths)
    : values_(source_paths.size()), parser_(std::make_unique<Parser>()) {
  for (const std::string &p : source_paths) pointers_.push_back(to_json_pointer(p));
}

JsonFieldLookup::~JsonFieldLookup() = default;

namespace {
bool is_absent(simdjson::error_code e) {
  // INVALID_JSON_POINTER here means "descended into a scalar": the pointers
  // built by to_json_pointer are always well-formed.
  return e == simdjson::NO_SUCH_FIELD || e == simdjson::INDEX_OUT_OF_BOUNDS ||
         e == simdjson::INCORRECT_TYPE || e == simdjson::INVALID_JSON_POINTER;
}

std::string parse_error(simdjson::error_code e) {
  return std::string("malformed JSON: ") + simdjson::error_message(e);
}

// Touches every value so On-Demand reports errors anywhere in the record,
// not only on the paths the mapping reads.
simdjson::error_code validate(od::value v) {
  od::json_type type;
  if (auto e = v.type().get(type)) return e;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto e = v.get_object().get(object)) return e;
      for (auto field : object) {
        od::value child;
        if (auto e = field.value().get(child)) return e;
        if (auto e = validate(child)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array array;
      if (auto e = v.get_array().get(array)) return e;
      for (auto item : array) {
        od::value child;
        if (auto e = item.get(child)) return e;
        if (auto e = validate(child)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string:
      return v.get_string().error();
    case od::json_type::number:
      return v.get_number().error();
    case od::json_type::boolean:
      return v.get_bool().error();
    case od::json_type::null:
      return v.is_null() ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
  }
  return simdjson::SUCCESS;
}
}  // namespace

bool JsonFieldLookup::read_path(size_t i, std::string &error) {
  values_[i] = SourceValue{};
  od::value v;
  simdjson::error_code e = parser_->doc.at_pointer(pointers_[i]).get(v);
  if (e) {
    if (is_absent(e)) return true;
    error = parse_error(e);
    return false;
  }
  od::json_type type;
  if ((e = v.type().get(type))) return error = parse_error(e), false;
  std::string_view text;
  SourceValue &out = values_[i];
  switch (type) {
    case od::json_type::string:
      e = v.get_string().get(text);
      if (!e) {
        size_t at = scratch_.size();
        scratch_.append(text);  // capacity reserved in load(): no reallocation
        out = {ValueKind::kString, std::string_view(scratch_).substr(at, text.size())};
      }
      break;
    case od::json_type::number:
      out = {ValueKind::kNumber, trim_ascii(v.raw_json_token())};
      break;
    case od::json_type::boolean: {
      bool b = false;
      e = v.get_bool().get(b);
      out = {ValueKind::kBool, b ? "true" : "false"};
      break;
    }
    case od::json_type::null:
      out = {ValueKind::kNull, {}};
      break;
    case od::json_type::object: {
      od::object object;
      if (!(e = v.get_object().get(object))) e = object.raw_json().get(text);
      out = {ValueKind::kJson, text};
      break;
    }
    case od::json_type::array: {
      od::array array;
      if (!(e = v.get_array().get(array))) e = array.raw_json().get(text);
      out = {ValueKind::kJson, text};
      break;
    }
  }
  if (e) {
    values_[i] = SourceValue{};
    return error = parse_error(e), false;
  }
  return true;
}

bool JsonFieldLookup::load(std::string_view json, bool padded, std::string &error) {
  simdjson::padded_string_view input;
  if (padded) {
    input = simdjson::padded_string_view(json.data(), json.size(),
                                         json.size() + simdjson::SIMDJSON_PADDING);
  } else {
    parser_->copy = simdjson::padded_string(json);
    input = parser_->copy;
  }
  simdjson::error_code e = parser_->parser.iterate(input).get(parser_->doc);
  od::json_type type{};
  if (!e) e = parser_->doc.type().get(type);
  if (e) return error = parse_error(e), false;
  if (type != od::json_type::object) {
    error = "record is not a JSON object";
    return false;
  }
  scratch_.clear();
  if (scratch_.capacity() < json.size()) scratch_.reserve(json.size());
  for (size_t i = 0; i < pointers_.size(); ++i) {
    if (!read_path(i, error)) return false;
  }
  // Walk the whole record once so a broken value is caught even when the
  // mapping does not read it.
  parser_->doc.rewind();
  od::object object;
  if (!(e = parser_->doc.get_object().get(object))) {
    for (auto field : object) {
      od::value child;
      if ((e = field.value().get(child)) || (e = validate(child))) break;
    }
  }
  if (e) return error = parse_error(e), false;
  return true;
}

}  // namespace halo::plugins
