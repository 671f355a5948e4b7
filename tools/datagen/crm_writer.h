// crm_writer.h -- crm_contacts.csv: `crm_id,first_name,last_name,email,phone,created_at`.
//
// Invariants: one row per CRM person, in crm_id order; email always present
// (varied case), phone present when the person's CRM record has one (always
// when the person also shops at the till); names sometimes written with
// Arabic ي/ك; created_at is ISO-8601 UTC with Z.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "person_model.h"

namespace halo::datagen {

struct CrmStats {
  uint64_t rows = 0;
  uint64_t mistyped_names = 0;  // rows with a typo in the first or last name
};

CrmStats generate_crm_contacts(std::vector<Person> &persons, uint64_t seed, std::string &out);

}  // namespace halo::datagen
