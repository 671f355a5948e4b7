// segment_event.h -- one Segment Tracking API message
// (https://segment.com/docs/connections/spec/) rendered as a single JSON
// line; shared by demo and bench modes.
//
// Invariants: output is one line of valid JSON (UTF-8 as given by callers)
// with no trailing newline; empty string_views are left out; money goes out
// as JSON numbers in major units (Segment convention).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "catalog.h"

namespace halo::datagen {

enum class SegmentType { kIdentify, kTrack, kPage };

struct LineItem {
  const Product *product = nullptr;
  int quantity = 1;
};

struct SegmentEvent {
  SegmentType type = SegmentType::kTrack;
  bool omit_type = false;  // only for deliberately malformed records
  // Bench mode: the same message with fewer optional fields (no ip/locale,
  // no page name, context.page keeps only the path, products leave out
  // name/category/url, orders leave out total/shipping/tax/discount):
  // ~400-450 B/line.
  bool compact = false;
  std::string_view message_id, anonymous_id, user_id;
  std::string_view event;  // track: "Product Viewed", ...
  int64_t timestamp = 0;   // epoch seconds
  int millis = 0;
  // identify: traits{email, first_name, last_name, phone, loyalty_card}
  std::string_view trait_email, trait_first_name, trait_last_name, trait_phone, trait_loyalty_card;
  // any type: context.traits{email, phone, loyalty_card}
  std::string_view context_email, context_phone, context_loyalty_card;
  // context
  std::string_view page_path, page_title, referrer, user_agent;
  uint32_t ip = 0;
  // track properties
  std::span<const LineItem> items;  // Viewed/Added use items[0] as the product
  std::string_view cart_id, order_id;
  int64_t revenue_minor = 0;  // Checkout Started value / Order Completed revenue
};

// Appends the event's JSON (no newline) to `out`.
void render_segment_event(std::string &out, const SegmentEvent &e);

// Sum of price * quantity over `items`, in minor units.
int64_t items_total_minor(std::span<const LineItem> items);

}  // namespace halo::datagen
