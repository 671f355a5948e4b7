// people.cpp -- FEBRL-style person records; see people.h.
#include "people.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "output_file.h"
#include "rng.h"

namespace halo::datagen {

namespace {

constexpr std::array<std::string_view, 40> kSyllables = {
    "an",  "bel", "car", "da",  "el",  "fin", "ga",  "han", "is",  "jo",
    "ka",  "lee", "ma",  "nor", "ol",  "pe",  "qui", "ra",  "sa",  "ta",
    "ul",  "ve",  "wil", "xa",  "ya",  "zo",  "ber", "ton", "ley", "son",
    "ric", "mar", "den", "ker", "lin", "ro",  "sha", "vin", "kel", "dor"};
constexpr std::array<std::string_view, 6> kStreetTypes = {"street", "road",     "avenue",
                                                          "place",  "crescent", "circuit"};
constexpr std::array<std::string_view, 8> kStates = {"nsw", "vic", "qld", "wa",
                                                     "sa",  "tas", "act", "nt"};

struct FebrlPerson {
  std::array<std::string, 10> fields;  // the columns after rec_id
};
enum Column {
  kGiven,
  kSurname,
  kNumber,
  kAddress1,
  kAddress2,
  kSuburb,
  kPostcode,
  kState,
  kDob,
  kSsn
};

// A skewed pick from [0, n): the minimum of two uniform draws favours small
// indices, so a few words are common and most are rare.
uint64_t skewed(Rng &rng, uint64_t n) {
  return std::min(rng.below(n), rng.below(n));
}

std::string word(Rng &rng, int syllables, uint64_t vocabulary_seed) {
  Rng local(derive_seed(vocabulary_seed, skewed(rng, 20000)));  // index -> one fixed word
  std::string w;
  for (int i = 0; i < syllables; ++i)
    w += local.pick(std::span<const std::string_view>(kSyllables));
  return w;
}

FebrlPerson make_person(Rng &rng, uint64_t seed) {
  FebrlPerson p;
  p.fields[kGiven] = word(rng, 2, derive_seed(seed, 1));
  p.fields[kSurname] = word(rng, 3, derive_seed(seed, 2));
  p.fields[kNumber] = std::to_string(rng.between(1, 300));
  p.fields[kAddress1] = word(rng, 2, derive_seed(seed, 3)) + " " +
                        std::string(rng.pick(std::span<const std::string_view>(kStreetTypes)));
  p.fields[kAddress2] = rng.chance(0.6) ? word(rng, 3, derive_seed(seed, 4)) : "";
  const uint64_t town = skewed(rng, 3000);
  Rng town_rng(derive_seed(seed, 1000 + town));
  p.fields[kSuburb] = word(town_rng, 2, derive_seed(seed, 5));
  p.fields[kPostcode] = std::to_string(2000 + town);
  p.fields[kState] = std::string(kStates[town % kStates.size()]);
  const int64_t year = rng.between(1920, 2010), month = rng.between(1, 12),
                day = rng.between(1, 28);
  char dob[16];
  std::snprintf(dob, sizeof dob, "%04lld%02lld%02lld", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day));
  p.fields[kDob] = dob;
  p.fields[kSsn] = std::to_string(rng.between(1000000, 9999999));
  return p;
}

void typo(Rng &rng, std::string &s) {
  if (s.size() < 2) return;
  const size_t at = rng.below(s.size() - 1);
  switch (rng.below(4)) {
    case 0:
      s.insert(at, 1, static_cast<char>('a' + rng.below(26)));
      break;
    case 1:
      s.erase(at, 1);
      break;
    case 2:
      s[at] = static_cast<char>('a' + rng.below(26));
      break;
    default:
      std::swap(s[at], s[at + 1]);
      break;
  }
}

void change_digit(Rng &rng, std::string &s) {
  if (s.empty()) return;
  s[rng.below(s.size())] = static_cast<char>('0' + rng.below(10));
}

void modify(Rng &rng, FebrlPerson &p) {
  const auto column = static_cast<Column>(rng.below(p.fields.size()));
  std::string &f = p.fields[column];
  const uint64_t kind = rng.below(10);
  if (kind == 0) {
    f.clear();  // left empty
  } else if (kind == 1 && (column == kGiven || column == kSurname)) {
    std::swap(p.fields[kGiven], p.fields[kSurname]);
  } else if (kind == 1 && column == kDob && f.size() == 8) {
    std::swap(f[4], f[6]);
    std::swap(f[5], f[7]);
  } else if (column == kNumber || column == kPostcode || column == kDob || column == kSsn) {
    change_digit(rng, f);
  } else if (column != kState) {
    typo(rng, f);
  }
}

void append_row(std::string &out, const std::string &id, const FebrlPerson &p) {
  out += id;
  for (const std::string &f : p.fields) {
    out += ", ";
    out += f;
  }
  out += '\n';
}

}  // namespace

Result<PeopleSummary> run_people(const PeopleOptions &options) {
  Rng rng(derive_seed(options.seed, 77));
  PeopleSummary summary;
  summary.originals = std::max<int64_t>(1, options.records * 6 / 10);
  summary.duplicates = std::max<int64_t>(0, options.records - summary.originals);
  std::vector<FebrlPerson> originals;
  originals.reserve(static_cast<size_t>(summary.originals));
  for (int64_t i = 0; i < summary.originals; ++i)
    originals.push_back(make_person(rng, options.seed));
  std::vector<int> copies(originals.size(), 0);
  BufferedFile file;
  if (Status s = file.open(options.out_file); !s.ok()) return s;
  file.buffer() =
      "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, "
      "state, date_of_birth, soc_sec_id\n";
  for (size_t i = 0; i < originals.size(); ++i) {
    append_row(file.buffer(), "rec-" + std::to_string(i) + "-org", originals[i]);
    if (Status s = file.maybe_flush(); !s.ok()) return s;
  }
  for (int64_t d = 0; d < summary.duplicates; ++d) {
    const size_t of = rng.below(originals.size());
    FebrlPerson dup = originals[of];
    const int64_t changes = rng.between(1, 3);
    for (int64_t c = 0; c < changes; ++c) modify(rng, dup);
    append_row(file.buffer(), "rec-" + std::to_string(of) + "-dup-" + std::to_string(copies[of]++),
               dup);
    if (Status s = file.maybe_flush(); !s.ok()) return s;
  }
  if (Status s = file.close(); !s.ok()) return s;
  return summary;
}

}  // namespace halo::datagen
