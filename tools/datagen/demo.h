// demo.h -- `halo-datagen demo`: the five source files plus ground truth for
// the end-to-end identity test (tools/datagen/README.md).
//
// Invariant: same seed + customers -> byte-identical files.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/status.h"
#include "crm_writer.h"
#include "pos_writer.h"
#include "web_writer.h"
#include "woo_writer.h"

namespace halo::datagen {

struct DemoOptions {
  std::filesystem::path out_dir;
  uint32_t customers = 10000;
  uint64_t seed = 42;
};

struct DemoSummary {
  uint64_t seed = 0;
  int64_t persons = 0;
  int64_t order_completed = 0;  // counted Woo orders + valid POS rows
  int64_t revenue_minor = 0;
  int64_t changed_phones = 0;  // persons who switched to a new number
  int64_t households = 0;      // pairs of shop customers sharing one phone
  WebStats web;
  WooStats woo;
  PosStats pos;
  CrmStats crm;
};

// Upper bound for --customers: identifiers embed the person index uniquely
// only up to 10^7, and all files are built in memory (~10 KB per person).
inline constexpr uint32_t kMaxDemoCustomers = 1000000;

// Writes web_events.jsonl, woo_orders.json, pos_sales.csv, crm_contacts.csv,
// truth.jsonl and summary.json into options.out_dir (created if missing).
Result<DemoSummary> run_demo(const DemoOptions &options);

}  // namespace halo::datagen
