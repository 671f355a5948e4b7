// crm_writer.cpp -- see crm_writer.h.
#include "crm_writer.h"

#include <utility>

#include "identity_forms.h"
#include "rng.h"
#include "text_format.h"
#include "typos.h"

namespace halo::datagen {

namespace {
std::string maybe_arabic(std::string_view name, Rng &rng) {
  return rng.chance(0.3) ? to_arabic_letters(name) : std::string(name);
}

// One contact in ten has a typo in the first or the last name, never both.
std::pair<std::string, std::string> typed_names(const Person &p, Rng &typos, CrmStats &stats) {
  std::string first(p.first_name), last(p.last_name);
  if (typos.chance(0.1)) {
    std::string &name = typos.chance(0.5) ? first : last;
    const std::string typed = mistype_name(name, typos);
    stats.mistyped_names += typed != name;
    name = typed;
  }
  return {first, last};
}
}  // namespace

CrmStats generate_crm_contacts(std::vector<Person> &persons, uint64_t seed, std::string &out) {
  Rng rng(derive_seed(seed, 0x43524D0000000000ULL));    // "CRM"
  Rng typos(derive_seed(seed, 0x43524D5459504F00ULL));  // "CRMTYPO"
  CrmStats stats;
  out += "crm_id,first_name,last_name,email,phone,created_at\n";
  for (Person &p : persons) {
    if (!p.has(kCrm)) continue;
    const std::string phone =
        p.crm_has_phone ? phone_variant(p.current_phone(), rng) : std::string();
    const auto [first_name, last_name] = typed_names(p, typos, stats);
    append_csv_field(out, p.crm_id);
    out += ',';
    append_csv_field(out, maybe_arabic(first_name, rng));
    out += ',';
    append_csv_field(out, maybe_arabic(last_name, rng));
    out += ',';
    append_csv_field(out, email_variant(p.email, rng, false));
    out += ',';
    append_csv_field(out, phone);
    out += ',';
    append_iso_no_zone(out, p.first_seen + rng.between(0, 60 * 86400));
    out += "Z\n";
    p.truth.add(IdKind::kCrmId, p.crm_id);
    p.truth.add(IdKind::kEmail, p.email);
    if (!phone.empty()) p.truth.add(IdKind::kPhone, phone_e164(p.current_phone()));
    ++stats.rows;
  }
  return stats;
}

}  // namespace halo::datagen
