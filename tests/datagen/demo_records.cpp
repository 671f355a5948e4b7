// demo_records.cpp -- see demo_records.h. Parses with simdjson (which also
// rejects invalid UTF-8) and the test's own CSV splitter and normalizers.
#include "demo_records.h"

#include <simdjson.h>

#include <stdexcept>
#include <unordered_set>

#include "test_support.h"

namespace halo::datagen::testing {

namespace {

using simdjson::dom::element;

std::string where(std::string_view file, size_t line) {
  return std::string(file) + "#" + std::to_string(line + 1);
}

void add_string_id(Record &r, std::string_view kind, element parent, const char *field) {
  std::string_view value;
  if (parent[field].get(value) != simdjson::SUCCESS || value.empty()) return;
  if (kind == "email") {
    r.ids.emplace_back("email", normalize_email(value));
  } else if (kind == "phone") {
    auto phone = normalize_phone(value);
    if (!phone) throw std::runtime_error(r.where + ": unparsable phone " + std::string(value));
    r.ids.emplace_back("phone", *phone);
  } else {
    r.ids.emplace_back(std::string(kind), std::string(value));
  }
}

void add_traits(Record &r, element traits) {
  add_string_id(r, "email", traits, "email");
  add_string_id(r, "phone", traits, "phone");
}

void read_web(const std::filesystem::path &dir, DemoRecords &out) {
  const std::string text = read_file(dir / "web_events.jsonl");
  simdjson::dom::parser parser;
  std::unordered_set<std::string> seen_ids;
  const auto lines = split_lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    element doc;
    std::string_view type;
    if (parser.parse(lines[i].data(), lines[i].size()).get(doc) != simdjson::SUCCESS ||
        doc["type"].get(type) != simdjson::SUCCESS) {
      ++out.web_malformed;
      continue;
    }
    std::string_view message_id;
    if (doc["messageId"].get(message_id) != simdjson::SUCCESS)
      throw std::runtime_error(where("web_events.jsonl", i) + ": no messageId");
    if (!seen_ids.insert(std::string(message_id)).second) {
      ++out.web_duplicates;
      continue;
    }
    Record r;
    r.where = where("web_events.jsonl", i);
    add_string_id(r, "user_id", doc, "userId");
    add_string_id(r, "anonymous_id", doc, "anonymousId");
    element traits;
    if (doc["traits"].get(traits) == simdjson::SUCCESS) add_traits(r, traits);
    if (doc["context"]["traits"].get(traits) == simdjson::SUCCESS) add_traits(r, traits);
    out.records.push_back(std::move(r));
  }
}

void read_woo(const std::filesystem::path &dir, DemoRecords &out) {
  simdjson::dom::parser parser;
  const std::string text = read_file(dir / "woo_orders.json");
  simdjson::dom::array orders = parser.parse(text).get_array();
  size_t n = 0;
  for (element order : orders) {
    Record r;
    r.where = where("woo_orders.json[]", n++);
    const int64_t customer_id = order["customer_id"].get_int64();
    if (customer_id > 0) r.ids.emplace_back("woo_customer_id", std::to_string(customer_id));
    add_string_id(r, "email", order["billing"], "email");
    add_string_id(r, "phone", order["billing"], "phone");
    const std::string_view status = order["status"].get_string();
    r.counted = status == "completed" || status == "processing";
    if (r.counted) {
      auto total = parse_minor_units(order["total"].get_string().value());
      if (!total) throw std::runtime_error(r.where + ": total is not a decimal string");
      r.amount_minor = *total;
    }
    out.records.push_back(std::move(r));
  }
}

void read_pos(const std::filesystem::path &dir, DemoRecords &out) {
  const std::string text = read_file(dir / "pos_sales.csv");
  const auto lines = split_lines(std::string_view(text).substr(3));  // after the BOM
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto fields = split_csv(lines[i]);
    if (fields.size() != 6) {
      ++out.pos_bad_rows;
      continue;
    }
    Record r;
    r.where = where("pos_sales.csv", i);
    if (!fields[1].empty()) r.ids.emplace_back("pos_card", fields[1]);
    if (!fields[2].empty()) {
      auto phone = normalize_phone(fields[2]);
      if (!phone) throw std::runtime_error(r.where + ": unparsable phone " + fields[2]);
      // The cashier's placeholder identifies nobody (Halo blocks it): it is
      // no identifier of the record, and only rows with a card carry it.
      if (*phone == "+989120000000") {
        if (fields[1].empty())
          throw std::runtime_error(r.where + ": placeholder phone without a card");
        ++out.pos_placeholder_phones;
      } else {
        r.ids.emplace_back("phone", *phone);
      }
    }
    auto amount = parse_minor_units(fields[3]);
    if (!amount) throw std::runtime_error(r.where + ": amount is not a decimal");
    r.counted = true;
    r.amount_minor = *amount;
    out.records.push_back(std::move(r));
  }
}

void read_crm(const std::filesystem::path &dir, DemoRecords &out) {
  const std::string text = read_file(dir / "crm_contacts.csv");
  const auto lines = split_lines(text);
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto fields = split_csv(lines[i]);
    if (fields.size() != 6) throw std::runtime_error(where("crm_contacts.csv", i) + ": columns");
    Record r;
    r.where = where("crm_contacts.csv", i);
    r.ids.emplace_back("crm_id", fields[0]);
    r.ids.emplace_back("email", normalize_email(fields[3]));
    if (!fields[4].empty()) {
      auto phone = normalize_phone(fields[4]);
      if (!phone) throw std::runtime_error(r.where + ": unparsable phone " + fields[4]);
      r.ids.emplace_back("phone", *phone);
    }
    out.records.push_back(std::move(r));
  }
}

}  // namespace

DemoRecords read_demo_records(const std::filesystem::path &dir) {
  DemoRecords out;
  read_web(dir, out);
  read_woo(dir, out);
  read_pos(dir, out);
  read_crm(dir, out);
  return out;
}

std::vector<TruthPerson> read_truth(const std::filesystem::path &dir) {
  const std::string text = read_file(dir / "truth.jsonl");
  simdjson::dom::parser parser;
  std::vector<TruthPerson> persons;
  for (std::string_view line : split_lines(text)) {
    element doc = parser.parse(line.data(), line.size());
    TruthPerson p;
    p.person = std::string(doc["person"].get_string().value());
    for (auto [key, list] : {std::pair{"identifiers", &p.ids}, {"shared", &p.shared}}) {
      for (auto [kind, values] : doc[key].get_object()) {
        for (element v : values.get_array()) {
          list->emplace_back(std::string(kind), std::string(v.get_string().value()));
        }
      }
    }
    p.order_count = doc["order_count"].get_int64();
    auto revenue = parse_minor_units(doc["revenue"].get_string().value());
    if (!revenue) throw std::runtime_error(p.person + ": revenue is not a decimal string");
    p.revenue_minor = *revenue;
    persons.push_back(std::move(p));
  }
  return persons;
}

}  // namespace halo::datagen::testing
