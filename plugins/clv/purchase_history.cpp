// purchase_history.cpp -- see purchase_history.h.
#include "purchase_history.h"

#include <algorithm>
#include <charconv>

namespace halo::clv {

namespace {

// Days from civil date (proleptic Gregorian), after H. Hinnant's
// "chrono-Compatible Low-Level Date Algorithms".
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

}  // namespace

int64_t day_of_yyyymmdd(const std::string &text) {
  if (text.size() != 8) return -1;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return -1;
  const int64_t y = v / 10000;
  const unsigned m = static_cast<unsigned>(v / 100 % 100), d = static_cast<unsigned>(v % 100);
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return -1;
  if (d > kDays[m - 1] + (m == 2 && leap(y) ? 1u : 0u)) return -1;
  return days_from_civil(y, m, d);
}

bool summarize(std::vector<Purchase> purchases, int64_t calibration_end_day, double unit_days,
               CustomerSummary &out) {
  std::erase_if(purchases, [&](const Purchase &p) { return p.day > calibration_end_day; });
  if (purchases.empty()) return false;
  std::sort(purchases.begin(), purchases.end(),
            [](const Purchase &a, const Purchase &b) { return a.day < b.day; });
  // One occasion per day: values on the same day add up.
  std::vector<Purchase> days;
  for (const Purchase &p : purchases) {
    if (!days.empty() && days.back().day == p.day) {
      days.back().value += p.value;
    } else {
      days.push_back(p);
    }
  }
  CustomerSummary s;
  s.x = static_cast<uint32_t>(days.size() - 1);
  s.t_x = static_cast<double>(days.back().day - days.front().day) / unit_days;
  s.T = static_cast<double>(calibration_end_day - days.front().day) / unit_days;
  double repeat_total = 0;
  for (size_t i = 1; i < days.size(); ++i) repeat_total += days[i].value;
  s.mean_repeat_value = s.x > 0 ? repeat_total / s.x : 0;
  out = s;
  return true;
}

}  // namespace halo::clv
