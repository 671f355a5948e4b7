// joint_fixture.h -- the people of the all-sources acceptance test and the
// fixture records each system holds about them.
//
// Units (one currency for every source, so totals add up exactly): all
// money is IRR in rial, minor units 0. The WooCommerce server runs with
// `--currency IRR` (whole-number totals), Square with `--currency IRR` and
// the plugin's `currency_minor_units: 0`, and the till exports toman that
// pos-csv converts to rial (x10).
//
// Invariants: everything is deterministic (no clock, no randomness); the
// records are read back from the servers' own fixture dumps (what they
// actually serve), never restated here.
#pragma once

#include "identity_oracle.h"

#include <string>
#include <vector>

namespace halo::connectors_e2e {

struct Person {
  std::string first_name, last_name, email, phone;  // phone in E.164
  bool in_woo = false, in_crm = false, in_square = false, in_pos = false;
  bool crm_without_phone = false;     // joins the others by email only
  bool square_without_email = false;  // joins the others by phone only
  int systems() const { return in_woo + in_crm + in_square + in_pos; }
};

// Twelve people covering every way of being in one to four systems.
std::vector<Person> make_people();

enum class System { woo, crm, square };
// The JSON array for a server's --people: the people in `system`, in
// order, with the fields that system does not know left empty.
std::string people_json(const std::vector<Person> &people, System system);

struct PosSale {
  std::string invoice, jalali_time, card, phone_text, amount_text;
  int64_t toman = 0;  // negative: a refund
};
// Till sales: people in the POS identified by a loyalty card and their
// phone in another written form (Persian digits, national form), plus a
// walk-in card without a phone and one refund.
std::vector<PosSale> make_pos_sales(const std::vector<Person> &people);
// The export file (UTF-8 with BOM, Persian headers).
std::string pos_csv(const std::vector<PosSale> &sales);

// Records from the servers' --dump files (and the sales written above).
std::vector<FixtureRecord> woo_records(const std::string &dump_path);
std::vector<FixtureRecord> hubspot_records(const std::string &dump_path);
std::vector<FixtureRecord> square_records(const std::string &dump_path,
                                          const std::vector<std::string> &locations);
std::vector<FixtureRecord> pos_records(const std::vector<PosSale> &sales);

}  // namespace halo::connectors_e2e
