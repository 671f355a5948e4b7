// truth_writer.cpp -- see truth_writer.h.
#include "truth_writer.h"

#include "demo.h"
#include "text_format.h"

namespace halo::datagen {

namespace {
// {"email":[...],...}: every kind when `all_kinds`, else only non-empty ones.
void render_id_lists(std::string &out,
                     const std::array<std::vector<std::string>, kIdKindCount> &lists,
                     bool all_kinds) {
  out += '{';
  bool first = true;
  for (size_t k = 0; k < kIdKindCount; ++k) {
    const auto &values = lists[k];
    if (values.empty() && !all_kinds) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(out, id_kind_name(static_cast<IdKind>(k)));
    out += ":[";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i != 0) out += ',';
      append_json_string(out, values[i]);
    }
    out += ']';
  }
  out += '}';
}
}  // namespace

void render_truth(const std::vector<Person> &persons, std::string &out) {
  for (const Person &p : persons) {
    out += "{\"person\":";
    append_json_string(out, p.key);
    out += ",\"identifiers\":";
    render_id_lists(out, p.truth.ids, true);
    out += ",\"shared\":";
    render_id_lists(out, p.truth.shared, false);
    out += ",\"order_count\":";
    append_int(out, p.truth.order_count);
    out += ",\"revenue\":\"";
    append_money(out, p.truth.revenue_minor);
    out += "\"}\n";
  }
}

namespace {
void count(std::string &out, std::string_view key, int64_t value, bool last = false) {
  out += "    ";
  append_json_string(out, key);
  out += ": ";
  append_int(out, value);
  out += last ? "\n" : ",\n";
}
}  // namespace

void render_summary(const DemoSummary &s, std::string &out) {
  out += "{\n  \"seed\": ";
  append_int(out, static_cast<int64_t>(s.seed));
  out += ",\n  \"persons\": ";
  append_int(out, s.persons);
  out += ",\n  \"order_completed\": ";
  append_int(out, s.order_completed);
  out += ",\n  \"revenue\": \"";
  append_money(out, s.revenue_minor);
  out += "\",\n  \"changed_phones\": ";
  append_int(out, s.changed_phones);
  out += ",\n  \"households\": ";
  append_int(out, s.households);
  out += ",\n  \"web_events.jsonl\": {\n";
  count(out, "lines", s.web.lines);
  count(out, "valid_events", s.web.valid_events);
  count(out, "duplicates", s.web.duplicates);
  count(out, "malformed", s.web.malformed, true);
  out += "  },\n  \"woo_orders.json\": {\n";
  count(out, "orders", s.woo.orders);
  count(out, "counted_orders", s.woo.counted_orders);
  count(out, "mistyped_emails", s.woo.mistyped_emails);
  count(out, "shared_phone_orders", s.woo.shared_phone_orders, true);
  out += "  },\n  \"pos_sales.csv\": {\n";
  count(out, "rows", s.pos.rows);
  count(out, "valid_rows", s.pos.valid_rows);
  count(out, "bad_rows", s.pos.bad_rows);
  count(out, "placeholder_phones", s.pos.placeholder_phones, true);
  out += "  },\n  \"crm_contacts.csv\": {\n";
  count(out, "rows", s.crm.rows);
  count(out, "mistyped_names", s.crm.mistyped_names, true);
  out += "  }\n}\n";
}

}  // namespace halo::datagen
