// identity_oracle.cpp -- connected components of fixture records (see
// identity_oracle.h). Written without any kernel code on purpose: it is the
// test's independent model of "one person".
#include "identity_oracle.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace halo::connectors_e2e {
namespace {

// Persian (U+06F0..9) and Arabic-Indic (U+0660..9) digits are two UTF-8
// bytes: D9 A0..A9 and DB B0..B9.
std::string ascii_digits_and_plus(const std::string &text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    unsigned char next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c >= '0' && c <= '9') {
      out += static_cast<char>(c);
    } else if (c == '+' && out.empty()) {
      out += '+';
    } else if (c == 0xDB && next >= 0xB0 && next <= 0xB9) {
      out += static_cast<char>('0' + next - 0xB0);
      ++i;
    } else if (c == 0xD9 && next >= 0xA0 && next <= 0xA9) {
      out += static_cast<char>('0' + next - 0xA0);
      ++i;
    }
  }
  return out;
}

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void unite(size_t a, size_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<size_t> parent_;
};

std::string smallest_identifier(const Identifiers &ids) {
  std::string best;
  for (const auto &[type, values] : ids) {
    for (const std::string &v : values) {
      std::string key = type + ":" + v;
      if (best.empty() || key < best) best = key;
    }
  }
  return best;
}

}  // namespace

std::string normalize_email(const std::string &email) {
  size_t begin = email.find_first_not_of(" \t");
  size_t end = email.find_last_not_of(" \t");
  if (begin == std::string::npos) return "";
  std::string out = email.substr(begin, end - begin + 1);
  for (char &c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

std::string normalize_phone(const std::string &phone) {
  std::string digits = ascii_digits_and_plus(phone);
  if (digits.empty() || digits == "+") return "";
  if (digits[0] == '+') return digits;
  if (digits.rfind("00", 0) == 0) return "+" + digits.substr(2);
  if (digits[0] == '0') return "+98" + digits.substr(1);
  return "+98" + digits;  // bare national mobile "912..."
}

void add_identifier(Identifiers &ids, const std::string &type, const std::string &value) {
  std::string v = type == "email"   ? normalize_email(value)
                  : type == "phone" ? normalize_phone(value)
                                    : value;
  if (!v.empty()) ids[type].insert(v);
}

std::vector<ExpectedProfile> join_records(const std::vector<FixtureRecord> &records) {
  UnionFind sets(records.size());
  std::map<std::string, size_t> owner;  // "type:value" -> first record holding it
  for (size_t i = 0; i < records.size(); ++i) {
    for (const auto &[type, values] : records[i].identifiers) {
      for (const std::string &v : values) {
        auto [it, fresh] = owner.emplace(type + ":" + v, i);
        if (!fresh) sets.unite(i, it->second);
      }
    }
  }
  std::map<size_t, ExpectedProfile> by_root;
  for (size_t i = 0; i < records.size(); ++i) {
    ExpectedProfile &p = by_root[sets.find(i)];
    for (const auto &[type, values] : records[i].identifiers) {
      p.identifiers[type].insert(values.begin(), values.end());
    }
    p.order_count += records[i].orders;
    p.revenue += records[i].revenue;
    p.origins.push_back(records[i].origin);
  }
  std::vector<ExpectedProfile> out;
  for (auto &[root, p] : by_root) {
    if (!p.identifiers.empty()) out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const ExpectedProfile &a, const ExpectedProfile &b) {
    return smallest_identifier(a.identifiers) < smallest_identifier(b.identifiers);
  });
  return out;
}

size_t max_per_type(const std::vector<ExpectedProfile> &profiles, const std::string &type) {
  size_t most = 0;
  for (const ExpectedProfile &p : profiles) {
    auto it = p.identifiers.find(type);
    if (it != p.identifiers.end()) most = std::max(most, it->second.size());
  }
  return most;
}

int64_t parse_minor_units(const std::string &amount, int decimals) {
  size_t dot = amount.find('.');
  std::string whole = amount.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : amount.substr(dot + 1);
  if (whole.empty() || static_cast<int>(frac.size()) > decimals) {
    throw std::runtime_error("amount '" + amount + "' does not fit " + std::to_string(decimals) +
                             " decimals: currency units are inconsistent");
  }
  frac.append(static_cast<size_t>(decimals) - frac.size(), '0');
  return std::stoll(whole + frac);
}

}  // namespace halo::connectors_e2e
