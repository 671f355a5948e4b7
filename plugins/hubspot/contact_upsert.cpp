// contact_upsert.cpp -- HubSpot batch upsert bodies and answers (see
// contact_upsert.h).
#include "contact_upsert.h"

#include <simdjson.h>

#include <cmath>
#include <set>

#include "common/json_text.h"

namespace halo::plugins::hubspot {

namespace {

using Kind = BatchVerdict::Kind;

constexpr size_t kMaxPropertyName = 100;
constexpr size_t kMaxReason = 600;

void field(std::string &out, std::string_view name, std::string_view value) {
  append_json_string(out, name);
  out += ':';
  append_json_string(out, value);
}

// "message (CODE); message (CODE)" of an error's nested `errors`, or its
// own `message`, prefixed with its `category`.
std::string reason_of(simdjson::dom::element e) {
  std::string words;
  simdjson::dom::array nested;
  if (!e["errors"].get_array().get(nested)) {
    for (simdjson::dom::element n : nested) {
      std::string_view message, code;
      if (n["message"].get_string().get(message)) continue;
      if (!words.empty()) words += "; ";
      words += clip_utf8(message, 300);
      if (!n["code"].get_string().get(code) && !code.empty()) {
        words += " (" + std::string(clip_utf8(code, 60)) + ")";
      }
      if (words.size() > kMaxReason) break;
    }
  }
  std::string_view message, category;
  if (words.empty() && !e["message"].get_string().get(message)) words = clip_utf8(message, 400);
  if (words.empty()) words = "no reason given";
  if (!e["category"].get_string().get(category) && !category.empty()) {
    words = std::string(clip_utf8(category, 60)) + ": " + words;
  }
  return words;
}

// Strings under `key` of object `o`: one string or an array of them.
std::vector<std::string_view> strings_at(simdjson::dom::element o, const char *key) {
  std::vector<std::string_view> out;
  simdjson::dom::element v;
  if (o[key].get(v)) return out;
  std::string_view s;
  if (!v.get_string().get(s)) {
    out.push_back(s);
    return out;
  }
  simdjson::dom::array a;
  if (v.get_array().get(a)) return out;
  for (simdjson::dom::element item : a) {
    if (!item.get_string().get(s)) out.push_back(s);
  }
  return out;
}

// Positions of a batch by trace id (the profile id) and by email.
class BatchIndex {
 public:
  BatchIndex(const std::vector<ContactInput> &inputs, const std::vector<size_t> &batch) {
    for (size_t k = 0; k < batch.size(); ++k) {
      by_trace_[std::to_string(inputs[batch[k]].profile_id)].insert(k);
      by_email_[lower_ascii(inputs[batch[k]].email)].insert(k);
    }
  }
  // Positions a trace id names.
  void trace(std::string_view id, std::set<size_t> &out) const { add(by_trace_, id, out); }
  // Positions an email (any case) or a trace id names.
  void any(std::string_view id, std::set<size_t> &out) const {
    add(by_email_, lower_ascii(id), out);
    add(by_trace_, id, out);
  }

 private:
  using Map = std::map<std::string, std::set<size_t>, std::less<>>;
  static void add(const Map &m, std::string_view key, std::set<size_t> &out) {
    auto it = m.find(key);
    if (it != m.end()) out.insert(it->second.begin(), it->second.end());
  }
  Map by_trace_, by_email_;
};

// The inputs an error of a 207 names: by objectWriteTraceId first (what
// HubSpot's multi-status errors carry), else by the ids or emails in its
// context, else by its `id`.
std::set<size_t> named_by(simdjson::dom::element e, const BatchIndex &index) {
  std::set<size_t> out;
  simdjson::dom::element context;
  if (!e["context"].get(context) && context.is_object()) {
    for (std::string_view id : strings_at(context, "objectWriteTraceId")) index.trace(id, out);
    if (!out.empty()) return out;
    for (const char *key : {"ids", "id", "emails", "email"}) {
      for (std::string_view id : strings_at(context, key)) index.any(id, out);
    }
    if (!out.empty()) return out;
  }
  for (std::string_view id : strings_at(e, "objectWriteTraceId")) index.trace(id, out);
  for (std::string_view id : strings_at(e, "id")) index.any(id, out);
  return out;
}

// Inputs a 200/207 lists among its results.
std::set<size_t> confirmed_by(simdjson::dom::element root, const BatchIndex &index) {
  std::set<size_t> out;
  simdjson::dom::array results;
  if (root["results"].get_array().get(results)) return out;
  for (simdjson::dom::element r : results) {
    std::string_view s;
    if (!r["objectWriteTraceId"].get_string().get(s)) {
      index.trace(s, out);
    } else if (!r["properties"]["email"].get_string().get(s)) {
      index.any(s, out);
    }
  }
  return out;
}

BatchVerdict multi_status(std::string_view body, const std::vector<ContactInput> &inputs,
                          const std::vector<size_t> &batch) {
  BatchVerdict v;
  v.kind = Kind::kApplied;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) || !root.is_object()) {
    for (size_t k = 0; k < batch.size(); ++k) {
      v.failures[k] = "HubSpot answered 207 Multi-Status with an unreadable body";
    }
    return v;
  }
  const BatchIndex index(inputs, batch);
  std::vector<std::string> untied;  // errors that name no input of the batch
  simdjson::dom::array errors;
  size_t error_count = 0;
  if (!root["errors"].get_array().get(errors)) {
    for (simdjson::dom::element e : errors) {
      ++error_count;
      const std::string why = reason_of(e);
      const std::set<size_t> named = named_by(e, index);
      if (named.empty()) untied.push_back(why);
      for (size_t k : named) {
        std::string &slot = v.failures[k];
        if (slot.size() < kMaxReason) slot += (slot.empty() ? "" : "; ") + why;
      }
    }
  }
  int64_t reported = 0;
  if (!root["numErrors"].get_int64().get(reported) &&
      reported > static_cast<int64_t>(error_count)) {
    untied.push_back("HubSpot counted " + std::to_string(reported) + " errors and listed " +
                     std::to_string(error_count));
  }
  if (untied.empty()) return v;
  // Errors without an input: only the inputs HubSpot lists as results are
  // known to be synced; the others are reported as failed.
  std::string why = "HubSpot reported an error it did not tie to an input: ";
  for (size_t k = 0; k < untied.size() && why.size() < kMaxReason; ++k) {
    why += (k ? "; " : "") + untied[k];
  }
  const std::set<size_t> confirmed = confirmed_by(root, index);
  for (size_t k = 0; k < batch.size(); ++k) {
    if (!confirmed.count(k) && !v.failures.count(k)) v.failures[k] = why;
  }
  return v;
}

std::string status_text(int status, std::string_view body, const char *key) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view value;
  std::string out = "HTTP " + std::to_string(status);
  if (!parser.parse(body.data(), body.size()).get(root) && !root[key].get_string().get(value) &&
      !value.empty()) {
    out += " " + std::string(clip_utf8(value, 60));
  }
  return out;
}

}  // namespace

std::optional<PropertySource> parse_property_source(std::string_view text, std::string &why) {
  PropertySource s;
  auto named = [&](std::string_view prefix, PropertySource::Kind kind) {
    if (!text.starts_with(prefix)) return false;
    s.kind = kind;
    s.name = std::string(text.substr(prefix.size()));
    return true;
  };
  if (text == "segments") {
    s.kind = PropertySource::Kind::kSegments;
    return s;
  }
  if (named("traits.", PropertySource::Kind::kTrait) ||
      named("features.", PropertySource::Kind::kFeature)) {
    if (!s.name.empty()) return s;
    why = std::string("names no ") +
          (s.kind == PropertySource::Kind::kTrait ? "trait" : "feature") +
          ": write e.g. traits.first_name or features.orders";
    return std::nullopt;
  }
  why = "'" + std::string(clip_utf8(text, 60)) +
        "' is not a source: use traits.NAME, features.NAME or segments";
  return std::nullopt;
}

std::string check_property_name(std::string_view name) {
  if (name == "email") {
    return "email is the contact's id (the profile's first email identifier), not a mapped "
           "property: remove it";
  }
  bool ok = !name.empty() && name.size() <= kMaxPropertyName && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (ok) return "";
  return "is not a HubSpot internal property name (a lowercase letter, then lowercase letters, "
         "digits or '_', at most 100): use the property's internal name, e.g. firstname";
}

std::optional<std::string> property_text(const halo::ProfileValue &value, std::string &why) {
  why.clear();
  switch (value.type) {
    case 0:
    case HALO_TYPED_NULL:
      return std::nullopt;
    case HALO_TYPED_BOOL:
      return std::string(value.boolean() ? "true" : "false");
    case HALO_TYPED_TIMESTAMP:
      if (std::isfinite(value.number())) return std::to_string(std::llround(value.number()));
      return std::string(value.text());
    case HALO_TYPED_STRING_LIST: {
      simdjson::dom::parser parser;
      simdjson::dom::array items;
      const std::string_view json = value.text();
      if (parser.parse(json.data(), json.size()).get_array().get(items)) {
        why = "a list that is not a JSON array of strings";
        return std::nullopt;
      }
      std::string out;
      bool first = true;
      for (simdjson::dom::element item : items) {
        std::string_view s;
        if (item.get_string().get(s)) {
          why = "a list item that is not a string";
          return std::nullopt;
        }
        if (s.find(';') != std::string_view::npos) {
          why = "the list item '" + std::string(clip_utf8(s, 60)) +
                "' holds ';', which separates HubSpot's checkbox values";
          return std::nullopt;
        }
        if (!first) out += ';';
        first = false;
        out += s;
      }
      return out;
    }
    default:  // integer, decimal, double, string, and kinds of a later minor
      if (value.value.kind == HALO_VALUE_NULL) return std::nullopt;
      if (value.value.kind == HALO_VALUE_BOOL)
        return std::string(value.boolean() ? "true" : "false");
      return std::string(value.text());
  }
}

std::string segments_text(const std::vector<std::string_view> &segments) {
  std::string out;
  for (size_t k = 0; k < segments.size(); ++k) {
    if (k) out += ';';
    out += segments[k];
  }
  return out;
}

std::string upsert_body(const std::vector<ContactInput> &inputs, const std::vector<size_t> &batch) {
  std::string out = "{\"inputs\":[";
  for (size_t k = 0; k < batch.size(); ++k) {
    const ContactInput &in = inputs[batch[k]];
    out += k ? ",{" : "{";
    field(out, "id", in.email);
    out += ',';
    field(out, "idProperty", "email");
    out += ",\"properties\":{";
    for (size_t p = 0; p < in.properties.size(); ++p) {
      if (p) out += ',';
      field(out, in.properties[p].first, in.properties[p].second);
    }
    out += "},";
    field(out, "objectWriteTraceId", std::to_string(in.profile_id));
    out += '}';
  }
  out += "]}";
  return out;
}

std::string error_reason(std::string_view error_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(error_json.data(), error_json.size()).get(root) || !root.is_object()) {
    const std::string_view said = clip_utf8(trim_ascii(error_json), 200);
    return said.empty() ? "no reason given" : std::string(said);
  }
  return reason_of(root);
}

BatchVerdict classify_upsert(int status, std::string_view body,
                             const std::vector<ContactInput> &inputs,
                             const std::vector<size_t> &batch, std::string_view where) {
  BatchVerdict v;
  const std::string at(where);
  if (status == 207) return multi_status(body, inputs, batch);
  if (status >= 200 && status < 300) {
    v.kind = Kind::kApplied;
    return v;
  }
  if (status == 401 || status == 403) {
    v.kind = Kind::kFatal;
    v.detail = "the token was refused by " + at + " (" + status_text(status, body, "category") +
               "); set `token` to a private app token with the crm.objects.contacts.write scope";
    return v;
  }
  if (status == 429) {
    const std::string policy = status_text(status, body, "policyName");
    if (policy.ends_with(" DAILY")) {
      v.kind = Kind::kFatal;
      v.detail = "the account's daily API limit is used up (" + at + ", " + policy +
                 "); it resets at midnight in the account's time zone: run again after that";
    } else {
      v.kind = Kind::kRetry;
      v.detail = "rate limited by " + at + " (" + policy + ")";
    }
    return v;
  }
  if (status == 408 || status == 423 || status == 425 || status == 477 || status >= 500) {
    v.kind = Kind::kRetry;
    v.detail = at + " answered " + status_text(status, body, "category");
    return v;
  }
  if (status == 400 || status == 409 || status == 413 || status == 414 || status == 422) {
    v.kind = batch.size() > 1 ? Kind::kSplit : Kind::kRejected;
    v.detail = "HubSpot " + std::to_string(status) + ": " + error_reason(body);
    return v;
  }
  v.kind = Kind::kFatal;
  v.detail = at + " refused the request (" + status_text(status, body, "category") + ": " +
             error_reason(body) + "); check base_url";
  return v;
}

}  // namespace halo::plugins::hubspot
