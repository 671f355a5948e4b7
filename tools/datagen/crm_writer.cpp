// crm_writer.cpp -- see crm_writer.h.
#include "crm_writer.h"

#include "identity_forms.h"
#include "rng.h"
#include "text_format.h"

namespace halo::datagen {

namespace {
std::string maybe_arabic(std::string_view name, Rng &rng) {
  return rng.chance(0.3) ? to_arabic_letters(name) : std::string(name);
}
}  // namespace

CrmStats generate_crm_contacts(std::vector<Person> &persons, uint64_t seed, std::string &out) {
  Rng rng(derive_seed(seed, 0x43524D0000000000ULL));  // "CRM"
  CrmStats stats;
  out += "crm_id,first_name,last_name,email,phone,created_at\n";
  for (Person &p : persons) {
    if (!p.has(kCrm)) continue;
    const std::string phone =
        p.crm_has_phone ? phone_variant(p.phone_national, rng) : std::string();
    append_csv_field(out, p.crm_id);
    out += ',';
    append_csv_field(out, maybe_arabic(p.first_name, rng));
    out += ',';
    append_csv_field(out, maybe_arabic(p.last_name, rng));
    out += ',';
    append_csv_field(out, email_variant(p.email, rng, false));
    out += ',';
    append_csv_field(out, phone);
    out += ',';
    append_iso_no_zone(out, p.first_seen + rng.between(0, 60 * 86400));
    out += "Z\n";
    p.truth.add(IdKind::kCrmId, p.crm_id);
    p.truth.add(IdKind::kEmail, p.email);
    if (!phone.empty()) p.truth.add(IdKind::kPhone, phone_e164(p.phone_national));
    ++stats.rows;
  }
  return stats;
}

}  // namespace halo::datagen
