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

#include "common/civil_date.h"
#include "purchase_days.h"

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

// Days since 1970-01-01 of a YYYYMMDD date; -1 when it is not a valid date.
inline int64_t day_of_yyyymmdd(const std::string &text) {
  if (text.size() != 8 || text.find_first_not_of("0123456789") != std::string::npos) return -1;
  const int64_t y = std::stoll(text.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(text.substr(4, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(text.substr(6, 2)));
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return -1;
  return days_from_civil(y, m, d);
}

// Orders per sample id, by day: "customer_id sample_id YYYYMMDD cds dollars".
inline std::map<int, PurchaseDays> sample_purchases() {
  std::ifstream in(cdnow_path("CDNOW_sample.txt"));
  EXPECT_TRUE(in) << "missing CDNOW sample";
  std::map<int, PurchaseDays> out;
  std::string customer, date;
  int sample = 0, cds = 0;
  double dollars = 0;
  while (in >> customer >> sample >> date >> cds >> dollars) {
    int64_t day = day_of_yyyymmdd(date);
    EXPECT_GE(day, 0) << date;
    out[sample].add(static_cast<int32_t>(day), dollars);
  }
  return out;
}

inline std::vector<CustomerSummary> as_vector(const std::map<int, CustomerSummary> &m) {
  std::vector<CustomerSummary> v;
  for (const auto &[id, c] : m) v.push_back(c);
  return v;
}

}  // namespace halo::clv::testing
