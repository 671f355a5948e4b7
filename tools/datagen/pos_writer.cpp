// pos_writer.cpp -- see pos_writer.h.
#include "pos_writer.h"

#include <algorithm>
#include <cstdio>

#include "catalog.h"
#include "identity_forms.h"
#include "rng.h"
#include "text_format.h"

namespace halo::datagen {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kHeader = "شماره فاکتور,شماره کارت,تلفن,مبلغ,تاریخ,شعبه\n";
constexpr std::string_view kBranchWithComma = "پاسداران, شعبه ۲";

struct Sale {
  int64_t when;
  uint64_t seq;
  std::string card, phone;
  int64_t amount_rial;
  std::string_view branch;
  bool bad = false;  // written with the wrong column count
};

// What a cashier types when the till insists on a phone and the customer
// gives none (placeholder values are blocked by Halo's identity rules).
constexpr std::string_view kPlaceholderPhone = "09120000000";

void draw_person_sales(Person &p, Rng &rng, Rng &placeholders, std::vector<Sale> &sales,
                       PosStats &stats) {
  const int count = static_cast<int>(rng.between(1, 5));
  int64_t when = p.first_seen + rng.between(0, 30 * 86400);
  for (int n = 0; n < count; ++n) {
    Sale s;
    s.when = when;
    s.seq = sales.size();
    s.amount_rial = rng.between(15, 2500) * 10000;
    s.branch = rng.pick(pos_branches());
    const uint64_t roll = rng.below(100);
    const bool with_card = !p.pos_card.empty() && (n == 0 || roll < 80);
    const bool with_phone = p.pos_card.empty() || n == 0 || roll >= 45;
    if (with_card) {
      s.card = p.pos_card;
      p.truth.add(IdKind::kPosCard, p.pos_card);
    }
    if (with_phone) {
      s.phone = phone_variant(p.phone_at(when), rng);
      p.truth.add(IdKind::kPhone, phone_e164(p.phone_at(when)));
    } else if (with_card && placeholders.chance(0.3)) {
      s.phone = kPlaceholderPhone;  // not in the truth: it identifies nobody
      ++stats.placeholder_phones;
    }
    p.truth.add_order(s.amount_rial * 100);
    sales.push_back(std::move(s));
    when += rng.between(86400, 15 * 86400);
  }
}

// A row the till mangled: the date dropped, or an unquoted decimal comma.
Sale draw_bad_sale(const Person &p, Rng &rng, uint64_t seq) {
  Sale s;
  s.when = p.first_seen + rng.between(0, 30 * 86400);
  s.seq = seq;
  s.phone = phone_variant(p.phone_national, rng);
  s.amount_rial = rng.between(15, 2500) * 10000;
  s.branch = rng.pick(pos_branches());
  s.bad = true;
  return s;
}

void render_sale(std::string &out, const Sale &s, int64_t receipt, Rng &rng) {
  char receipt_id[24];
  std::snprintf(receipt_id, sizeof receipt_id, "INV-%07lld", static_cast<long long>(receipt));
  out += receipt_id;
  out += ',';
  append_csv_field(out, s.card);
  out += ',';
  append_csv_field(out, s.phone);
  out += ',';
  append_int(out, s.amount_rial);
  // A bad row either splits its amount ("1250000,50": 7 fields) or lost its date (5 fields).
  const bool split_amount = s.bad && rng.chance(0.5);
  if (split_amount) out += ",50";
  if (!s.bad || split_amount) {
    out += ',';
    append_space_datetime(out, s.when);
  }
  out += ',';
  append_csv_field(out, s.branch);
  out += '\n';
}

}  // namespace

PosStats generate_pos_sales(std::vector<Person> &persons, uint64_t seed, std::string &out) {
  Rng rng(derive_seed(seed, 0x504F530000000000ULL));  // "POS"
  // A stream of its own, so the sales themselves stay what they were.
  Rng placeholders(derive_seed(seed, 0x504F53504C414345ULL));  // "POSPLACE"
  std::vector<Sale> sales;
  std::vector<const Person *> till_customers;
  PosStats stats;
  for (Person &p : persons) {
    if (!p.has(kPos)) continue;
    draw_person_sales(p, rng, placeholders, sales, stats);
    till_customers.push_back(&p);
  }
  stats.valid_rows = sales.size();
  for (const Sale &s : sales) stats.revenue_minor += s.amount_rial * 100;
  if (!sales.empty()) {
    sales[rng.below(sales.size())].branch = kBranchWithComma;
    const uint64_t bad_rows = 2 + sales.size() / 5000;
    for (uint64_t i = 0; i < bad_rows; ++i) {
      const Person &p = *till_customers[rng.below(till_customers.size())];
      sales.push_back(draw_bad_sale(p, rng, sales.size()));
    }
    stats.bad_rows = bad_rows;
  }
  std::sort(sales.begin(), sales.end(), [](const Sale &a, const Sale &b) {
    return a.when != b.when ? a.when < b.when : a.seq < b.seq;
  });
  out += kBom;
  out += kHeader;
  int64_t receipt = 1000000;
  for (const Sale &s : sales) render_sale(out, s, ++receipt, rng);
  stats.rows = sales.size();
  return stats;
}

}  // namespace halo::datagen
