// cdnow.h -- readers of the CDNOW files in tests/data/cdnow (see its
// LICENSE: redistributed by the lifetimes package, MIT): the 1/10 sample
// transaction log and its published calibration summary (weeks, the first
// 39 weeks of 1997: calibration ends 1997-09-30).
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "purchase_history.h"

namespace halo::clv::testing {

inline std::string cdnow_path(const std::string &file) {
  return std::string(HALO_SOURCE_DIR) + "/tests/data/cdnow/" + file;
}

// ID,x,t_x,T,zbar per line after the header, by customer ID.
inline std::map<int, CustomerSummary> published_summaries() {
  std::ifstream in(cdnow_path("cdnow_customers_summary_with_transactions.csv"));
  EXPECT_TRUE(in) << "missing CDNOW summary";
  std::map<int, CustomerSummary> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::replace(line.begin(), line.end(), ',', ' ');
    std::istringstream fields(line);
    int id = 0;
    CustomerSummary c;
    fields >> id >> c.x >> c.t_x >> c.T >> c.mean_repeat_value;
    EXPECT_TRUE(fields) << line;
    out[id] = c;
  }
  return out;
}

// Transactions per sample id: "customer_id sample_id YYYYMMDD cds dollars".
inline std::map<int, std::vector<Purchase>> sample_purchases() {
  std::ifstream in(cdnow_path("CDNOW_sample.txt"));
  EXPECT_TRUE(in) << "missing CDNOW sample";
  std::map<int, std::vector<Purchase>> out;
  std::string customer, date;
  int sample = 0, cds = 0;
  double dollars = 0;
  while (in >> customer >> sample >> date >> cds >> dollars) {
    int64_t day = day_of_yyyymmdd(date);
    EXPECT_GE(day, 0) << date;
    out[sample].push_back({day, dollars});
  }
  return out;
}

inline std::vector<CustomerSummary> as_vector(const std::map<int, CustomerSummary> &m) {
  std::vector<CustomerSummary> v;
  for (const auto &[id, c] : m) v.push_back(c);
  return v;
}

}  // namespace halo::clv::testing
