// bench.cpp -- see bench.h. Streams straight into a large output buffer; the
// only per-event allocations are the message id and short path strings.
#include "bench.h"

#include <chrono>
#include <cstdio>
#include <vector>

#include "catalog.h"
#include "identity_forms.h"
#include "output_file.h"
#include "rng.h"
#include "segment_event.h"
#include "text_format.h"

namespace halo::datagen {

namespace {

constexpr double kBenchDuplicateRate = 0.01;
constexpr double kBenchMalformedRate = 0.001;

struct Customer {
  std::string anonymous_id;  // current device; empty until first seen
  std::string user_id, email, phone_national, loyalty_card;
  std::string_view first_name, last_name, user_agent;
  uint32_t ip = 0;
  bool can_sign_in = false;
  bool signed_in = false;  // on the current device
};

class BenchGenerator {
 public:
  BenchGenerator(const BenchOptions &options)
      : rng_(derive_seed(options.seed, 0x42454E4348000000ULL)),  // "BENCH"
        customers_(options.customers),
        now_(epoch_from_civil(2026, 1, 1)),
        identity_heavy_(options.shape == BenchShape::kIdentity) {}

  // Renders the next distinct valid message into `line`.
  void next_event(std::string &line, BenchSummary &summary) {
    Customer &c = pick_customer();
    SegmentEvent e;
    e.compact = true;
    fill_common(e, c);
    if (c.signed_in && rng_.chance(identity_heavy_ ? 0.25 : 0.02)) switch_device(c, e);
    const uint64_t roll = rng_.below(100);
    const bool in_store = identity_heavy_ && roll >= 96;
    if (in_store) {
      in_store_purchase(c, e);
    } else if (!c.signed_in && c.can_sign_in && roll < 12) {
      identify(c, e);
    } else if (c.signed_in && roll < 12) {
      order_completed(e);
    } else if (roll < 45) {
      e.type = SegmentType::kPage;
    } else if (roll < 80) {
      track_product(e, "Product Viewed");
    } else if (roll < 93) {
      track_product(e, "Product Added");
    } else {
      checkout(e, "Checkout Started");
    }
    if (c.signed_in && e.type != SegmentType::kIdentify && rng_.chance(0.3)) {
      e.context_email = c.email;
    }
    if (identity_heavy_ && c.signed_in && e.type != SegmentType::kIdentify) {
      more_identifiers(c, e);
    }
    line.clear();
    render_segment_event(line, e);
    count(e, summary);
    summary.in_store += in_store;
  }

  Rng &rng() { return rng_; }

 private:
  Customer &pick_customer() {
    const uint32_t index = static_cast<uint32_t>(rng_.below(customers_.size()));
    Customer &c = customers_[index];
    if (c.anonymous_id.empty()) init_customer(c, index);
    return c;
  }

  void init_customer(Customer &c, uint32_t index) {
    const Name &first = rng_.pick(first_names());
    const Name &last = rng_.pick(last_names());
    c.first_name = first.persian;
    c.last_name = last.persian;
    c.anonymous_id = uuids_.make(rng_);
    c.user_id = "usr_" + std::to_string(index + 1);
    c.email = std::string(first.latin) + "." + std::string(last.latin) + std::to_string(index + 1) +
              "@" + std::string(rng_.pick(email_domains()));
    c.phone_national = "912" + std::to_string(1000000 + (uint64_t{index} * 7919) % 9000000);
    c.user_agent = rng_.pick(app_user_agents());
    c.ip = static_cast<uint32_t>(rng_.between(0x05000000, 0xDF000000));
    c.can_sign_in = rng_.chance(0.7);
    c.loyalty_card = "6395" + std::to_string(10000000 + (uint64_t{index} * 104729) % 90000000);
  }

  void switch_device(Customer &c, SegmentEvent &e) {
    c.anonymous_id = uuids_.make(rng_);
    c.signed_in = false;
    c.user_agent = rng_.pick(app_user_agents());
    e.anonymous_id = c.anonymous_id;
    e.user_id = {};
    e.user_agent = c.user_agent;
  }

  void fill_common(SegmentEvent &e, const Customer &c) {
    now_ms_ += rng_.below(200);
    message_id_ = uuids_.make(rng_);
    e.message_id = message_id_;
    e.anonymous_id = c.anonymous_id;
    if (c.signed_in) e.user_id = c.user_id;
    e.timestamp = now_ + static_cast<int64_t>(now_ms_ / 1000);
    e.millis = static_cast<int>(now_ms_ % 1000);
    e.user_agent = c.user_agent;
    e.ip = c.ip;
    product_ = &rng_.pick(products());
    path_ = "/product/";
    path_ += product_->slug;
    e.page_path = path_;
    e.page_title = product_->name;
    e.referrer = rng_.chance(0.3) ? "https://www.google.com/" : "";
  }

  void identify(Customer &c, SegmentEvent &e) {
    c.signed_in = true;
    e.type = SegmentType::kIdentify;
    e.user_id = c.user_id;
    e.trait_email = c.email;
    e.trait_first_name = c.first_name;
    e.trait_last_name = c.last_name;
    if (identity_heavy_ || rng_.chance(0.5)) {
      phone_text_ = phone_variant(c.phone_national, rng_);
      e.trait_phone = phone_text_;
    }
    if (identity_heavy_ && rng_.chance(0.6)) e.trait_loyalty_card = c.loyalty_card;
    e.context_email = c.email;
  }

  // Identity shape: a signed-in event also names the phone (in any of its
  // written forms) or the loyalty card now and then.
  void more_identifiers(const Customer &c, SegmentEvent &e) {
    if (rng_.chance(0.2)) {
      phone_text_ = phone_variant(c.phone_national, rng_);
      e.context_phone = phone_text_;
    }
    if (rng_.chance(0.15)) e.context_loyalty_card = c.loyalty_card;
  }

  // Identity shape: an order at a till, with the loyalty card (and half the
  // time the phone) under the till's own anonymous id; no userId (a customer
  // signed in online may get the signed-in identifiers on top, next_event).
  // A card never seen online makes a profile of its own until a sign-in
  // names it.
  void in_store_purchase(const Customer &c, SegmentEvent &e) {
    till_id_ = uuids_.make(rng_);
    e.anonymous_id = till_id_;
    e.user_id = {};
    e.context_loyalty_card = c.loyalty_card;
    if (rng_.chance(0.5)) {
      phone_text_ = phone_variant(c.phone_national, rng_);
      e.context_phone = phone_text_;
    }
    order_completed(e);
  }

  void track_product(SegmentEvent &e, std::string_view name) {
    items_.assign(1, LineItem{product_, static_cast<int>(rng_.between(1, 2))});
    e.event = name;
    e.items = items_;
  }

  void checkout(SegmentEvent &e, std::string_view name) {
    const auto catalog = products();
    const size_t count = static_cast<size_t>(rng_.between(1, 3));
    const size_t start = rng_.below(catalog.size());
    items_.clear();
    for (size_t i = 0; i < count; ++i) {
      items_.push_back(
          {&catalog[(start + i) % catalog.size()], static_cast<int>(rng_.between(1, 3))});
    }
    e.event = name;
    e.items = items_;
    e.revenue_minor = items_total_minor(items_);
    order_id_ = "ord_" + std::to_string(++orders_);
    e.order_id = order_id_;
  }

  void order_completed(SegmentEvent &e) { checkout(e, "Order Completed"); }

  static void count(const SegmentEvent &e, BenchSummary &s) {
    switch (e.type) {
      case SegmentType::kIdentify:
        ++s.identify;
        break;
      case SegmentType::kPage:
        ++s.page;
        break;
      case SegmentType::kTrack:
        ++s.track;
        if (e.event == "Order Completed") {
          ++s.order_completed;
          s.revenue_minor += e.revenue_minor;
        }
    }
  }

  Rng rng_;
  UuidFactory uuids_;
  std::vector<Customer> customers_;
  int64_t now_;
  bool identity_heavy_;
  uint64_t now_ms_ = 0;
  uint64_t orders_ = 0;
  // Scratch that SegmentEvent's views point into; reused across events.
  std::string message_id_, path_, phone_text_, order_id_, till_id_;
  std::vector<LineItem> items_;
  const Product *product_ = nullptr;
};

Status validate(const BenchOptions &options) {
  if (options.out_file.empty()) return Status::Invalid("bench: --out FILE is required");
  if (options.events == 0) return Status::Invalid("bench: --events must be at least 1");
  if (options.customers == 0 || options.customers > kMaxBenchCustomers) {
    return Status::Invalid("bench: --customers must be between 1 and " +
                           std::to_string(kMaxBenchCustomers) + ", got " +
                           std::to_string(options.customers));
  }
  return Status::Ok();
}

}  // namespace

Result<BenchSummary> run_bench(const BenchOptions &options) {
  if (Status s = validate(options); !s.ok()) return s;
  const auto started = std::chrono::steady_clock::now();
  BufferedFile file;
  if (Status s = file.open(options.out_file); !s.ok()) return s;
  BenchGenerator generator(options);
  BenchSummary summary;
  std::string line, previous;
  while (summary.lines < options.events) {
    std::string &out = file.buffer();
    if (!previous.empty() && generator.rng().chance(kBenchDuplicateRate)) {
      out += previous;  // a client retry: the same bytes again
      ++summary.duplicates;
    } else if (generator.rng().chance(kBenchMalformedRate)) {
      BenchSummary discarded;  // a torn write: this message never arrives whole
      generator.next_event(line, discarded);
      out.append(line, 0, line.size() / 2);
      ++summary.malformed;
    } else {
      generator.next_event(line, summary);
      out += line;
      previous.swap(line);
    }
    out += '\n';
    ++summary.lines;
    if (Status s = file.maybe_flush(); !s.ok()) return s;
  }
  if (Status s = file.close(); !s.ok()) return s;
  summary.bytes = file.bytes_written();
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

std::string describe(const BenchSummary &s, const std::filesystem::path &file) {
  char text[512];
  std::snprintf(
      text, sizeof text,
      "halo-datagen bench: %llu lines, %llu bytes (%.0f B/line) -> %s: %llu identify, "
      "%llu track (%llu Order Completed, %llu of them in store, revenue %s), %llu page, "
      "%llu duplicates, %llu malformed, %.2f s",
      static_cast<unsigned long long>(s.lines), static_cast<unsigned long long>(s.bytes),
      s.lines ? static_cast<double>(s.bytes) / static_cast<double>(s.lines) : 0.0, file.c_str(),
      static_cast<unsigned long long>(s.identify), static_cast<unsigned long long>(s.track),
      static_cast<unsigned long long>(s.order_completed),
      static_cast<unsigned long long>(s.in_store), money_string(s.revenue_minor).c_str(),
      static_cast<unsigned long long>(s.page), static_cast<unsigned long long>(s.duplicates),
      static_cast<unsigned long long>(s.malformed), s.seconds);
  return text;
}

}  // namespace halo::datagen
