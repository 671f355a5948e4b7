// person_model.cpp -- see person_model.h. Each person draws from its own
// random stream, so adding a source never shifts another person's values.
#include "person_model.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "catalog.h"
#include "rng.h"
#include "text_format.h"
#include "typos.h"

namespace halo::datagen {

const int64_t kEpochStart = epoch_from_civil(2025, 1, 1);
const int64_t kEpochEnd = epoch_from_civil(2027, 1, 1);

std::string_view id_kind_name(IdKind kind) {
  static constexpr std::array<std::string_view, kIdKindCount> kNames = {
      "email", "phone", "user_id", "anonymous_id", "woo_customer_id", "pos_card", "crm_id"};
  return kNames[static_cast<size_t>(kind)];
}

void Truth::finalize() {
  for (auto *lists : {&ids, &shared}) {
    for (auto &list : *lists) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    }
  }
}

namespace {

struct Archetype {
  uint8_t sources;
  int per_mille;
};

// The mix of who appears where; weights sum to 1000.
constexpr std::array kArchetypes = {
    Archetype{kWebAnonymous, 200},
    Archetype{kWebIdentified, 120},
    Archetype{kWebIdentified | kWoo, 180},
    Archetype{kWebIdentified | kWoo | kCrm, 80},
    Archetype{kWoo, 70},
    Archetype{kWoo | kCrm | kPos, 100},
    Archetype{kCrm | kPos, 70},
    Archetype{kPos, 80},
    Archetype{kCrm, 40},
    Archetype{kWebIdentified | kWoo | kCrm | kPos, 60},
};

uint8_t draw_sources(Rng &rng) {
  int roll = static_cast<int>(rng.below(1000));
  for (const Archetype &a : kArchetypes) {
    if (roll < a.per_mille) return a.sources;
    roll -= a.per_mille;
  }
  return kArchetypes.back().sources;
}

// Unique per person: the digits before '@' are exactly index+1 and no latin
// name contains a digit.
std::string make_email(const Name &first, const Name &last, uint32_t index, Rng &rng) {
  std::string local;
  switch (rng.below(3)) {
    case 0:
      local = std::string(first.latin) + "." + std::string(last.latin);
      break;
    case 1:
      local = std::string(first.latin);
      break;
    default:
      local = std::string(first.latin.substr(0, 1)) + "." + std::string(last.latin);
  }
  local += std::to_string(index + 1);
  return local + "@" + std::string(rng.pick(email_domains()));
}

// Unique per person: 7919 is coprime with 10^7, so the subscriber part is a
// bijection of the index for up to 10^7 persons.
std::string subscriber_digits(uint32_t index) {
  const uint64_t subscriber = (uint64_t{index} * 7919 + 1234567) % 10000000;
  char digits[8];
  std::snprintf(digits, sizeof digits, "%07llu", static_cast<unsigned long long>(subscriber));
  return digits;
}

std::string make_phone_national(uint32_t index, Rng &rng) {
  static constexpr std::array<std::string_view, 6> kOperators = {"912", "935", "901",
                                                                 "919", "936", "922"};
  return std::string(rng.pick(std::span<const std::string_view>(kOperators))) +
         subscriber_digits(index);
}

// A number the person switched to: operator codes make_phone_national never
// uses, so it is unique too.
std::string make_new_phone_national(uint32_t index, Rng &rng) {
  static constexpr std::array<std::string_view, 3> kOperators = {"990", "991", "993"};
  return std::string(rng.pick(std::span<const std::string_view>(kOperators))) +
         subscriber_digits(index);
}

// 48271 is coprime with 10^8: a bijection of the index.
std::string make_pos_card(uint32_t index) {
  char card[16];
  std::snprintf(card, sizeof card, "LC%08llu",
                static_cast<unsigned long long>((uint64_t{index} * 48271 + 10000000) % 100000000));
  return card;
}

std::string make_user_id(uint32_t index) {
  char id[24];
  std::snprintf(id, sizeof id, "usr_%012llx",
                static_cast<unsigned long long>(splitmix64(index) & 0xFFFFFFFFFFFFULL));
  return id;
}

constexpr int64_t kDay = 86400;

// The hard cases draw from streams of their own, so every other value of a
// person (and every file's other records) stays what it was without them.
void add_hard_cases(std::vector<Person> &persons, uint64_t seed) {
  const uint64_t hard_seed = derive_seed(seed, 0x4841524400000000ULL);  // "HARD"
  for (Person &p : persons) {
    Rng rng(derive_seed(hard_seed, p.index + 1));
    // A CRM that keeps contacts current holds the new number; the first
    // shop order (within 30 days of first_seen) still carries the old one.
    if (p.has(kWoo) && p.has(kCrm) && rng.chance(0.25)) {
      p.new_phone_national = make_new_phone_national(p.index, rng);
      p.phone_changed_at = p.first_seen + rng.between(31 * kDay, 120 * kDay);
      p.crm_has_phone = true;
    }
    if (p.woo_customer_id > 0 && rng.chance(0.2)) p.mistyped_email = mistype_email(p.email, rng);
  }
  // Households: two shop-only customers, each with their own account and
  // email, give the same phone at checkout. Only the account ids
  // (max_per_profile: 1) can keep them apart.
  Rng rng(derive_seed(hard_seed, 0));
  Person *waiting = nullptr;
  for (Person &p : persons) {
    if (p.sources != kWoo || p.woo_customer_id == 0) continue;
    if (waiting == nullptr) {
      waiting = &p;
    } else if (rng.chance(0.4)) {
      p.phone_national = waiting->phone_national;
      p.shares_phone = waiting->shares_phone = true;
      waiting = nullptr;
    } else {
      waiting = &p;
    }
  }
}

}  // namespace

std::vector<Person> build_population(uint64_t seed, uint32_t customers) {
  std::vector<Person> persons(customers);
  int64_t next_woo_customer_id = 1;
  int next_crm = 1;
  // Persons start early enough that ~90 days of activity stays inside the window.
  const int64_t last_start = epoch_from_civil(2026, 9, 30);
  for (uint32_t i = 0; i < customers; ++i) {
    Rng rng(derive_seed(seed, i + 1));
    Person &p = persons[i];
    p.index = i;
    char key[16];
    std::snprintf(key, sizeof key, "P%06u", i + 1);
    p.key = key;
    p.sources = draw_sources(rng);
    const Name &first = rng.pick(first_names());
    const Name &last = rng.pick(last_names());
    p.first_name = first.persian;
    p.last_name = last.persian;
    p.email = make_email(first, last, i, rng);
    p.phone_national = make_phone_national(i, rng);
    p.first_seen = rng.between(kEpochStart, last_start);
    if (p.has(kWebAnonymous)) p.devices = 1;
    if (p.has(kWebIdentified)) {
      p.devices = static_cast<int>(rng.between(1, 3));
      p.user_id = make_user_id(i);
      // A till-and-web-only shopper must reveal the phone online to be linked.
      p.identify_has_phone = (p.has(kPos) && !p.has(kWoo) && !p.has(kCrm)) || rng.chance(0.3);
    }
    if (p.has(kWoo) && rng.chance(0.65)) {
      next_woo_customer_id += rng.between(1, 3);  // gaps: deleted accounts
      p.woo_customer_id = next_woo_customer_id;
    }
    if (p.has(kPos) && rng.chance(0.6)) p.pos_card = make_pos_card(i);
    if (p.has(kCrm)) {
      char crm[16];
      std::snprintf(crm, sizeof crm, "CRM-%06d", next_crm++);
      p.crm_id = crm;
      p.crm_has_phone = p.has(kPos) || rng.chance(0.8);
    }
  }
  add_hard_cases(persons, seed);
  return persons;
}

}  // namespace halo::datagen
