// pos_writer.h -- pos_sales.csv: a till's nightly export, our own format
// (tools/datagen/README.md, "pos_sales.csv"; read by the pos-csv plugin,
// plugins/pos-csv/README.md "Mapping").
//
// Format: UTF-8 with BOM, Persian headers
//   شماره فاکتور,شماره کارت,تلفن,مبلغ,تاریخ,شعبه
// (receipt id, loyalty card or empty, phone or empty, amount as a plain
// decimal, "YYYY-MM-DD HH:MM:SS" local time treated as UTC, branch name).
// Invariants: every valid row has a phone or a card; each card's first row
// also has the phone; exactly one valid row has a quoted branch containing a
// comma; a few extra rows have the wrong column count and are not in truth.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "person_model.h"

namespace halo::datagen {

struct PosStats {
  uint64_t rows = 0;        // data rows, header excluded
  uint64_t valid_rows = 0;  // each becomes an Order Completed
  uint64_t bad_rows = 0;    // wrong column count: dead-lettered
  // Rows with the loyalty card and the cashier's placeholder phone
  // (kPlaceholderPhone) instead of none: the card identifies the customer,
  // the placeholder must identify nobody.
  uint64_t placeholder_phones = 0;
  int64_t revenue_minor = 0;
};

PosStats generate_pos_sales(std::vector<Person> &persons, uint64_t seed, std::string &out);

}  // namespace halo::datagen
