// segment_event.cpp -- see segment_event.h. Hot in bench mode: appends only.
#include "segment_event.h"

#include "text_format.h"

namespace halo::datagen {

namespace {

// Appends `,"key":"value"` (or without the comma for the first member).
void member(std::string &out, bool &first, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  if (!first) out += ',';
  first = false;
  append_json_string(out, key);
  out += ':';
  append_json_string(out, value);
}

void key(std::string &out, bool &first, std::string_view k) {
  if (!first) out += ',';
  first = false;
  append_json_string(out, k);
  out += ':';
}

void append_ip(std::string &out, uint32_t ip) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    append_int(out, (ip >> shift) & 0xFF);
    if (shift != 0) out += '.';
  }
}

void append_url(std::string &out, std::string_view path) {
  std::string url(kShopHost);
  url += path;
  append_json_string(out, url);
}

// Product fields of the e-commerce spec, without the surrounding braces.
void product_fields(std::string &out, const LineItem &item, bool compact) {
  const Product &p = *item.product;
  out += "\"product_id\":\"";
  append_int(out, p.product_id);
  out += "\",\"sku\":";
  append_json_string(out, p.sku);
  if (!compact) {
    out += ",\"name\":";
    append_json_string(out, p.name);
    out += ",\"category\":";
    append_json_string(out, p.category);
  }
  out += ",\"price\":";
  append_money_number(out, p.price_minor);
  out += ",\"quantity\":";
  append_int(out, item.quantity);
}

void products_array(std::string &out, std::span<const LineItem> items, bool compact) {
  out += "\"products\":[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ',';
    out += '{';
    product_fields(out, items[i], compact);
    out += '}';
  }
  out += ']';
}

void track_properties(std::string &out, const SegmentEvent &e) {
  out += "\"properties\":{";
  if (e.event == "Product Viewed" || e.event == "Product Added") {
    product_fields(out, e.items[0], e.compact);
    if (!e.compact) {
      out += ",\"url\":";
      append_url(out, e.page_path);
    }
    if (!e.cart_id.empty()) {
      out += ",\"cart_id\":";
      append_json_string(out, e.cart_id);
    }
  } else {
    bool first = true;
    member(out, first, "order_id", e.order_id);
    member(out, first, "checkout_id", e.cart_id);
    const char *amount_key = e.event == "Order Completed" ? "revenue" : "value";
    key(out, first, amount_key);
    append_money_number(out, e.revenue_minor);
    if (!e.compact) {
      out += ",\"total\":";
      append_money_number(out, e.revenue_minor);
      out += ",\"shipping\":0,\"tax\":0,\"discount\":0";
    }
    out += ',';
    products_array(out, e.items, e.compact);
  }
  out += ",\"currency\":";
  append_json_string(out, kCurrency);
  out += '}';
}

void page_members(std::string &out, const SegmentEvent &e) {
  if (!e.compact) {
    out += "\"name\":";
    append_json_string(out, e.page_title);
    out += ',';
  }
  out += "\"properties\":{\"path\":";
  append_json_string(out, e.page_path);
  if (!e.compact) {
    out += ",\"url\":";
    append_url(out, e.page_path);
    out += ",\"title\":";
    append_json_string(out, e.page_title);
  }
  if (!e.referrer.empty() && !e.compact) {
    out += ",\"referrer\":";
    append_json_string(out, e.referrer);
  }
  out += '}';
}

void identify_traits(std::string &out, const SegmentEvent &e) {
  out += "\"traits\":{";
  bool first = true;
  member(out, first, "email", e.trait_email);
  member(out, first, "first_name", e.trait_first_name);
  member(out, first, "last_name", e.trait_last_name);
  member(out, first, "phone", e.trait_phone);
  member(out, first, "loyalty_card", e.trait_loyalty_card);
  out += '}';
}

void context_object(std::string &out, const SegmentEvent &e) {
  out += "\"context\":{";
  if (!e.compact) {
    out += "\"ip\":\"";
    append_ip(out, e.ip);
    out += "\",";
  }
  out += "\"library\":{\"name\":\"analytics.js\",\"version\":\"next-1.64.0\"},";
  if (!e.compact) out += "\"locale\":\"fa-IR\",";
  out += "\"page\":{\"path\":";
  append_json_string(out, e.page_path);
  if (!e.compact) {
    out += ",\"referrer\":";
    append_json_string(out, e.referrer);
    out += ",\"title\":";
    append_json_string(out, e.page_title);
    out += ",\"url\":";
    append_url(out, e.page_path);
  }
  out += "},\"userAgent\":";
  append_json_string(out, e.user_agent);
  if (!e.context_email.empty() || !e.context_phone.empty() || !e.context_loyalty_card.empty()) {
    out += ",\"traits\":{";
    bool first = true;
    member(out, first, "email", e.context_email);
    member(out, first, "phone", e.context_phone);
    member(out, first, "loyalty_card", e.context_loyalty_card);
    out += '}';
  }
  out += '}';
}

std::string_view type_name(SegmentType t) {
  switch (t) {
    case SegmentType::kIdentify:
      return "identify";
    case SegmentType::kPage:
      return "page";
    default:
      return "track";
  }
}

}  // namespace

int64_t items_total_minor(std::span<const LineItem> items) {
  int64_t total = 0;
  for (const LineItem &item : items) total += item.product->price_minor * item.quantity;
  return total;
}

void render_segment_event(std::string &out, const SegmentEvent &e) {
  out += '{';
  bool first = true;
  if (!e.omit_type) member(out, first, "type", type_name(e.type));
  member(out, first, "messageId", e.message_id);
  member(out, first, "anonymousId", e.anonymous_id);
  member(out, first, "userId", e.user_id);
  out += ',';
  switch (e.type) {
    case SegmentType::kIdentify:
      identify_traits(out, e);
      break;
    case SegmentType::kPage:
      page_members(out, e);
      break;
    case SegmentType::kTrack:
      out += "\"event\":";
      append_json_string(out, e.event);
      out += ',';
      track_properties(out, e);
      break;
  }
  out += ',';
  context_object(out, e);
  out += ",\"timestamp\":\"";
  append_iso_millis_z(out, e.timestamp, e.millis);
  out += "\"}";
}

}  // namespace halo::datagen
