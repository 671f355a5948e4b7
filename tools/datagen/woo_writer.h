// woo_writer.h -- woo_orders.json: a JSON array of WooCommerce wc/v3 orders
// (field names and types of the WooCommerce REST API's "Order properties",
// https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties).
//
// Invariants: every order carries the person's billing email and phone (in
// varied written forms); each shop customer's first order is completed or
// processing and carries all of the person's shop identifiers, so identity
// never depends on orders a pipeline might skip; only completed/processing
// orders count toward truth revenue (their `total`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "person_model.h"

namespace halo::datagen {

struct WooStats {
  uint64_t orders = 0;
  uint64_t counted_orders = 0;  // completed + processing
  int64_t counted_revenue_minor = 0;
  uint64_t mistyped_emails = 0;      // orders with a typo in the billing email
  uint64_t shared_phone_orders = 0;  // orders carrying a household member's phone
};

WooStats generate_woo_orders(std::vector<Person> &persons, uint64_t seed, std::string &out);

}  // namespace halo::datagen
