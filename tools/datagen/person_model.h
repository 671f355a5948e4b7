// person_model.h -- the people behind the demo data set and the ground truth
// about them.
//
// Invariants (the end-to-end test relies on them):
//  * every identifier value belongs to exactly one person (emails and phones
//    embed the person's index, ids are bijections of it or counters), except
//    a household's shared phone: it belongs to the member whose shop order
//    carried it first, and is listed as `shared` for the other;
//  * a person's sources are chosen so their records connect: web/shop/CRM
//    share the email, the till shares the phone with shop/CRM/web, a loyalty
//    card is always seen next to a phone; a changed phone is linked both
//    before (first shop order) and after (CRM contact) the change; a
//    mistyped email only on an order that carries the shop account id;
//  * Truth holds only what the writers actually emitted in valid records,
//    in normalized form.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace halo::datagen {

enum Source : uint8_t {
  kWebAnonymous = 1,   // browses, never signs in (one device)
  kWebIdentified = 2,  // browses on 1-3 devices and signs in on each
  kWoo = 4,
  kCrm = 8,
  kPos = 16,
};

enum class IdKind { kEmail, kPhone, kUserId, kAnonymousId, kWooCustomerId, kPosCard, kCrmId };
inline constexpr size_t kIdKindCount = 7;
std::string_view id_kind_name(IdKind kind);  // "email", "phone", ..., "crm_id"

struct Truth {
  std::array<std::vector<std::string>, kIdKindCount> ids;  // sorted, unique once finalized
  // Values the person's records carried that belong to someone else (a
  // household member's phone); sorted, unique once finalized.
  std::array<std::vector<std::string>, kIdKindCount> shared;
  int64_t order_count = 0;
  int64_t revenue_minor = 0;

  void add(IdKind kind, std::string value) {
    ids[static_cast<size_t>(kind)].push_back(std::move(value));
  }
  void add_shared(IdKind kind, std::string value) {
    shared[static_cast<size_t>(kind)].push_back(std::move(value));
  }
  void add_order(int64_t total_minor) {
    ++order_count;
    revenue_minor += total_minor;
  }
  void finalize();  // sort + dedupe every list
};

struct Person {
  uint32_t index = 0;  // 0-based; key is P(index+1)
  std::string key;     // "P000001"
  uint8_t sources = 0;
  std::string_view first_name, last_name;  // Persian
  std::string email;                       // canonical: lower-case, trimmed
  std::string phone_national;              // "9121234567"
  std::string user_id;                     // only used with kWebIdentified
  int devices = 0;                         // web devices (anonymousIds)
  int64_t woo_customer_id = 0;             // 0 = always checks out as guest
  std::string pos_card;                    // empty = pays without loyalty card
  std::string crm_id;
  bool identify_has_phone = false;  // web identify traits carry the phone
  bool crm_has_phone = false;
  int64_t first_seen = 0;  // epoch seconds; the person's records start here

  // Hard cases for identity resolution (README "Hard cases").
  bool shares_phone = false;       // a household member: phone_national is the household's
  std::string new_phone_national;  // non-empty: switched to it at phone_changed_at
  int64_t phone_changed_at = 0;    // after the first shop order; the CRM has the new one
  std::string mistyped_email;      // non-empty: typed at one checkout (canonical form)

  Truth truth;

  bool has(Source s) const { return (sources & s) != 0; }
  // The phone the person gives at `when`.
  const std::string &phone_at(int64_t when) const {
    return !new_phone_national.empty() && when >= phone_changed_at ? new_phone_national
                                                                   : phone_national;
  }
  // The phone a system that keeps contacts up to date (the CRM) holds.
  const std::string &current_phone() const {
    return new_phone_national.empty() ? phone_national : new_phone_national;
  }
};

// Builds `customers` persons deterministically from `seed`.
std::vector<Person> build_population(uint64_t seed, uint32_t customers);

// The window all demo timestamps fall in: [kEpochStart, kEpochEnd).
extern const int64_t kEpochStart;  // 2025-01-01T00:00:00Z
extern const int64_t kEpochEnd;    // 2027-01-01T00:00:00Z

}  // namespace halo::datagen
