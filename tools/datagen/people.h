// people.h -- person records with known duplicates, in the columns of the
// Febrl data generator (P. Christen, "Probabilistic data generation for
// deduplication and data linkage", IDEAL 2005), for measuring the
// probabilistic resolver at sizes the published FEBRL files do not reach.
//
// Output: a CSV file with the header
//   rec_id, given_name, surname, street_number, address_1, address_2,
//   suburb, postcode, state, date_of_birth, soc_sec_id
// Originals are rec-N-org; a duplicate of N is rec-N-dup-K. About 60% of
// the records are originals; each duplicate copies a random original and
// changes one to three fields in the ways data entry does: a typo (a letter
// inserted, dropped, replaced or two swapped), a field left empty, given
// name and surname exchanged, a digit of a date, postcode or id changed,
// day and month of a date exchanged. Names are built from syllables with a
// skewed frequency, so common names repeat as in real files.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/status.h"

namespace halo::datagen {

struct PeopleOptions {
  std::filesystem::path out_file;
  int64_t records = 10000;
  uint64_t seed = 42;
};

struct PeopleSummary {
  int64_t originals = 0;
  int64_t duplicates = 0;
};

Result<PeopleSummary> run_people(const PeopleOptions &options);

}  // namespace halo::datagen
