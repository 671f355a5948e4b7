// typed_migration.cpp -- see typed_migration.h. Uses simdjson's On-Demand
// API so a number's raw token (its exact text) survives the conversion.
#include "store/typed_migration.h"

#include <simdjson.h>

#include <algorithm>
#include <vector>

#include "profile/typed_codec.h"
#include "store/sqlite_db.h"

namespace halo::store {

namespace {

using simdjson::ondemand::json_type;

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// One JSON value as a TypedValue; false for what has no typed form.
bool to_typed(simdjson::ondemand::value v, TypedValue *out) {
  json_type type;
  if (v.type().get(type)) return false;
  switch (type) {
    case json_type::null:
      *out = TypedValue::null();
      return true;
    case json_type::boolean: {
      bool b = false;
      if (v.get_bool().get(b)) return false;
      *out = TypedValue::boolean(b);
      return true;
    }
    case json_type::number:
      *out = TypedValue::from_number(trim(v.raw_json_token()));
      return out->kind() != TypedKind::kNull;
    case json_type::string: {
      std::string_view s;
      if (v.get_string().get(s)) return false;
      *out = TypedValue::string(s);
      return true;
    }
    case json_type::array: {
      std::vector<std::string> items;
      simdjson::ondemand::array a;
      if (v.get_array().get(a)) return false;
      for (auto item : a) {
        std::string_view s;
        if (item.get_string().get(s)) return false;
        items.emplace_back(s);
      }
      *out = TypedValue::string_list(std::vector<std::string_view>(items.begin(), items.end()));
      return true;
    }
    default:
      return false;
  }
}

struct LegacyTrait {
  std::string name;
  int64_t priority = 100, timestamp_ms = 0;
  uint64_t sequence = 0;
  TypedValue value;
};

Status bad(std::string_view what, std::string_view why) {
  return Status::Corruption("legacy " + std::string(what) + " JSON: " + std::string(why));
}

// One {"v":..,"p":..,"t":..,"s":..} entry; all four members are required.
Status read_trait(simdjson::ondemand::object entry, LegacyTrait *t) {
  int found = 0;
  for (auto field : entry) {
    std::string_view key;
    simdjson::ondemand::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return bad("traits", "malformed");
    bool ok = true;
    if (key == "v") {
      ok = to_typed(v, &t->value);
    } else if (key == "p") {
      ok = !v.get_int64().get(t->priority) && t->priority >= INT32_MIN && t->priority <= INT32_MAX;
    } else if (key == "t") {
      ok = !v.get_int64().get(t->timestamp_ms);
    } else if (key == "s") {
      ok = !v.get_uint64().get(t->sequence);
    } else {
      continue;
    }
    if (!ok) return bad("traits", "trait '" + t->name + "' has a bad '" + std::string(key) + "'");
    ++found;
  }
  if (found != 4) return bad("traits", "trait '" + t->name + "' lacks v/p/t/s");
  return Status::Ok();
}

Status parse_object(simdjson::ondemand::parser &parser, const simdjson::padded_string &text,
                    simdjson::ondemand::document &doc, simdjson::ondemand::object &obj,
                    std::string_view what) {
  if (text.size() > kMaxLegacyRowBytes) return bad(what, "row larger than 64 MiB");
  // On-Demand validates lazily; the DOM parser checks the whole text first
  // (trailing content, bad escapes) so nothing malformed is half-read.
  simdjson::dom::parser validator;
  simdjson::dom::element whole;
  if (validator.parse(text).get(whole)) return bad(what, "not valid JSON");
  if (parser.iterate(text).get(doc) || doc.get_object().get(obj)) return bad(what, "not an object");
  return Status::Ok();
}

}  // namespace

Result<std::string> legacy_traits_to_typed(std::string_view json) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string text(json);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (Status s = parse_object(parser, text, doc, obj, "traits"); !s.ok()) return s;
  std::vector<LegacyTrait> traits;
  for (auto field : obj) {
    LegacyTrait t;
    std::string_view key;
    simdjson::ondemand::object entry;
    if (field.unescaped_key().get(key)) return bad("traits", "malformed key");
    t.name.assign(key);
    if (field.value().get_object().get(entry))
      return bad("traits", "trait '" + t.name + "' is not an object");
    if (Status s = read_trait(entry, &t); !s.ok()) return s;
    traits.push_back(std::move(t));
  }
  std::sort(traits.begin(), traits.end(),
            [](const LegacyTrait &a, const LegacyTrait &b) { return a.name < b.name; });
  TraitEncoder enc(traits.size());
  for (size_t i = 0; i < traits.size(); ++i) {
    if (i > 0 && traits[i].name == traits[i - 1].name) {
      return bad("traits", "trait '" + traits[i].name + "' appears twice");
    }
    const LegacyTrait &t = traits[i];
    enc.add(
        {t.name, "", static_cast<int32_t>(t.priority), t.timestamp_ms, t.sequence, &t.value, {}});
  }
  return enc.take();
}

Result<std::string> legacy_features_to_typed(std::string_view json) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string text(json);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (Status s = parse_object(parser, text, doc, obj, "features"); !s.ok()) return s;
  NamedValues features;
  for (auto field : obj) {
    std::string_view key;
    simdjson::ondemand::value v;
    NamedValue f;
    if (field.unescaped_key().get(key) || field.value().get(v)) return bad("features", "malformed");
    f.name.assign(key);
    if (!to_typed(v, &f.value))
      return bad("features", "feature '" + f.name + "' has no typed form");
    features.push_back(std::move(f));
  }
  return encode_features(features);
}

namespace {

struct TableRewrite {
  const char *table, *id_column, *value_column;
  Result<std::string> (*convert)(std::string_view);
};

Status rewrite_table(sqlite3 *db, const std::string &path, const TableRewrite &t) {
  std::string context = "sqlite store " + path + ": converting " + t.table + " to typed values";
  std::string select = std::string("SELECT ") + t.id_column + ", " + t.value_column + " FROM " +
                       t.table + " WHERE " + t.id_column + " > ?1 ORDER BY " + t.id_column +
                       " LIMIT 1000";
  std::string update = std::string("UPDATE ") + t.table + " SET " + t.value_column +
                       " = ?2 WHERE " + t.id_column + " = ?1";
  auto sel = sqlite::Statement::prepare(db, select);
  auto upd = sqlite::Statement::prepare(db, update);
  if (!sel.ok() || !upd.ok()) return Status::Io(context + ": " + sqlite::last_error(db));
  int64_t after = INT64_MIN;
  for (;;) {
    std::vector<std::pair<int64_t, std::string>> rows;
    sel->bind_int(1, after);
    int rc;
    while ((rc = sel->step()) == SQLITE_ROW)
      rows.emplace_back(sel->column_int(0), sel->column_bytes(1));
    sel->reset();
    if (rc != SQLITE_DONE) return Status::Io(context + ": " + sqlite::last_error(db));
    if (rows.empty()) return Status::Ok();
    for (const auto &[id, json] : rows) {
      auto typed = t.convert(json);
      if (!typed.ok()) {
        return Status::Corruption(context + ": profile " + std::to_string(id) + ": " +
                                  typed.status().message());
      }
      upd->bind_int(1, id);
      upd->bind_blob(2, typed->data(), typed->size());
      int rc = upd->step();
      upd->reset();
      if (rc != SQLITE_DONE) return Status::Io(context + ": " + sqlite::last_error(db));
      after = id;
    }
  }
}

}  // namespace

Status convert_rows_to_typed(sqlite3 *db, const std::string &path) {
  for (const TableRewrite &t :
       {TableRewrite{"profiles", "id", "traits", legacy_traits_to_typed},
        TableRewrite{"features", "profile_id", "features", legacy_features_to_typed}}) {
    if (Status s = rewrite_table(db, path, t); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace halo::store
