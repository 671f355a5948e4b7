// woo_writer.cpp -- see woo_writer.h. Orders are drawn per person, sorted by
// creation time, then numbered, as the shop would have numbered them.
#include "woo_writer.h"

#include <algorithm>
#include <array>
#include <map>

#include "catalog.h"
#include "identity_forms.h"
#include "rng.h"
#include "segment_event.h"
#include "text_format.h"

namespace halo::datagen {

namespace {

constexpr int64_t kIranOffsetSeconds = 3 * 3600 + 1800;  // site-local time, no DST since 2022

struct Order {
  Person *person;
  int64_t created;
  uint64_t seq;
  std::string_view status;
  int64_t customer_id;
  std::vector<LineItem> items;
  int64_t shipping_minor;
  std::string email_text, phone_text;
  bool mistyped_email = false;

  int64_t total_minor() const { return items_total_minor(items) + shipping_minor; }
  bool counted() const { return status == "completed" || status == "processing"; }
};

std::string_view draw_status(Rng &rng, bool first_order) {
  if (first_order) return rng.chance(0.8) ? "completed" : "processing";
  const uint64_t roll = rng.below(100);
  if (roll < 55) return "completed";
  if (roll < 70) return "processing";
  if (roll < 78) return "refunded";
  if (roll < 88) return "cancelled";
  return "pending";
}

// 1-3 consecutive catalog entries (distinct, related products). A first
// order starts anywhere and sets the customer's taste (`anchor`); later
// orders start within two entries of it -- people keep buying from the
// shelves they like. One draw either way, so the rest of the data does not
// depend on the taste.
std::vector<LineItem> draw_items(Rng &rng, bool first_order, size_t &anchor) {
  std::vector<LineItem> items;
  const auto catalog = products();
  const size_t count = static_cast<size_t>(rng.between(1, 3));
  const size_t draw = rng.below(catalog.size());
  if (first_order) anchor = draw;
  const size_t start =
      first_order ? draw : (anchor + draw % 5 + catalog.size() - 2) % catalog.size();
  for (size_t i = 0; i < count; ++i) {
    items.push_back({&catalog[(start + i) % catalog.size()], static_cast<int>(rng.between(1, 3))});
  }
  return items;
}

int draw_order_count(Rng &rng) {
  const uint64_t roll = rng.below(100);
  return roll < 50 ? 1 : roll < 75 ? 2 : roll < 90 ? 3 : 4;
}

void json_key(std::string &out, std::string_view key) {
  out += ',';
  append_json_string(out, key);
  out += ':';
}
void str_member(std::string &out, std::string_view key, std::string_view value) {
  json_key(out, key);
  append_json_string(out, value);
}
void money_member(std::string &out, std::string_view key, int64_t minor) {
  json_key(out, key);
  out += '"';
  append_money(out, minor);
  out += '"';
}
void date_member(std::string &out, std::string_view key, int64_t epoch, bool present) {
  json_key(out, key);
  if (!present) {
    out += "null";
    return;
  }
  out += '"';
  append_iso_no_zone(out, epoch);
  out += '"';
}

void address(std::string &out, const Order &o, bool with_email) {
  out += "{\"first_name\":";
  append_json_string(out, o.person->first_name);
  str_member(out, "last_name", o.person->last_name);
  out +=
      ",\"company\":\"\",\"address_1\":\"خیابان ولیعصر، پلاک ۱۲\",\"address_2\":\"\","
      "\"city\":\"تهران\",\"state\":\"THR\",\"postcode\":\"1969833111\",\"country\":\"IR\"";
  if (with_email) str_member(out, "email", o.email_text);
  str_member(out, "phone", o.phone_text);
  out += '}';
}

void line_items(std::string &out, const Order &o, int64_t &next_item_id) {
  json_key(out, "line_items");
  out += '[';
  for (size_t i = 0; i < o.items.size(); ++i) {
    const LineItem &item = o.items[i];
    const int64_t line_total = item.product->price_minor * item.quantity;
    if (i != 0) out += ',';
    out += "{\"id\":";
    append_int(out, next_item_id++);
    str_member(out, "name", item.product->name);
    json_key(out, "product_id");
    append_int(out, item.product->product_id);
    out += ",\"variation_id\":0,\"quantity\":";
    append_int(out, item.quantity);
    out += ",\"tax_class\":\"\"";
    money_member(out, "subtotal", line_total);
    out += ",\"subtotal_tax\":\"0.00\"";
    money_member(out, "total", line_total);
    out += ",\"total_tax\":\"0.00\",\"taxes\":[],\"meta_data\":[]";
    str_member(out, "sku", item.product->sku);
    json_key(out, "price");
    append_money_number(out, item.product->price_minor);
    out += ",\"image\":{\"id\":0,\"src\":\"\"}}";
  }
  out += ']';
}

void render_order(std::string &out, const Order &o, int64_t id, int64_t &next_item_id) {
  const bool paid = o.status != "pending" && o.status != "cancelled";
  const int64_t modified = o.created + (o.status == "pending" ? 0 : 3600 * 6);
  out += "{\"id\":";
  append_int(out, id);
  out += ",\"parent_id\":0";
  str_member(out, "number", std::to_string(id));
  str_member(out, "order_key", "wc_order_" + std::to_string(splitmix64(id) % 1000000000000));
  str_member(out, "created_via", "checkout");
  str_member(out, "status", o.status);
  str_member(out, "currency", kCurrency);
  date_member(out, "date_created", o.created + kIranOffsetSeconds, true);
  date_member(out, "date_created_gmt", o.created, true);
  date_member(out, "date_modified", modified + kIranOffsetSeconds, true);
  date_member(out, "date_modified_gmt", modified, true);
  out += ",\"discount_total\":\"0.00\",\"discount_tax\":\"0.00\"";
  money_member(out, "shipping_total", o.shipping_minor);
  out += ",\"shipping_tax\":\"0.00\",\"cart_tax\":\"0.00\"";
  money_member(out, "total", o.total_minor());
  out += ",\"total_tax\":\"0.00\",\"prices_include_tax\":false";
  json_key(out, "customer_id");
  append_int(out, o.customer_id);
  out += ",\"customer_note\":\"\",\"billing\":";
  address(out, o, true);
  out += ",\"shipping\":";
  address(out, o, false);
  str_member(out, "payment_method", paid ? "zarinpal" : "");
  str_member(out, "transaction_id", paid ? "ZP" + std::to_string(splitmix64(id) % 100000000) : "");
  date_member(out, "date_paid_gmt", o.created + 60, paid);
  date_member(out, "date_completed_gmt", modified, o.status == "completed");
  line_items(out, o, next_item_id);
  out += ",\"tax_lines\":[],\"shipping_lines\":[],\"fee_lines\":[],\"coupon_lines\":[]";
  json_key(out, "refunds");
  if (o.status == "refunded") {
    out += "[{\"id\":";
    append_int(out, id + 500000);
    out += ",\"reason\":\"\",\"total\":\"";
    append_money(out, -o.total_minor());
    out += "\"}]";
  } else {
    out += "[]";
  }
  out += ",\"meta_data\":[]}";
}

void draw_person_orders(Person &p, Rng &rng, std::vector<Order> &orders) {
  const int count = draw_order_count(rng);
  int64_t when = p.first_seen + rng.between(3600, 30 * 86400);
  bool typo_left = !p.mistyped_email.empty();
  size_t taste = 0;
  for (int n = 0; n < count; ++n) {
    Order o;
    o.person = &p;
    o.created = when;
    o.seq = orders.size();
    o.status = draw_status(rng, n == 0);
    // Registered customers sometimes check out as guests; the email still links them.
    o.customer_id = (n == 0 || rng.chance(0.85)) ? p.woo_customer_id : 0;
    o.items = draw_items(rng, n == 0, taste);
    o.shipping_minor = rng.chance(0.5) ? 0 : 15000000;
    // A typo only where the account id still names the customer.
    o.mistyped_email = typo_left && n > 0 && o.customer_id > 0;
    typo_left = typo_left && !o.mistyped_email;
    const std::string &email = o.mistyped_email ? p.mistyped_email : p.email;
    const std::string &phone = p.phone_at(when);
    o.email_text = email_variant(email, rng, true);
    o.phone_text = phone_variant(phone, rng);
    p.truth.add(IdKind::kEmail, email);
    if (!p.shares_phone) p.truth.add(IdKind::kPhone, phone_e164(phone));
    if (o.customer_id > 0) p.truth.add(IdKind::kWooCustomerId, std::to_string(o.customer_id));
    if (o.counted()) p.truth.add_order(o.total_minor());
    orders.push_back(std::move(o));
    when += rng.between(7 * 86400, 90 * 86400);  // repeat purchases weeks to months apart
    if (when >= kEpochEnd) break;                // the data's time range ends
  }
}

}  // namespace

WooStats generate_woo_orders(std::vector<Person> &persons, uint64_t seed, std::string &out) {
  Rng rng(derive_seed(seed, 0x574F4F0000000000ULL));  // "WOO"
  std::vector<Order> orders;
  for (Person &p : persons) {
    if (p.has(kWoo)) draw_person_orders(p, rng, orders);
  }
  std::sort(orders.begin(), orders.end(), [](const Order &a, const Order &b) {
    return a.created != b.created ? a.created < b.created : a.seq < b.seq;
  });
  WooStats stats;
  // A household's phone belongs to the member whose order carried it first:
  // the deterministic resolver keeps it there and refuses the other's link.
  std::map<std::string_view, const Person *> household_phone_owner;
  for (Order &o : orders) {
    stats.mistyped_emails += o.mistyped_email;
    if (!o.person->shares_phone) continue;
    const std::string &phone = o.person->phone_national;
    auto [owner, inserted] = household_phone_owner.emplace(phone, o.person);
    if (owner->second == o.person) {
      o.person->truth.add(IdKind::kPhone, phone_e164(phone));
    } else {
      o.person->truth.add_shared(IdKind::kPhone, phone_e164(phone));
      ++stats.shared_phone_orders;
    }
  }
  int64_t id = 1000;
  int64_t next_item_id = 1;
  out += "[\n";
  for (size_t i = 0; i < orders.size(); ++i) {
    id += rng.between(1, 4);  // gaps: drafts and deleted orders use ids too
    if (i != 0) out += ",\n";
    render_order(out, orders[i], id, next_item_id);
    ++stats.orders;
    if (orders[i].counted()) {
      ++stats.counted_orders;
      stats.counted_revenue_minor += orders[i].total_minor();
    }
  }
  out += "\n]\n";
  return stats;
}

}  // namespace halo::datagen
