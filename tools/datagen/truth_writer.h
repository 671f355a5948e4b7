// truth_writer.h -- truth.jsonl (one line per person) and summary.json.
//
// truth.jsonl line: {"person":"P000001","identifiers":{"email":[...],
// "phone":[...],"user_id":[...],"anonymous_id":[...],"woo_customer_id":[...],
// "pos_card":[...],"crm_id":[...]},"order_count":N,"revenue":"123.45"}
// Invariants: every key is always present (lists may be empty); lists are
// sorted and normalized; revenue is exact (integer minor units formatted).
#pragma once

#include <string>
#include <vector>

#include "person_model.h"

namespace halo::datagen {

struct DemoSummary;

// Persons' truth must be finalized first.
void render_truth(const std::vector<Person> &persons, std::string &out);
void render_summary(const DemoSummary &summary, std::string &out);

}  // namespace halo::datagen
