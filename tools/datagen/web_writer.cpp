// web_writer.cpp -- see web_writer.h. Lines are produced per person and then
// sorted by time, as a collector would have received them.
#include "web_writer.h"

#include <algorithm>

#include "catalog.h"
#include "identity_forms.h"
#include "rng.h"
#include "segment_event.h"
#include "text_format.h"

namespace halo::datagen {

namespace {

constexpr double kDuplicateRate = 0.015;
constexpr double kMalformedRate = 0.005;

struct TimedLine {
  int64_t timestamp;
  int millis;
  uint64_t seq;
  std::string text;
};

// What one device of one person emits, with the device's fixed context.
class DeviceJourney {
 public:
  DeviceJourney(Person &person, Rng &rng, UuidFactory &uuids, std::vector<TimedLine> &lines,
                WebStats &stats)
      : person_(person), rng_(rng), uuids_(uuids), lines_(lines), stats_(stats) {
    anonymous_id_ = uuids_.make(rng_);
    user_agent_ = rng_.pick(user_agents());
    ip_ = static_cast<uint32_t>(rng_.between(0x05000000, 0xDF000000));
  }

  void run(int64_t start) {
    const bool identified = person_.has(kWebIdentified);
    const int sessions = static_cast<int>(rng_.between(1, 3));
    const int sign_in_session = identified ? static_cast<int>(rng_.below(sessions)) : -1;
    now_ = start;
    for (int s = 0; s < sessions; ++s) {
      if (s > 0) now_ += rng_.between(3600, 15 * 86400);
      session(s == sign_in_session);
    }
  }

 private:
  void session(bool signs_in) {
    page("/", "خانه", "https://www.google.com/");
    if (signs_in) {
      page("/my-account", "حساب کاربری", "");
      identify();
    }
    const int views = static_cast<int>(rng_.between(1, 3));
    const Product *last = nullptr;
    for (int v = 0; v < views; ++v) {
      last = &rng_.pick(products());
      std::string path = "/product/" + std::string(last->slug);
      if (rng_.chance(0.5)) page(path, last->name, "");  // not every tracker sends both
      track_product("Product Viewed", *last, path, "");
    }
    if (!rng_.chance(0.4)) return;
    const std::string cart_id = "cart_" + uuids_.make(rng_).substr(0, 8);
    std::string path = "/product/" + std::string(last->slug);
    track_product("Product Added", *last, path, cart_id);
    if (rng_.chance(0.4)) checkout_started(*last, cart_id);
  }

  SegmentEvent base(std::string_view path, std::string_view title, std::string_view referrer) {
    now_ += rng_.between(5, 300);
    SegmentEvent e;
    e.anonymous_id = anonymous_id_;
    e.user_id = signed_in_ ? std::string_view(person_.user_id) : std::string_view();
    e.timestamp = now_;
    e.millis = static_cast<int>(rng_.below(1000));
    e.page_path = path;
    e.page_title = title;
    e.referrer = referrer;
    e.user_agent = user_agent_;
    e.ip = ip_;
    return e;
  }

  // Signed-in tracks sometimes repeat the email in context.traits.
  void maybe_context_email(SegmentEvent &e, std::string &email_text) {
    if (!signed_in_ || !rng_.chance(0.5)) return;
    email_text = email_variant(person_.email, rng_, false);
    e.context_email = email_text;
    person_.truth.add(IdKind::kEmail, person_.email);
  }

  void page(std::string_view path, std::string_view title, std::string_view referrer) {
    SegmentEvent e = base(path, title, referrer);
    e.type = SegmentType::kPage;
    emit(e);
  }

  void track_product(std::string_view name, const Product &product, std::string_view path,
                     std::string_view cart_id) {
    SegmentEvent e = base(path, product.name, "");
    const LineItem item{&product, static_cast<int>(rng_.between(1, 2))};
    e.event = name;
    e.items = std::span<const LineItem>(&item, 1);
    e.cart_id = cart_id;
    std::string email_text;
    maybe_context_email(e, email_text);
    emit(e);
  }

  void checkout_started(const Product &product, std::string_view cart_id) {
    SegmentEvent e = base("/checkout", "تسویه حساب", "");
    const LineItem item{&product, 1};
    e.event = "Checkout Started";
    e.items = std::span<const LineItem>(&item, 1);
    e.cart_id = cart_id;
    e.revenue_minor = items_total_minor(e.items);
    std::string email_text;
    maybe_context_email(e, email_text);
    emit(e);
  }

  void identify() {
    SegmentEvent e = base("/my-account", "حساب کاربری", "");
    e.type = SegmentType::kIdentify;
    signed_in_ = true;
    e.user_id = person_.user_id;
    const std::string email = email_variant(person_.email, rng_, true);
    const std::string &number = person_.phone_at(e.timestamp);
    const std::string phone =
        person_.identify_has_phone ? phone_variant(number, rng_) : std::string();
    e.trait_email = email;
    e.trait_first_name = person_.first_name;
    e.trait_last_name = person_.last_name;
    e.trait_phone = phone;
    if (rng_.chance(0.3)) e.context_email = email;
    person_.truth.add(IdKind::kUserId, person_.user_id);
    person_.truth.add(IdKind::kEmail, person_.email);
    if (!phone.empty()) person_.truth.add(IdKind::kPhone, phone_e164(number));
    emit(e);
  }

  void emit(SegmentEvent &e) {
    const std::string message_id = uuids_.make(rng_);
    e.message_id = message_id;
    std::string line;
    render_segment_event(line, e);
    if (e.anonymous_id == anonymous_id_) person_.truth.add(IdKind::kAnonymousId, anonymous_id_);
    ++stats_.valid_events;
    if (rng_.chance(kDuplicateRate)) {
      ++stats_.duplicates;  // the same bytes re-sent a little later
      push(e.timestamp + rng_.between(1, 600), e.millis, line);
    }
    if (rng_.chance(kMalformedRate)) push_malformed(e, line);
    push(e.timestamp, e.millis, std::move(line));
  }

  void push_malformed(SegmentEvent e, const std::string &valid_line) {
    ++stats_.malformed;
    const std::string message_id = uuids_.make(rng_);
    e.message_id = message_id;
    std::string bad;
    switch (rng_.below(3)) {
      case 0:  // cut off mid-write: never ends with the closing brace
        bad = valid_line.substr(0, rng_.between(valid_line.size() / 4, valid_line.size() - 2));
        break;
      case 1: {  // a byte that is never valid UTF-8, inside the page title
        render_segment_event(bad, e);
        const size_t at = bad.find("\"title\":\"");
        bad.insert(at + 9, "\xFF");
        break;
      }
      default:  // well-formed JSON but no `type`
        e.omit_type = true;
        render_segment_event(bad, e);
    }
    push(e.timestamp + 1, e.millis, std::move(bad));
  }

  void push(int64_t timestamp, int millis, std::string text) {
    lines_.push_back({timestamp, millis, lines_.size(), std::move(text)});
  }

  Person &person_;
  Rng &rng_;
  UuidFactory &uuids_;
  std::vector<TimedLine> &lines_;
  WebStats &stats_;
  std::string anonymous_id_;
  std::string_view user_agent_;
  uint32_t ip_ = 0;
  int64_t now_ = 0;
  bool signed_in_ = false;
};

}  // namespace

WebStats generate_web_events(std::vector<Person> &persons, uint64_t seed, std::string &out) {
  Rng rng(derive_seed(seed, 0x5745420000000000ULL));  // "WEB"
  UuidFactory uuids;
  std::vector<TimedLine> lines;
  WebStats stats;
  for (Person &person : persons) {
    if (!person.has(kWebAnonymous) && !person.has(kWebIdentified)) continue;
    for (int d = 0; d < person.devices; ++d) {
      DeviceJourney journey(person, rng, uuids, lines, stats);
      journey.run(person.first_seen + rng.between(0, 20 * 86400) * (d > 0));
    }
  }
  std::sort(lines.begin(), lines.end(), [](const TimedLine &a, const TimedLine &b) {
    if (a.timestamp != b.timestamp) return a.timestamp < b.timestamp;
    if (a.millis != b.millis) return a.millis < b.millis;
    return a.seq < b.seq;
  });
  for (const TimedLine &line : lines) {
    out += line.text;
    out += '\n';
  }
  stats.lines = lines.size();
  return stats;
}

}  // namespace halo::datagen
