// halo/field_path.hpp -- how a dotted field path names the elements of an
// event's lists, shared by the kernel (a trigger's `on.where`, the segment
// language's event history) and by plugins (an `aggregates` field), so
// `properties.products[].price` means the same everywhere.
//
// A normalized event keeps each scalar leaf at a dotted path, an array's
// item by its position: `properties.products.0.price`. In a field path,
// `[]` right after a key stands for every position:
//   properties.products[].price   the `price` of each item of `products`
//   properties.tags[]             each item of `tags`
//   properties.grid[][]           each item of each list inside `grid`
// The leaf paths do not say whether a part came from an array or from an
// object key made of digits, so `{"products": {"0": {"price": 1}}}` is read
// as a one-item list here too.
// Header-only C++17; allocates nothing; no exceptions.
#ifndef HALO_FIELD_PATH_HPP
#define HALO_FIELD_PATH_HPP

#include <cstddef>
#include <string_view>

namespace halo {

// Whether `path` names list elements (holds `[]`).
inline bool names_elements(std::string_view path) {
  return path.find("[]") != std::string_view::npos;
}

// Whether every bracket of `path` is part of a `[]` that follows a key and
// ends one (is followed by `.`, another `[]` or the end): `products[].sku`,
// `grid[][]`; not `[]`, `a.[]`, `a[0]`, `a[]b`.
inline bool well_formed_elements(std::string_view path) {
  for (size_t k = 0; k < path.size(); ++k) {
    if (path[k] == ']') return false;  // one not closing a `[`
    if (path[k] != '[') continue;
    if (k == 0 || path[k - 1] == '.' || k + 1 == path.size() || path[k + 1] != ']') return false;
    ++k;  // past the `]`
    if (k + 1 < path.size() && path[k + 1] != '.' && path[k + 1] != '[') return false;
  }
  return true;
}

// Whether `leaf` (a normalized leaf path) is one of the elements `pattern`
// names: equal, except that each `[]` of the pattern stands for `.` and at
// least one digit in the leaf. A pattern without `[]` matches only itself.
inline bool element_path_matches(std::string_view pattern, std::string_view leaf) {
  size_t p = 0, l = 0;
  while (p < pattern.size()) {
    if (pattern.compare(p, 2, "[]") == 0) {
      if (l >= leaf.size() || leaf[l] != '.') return false;
      const size_t digits = ++l;
      while (l < leaf.size() && leaf[l] >= '0' && leaf[l] <= '9') ++l;
      if (l == digits) return false;
      p += 2;
      continue;
    }
    if (l >= leaf.size() || leaf[l] != pattern[p]) return false;
    ++p;
    ++l;
  }
  return l == leaf.size();
}

}  // namespace halo

#endif  // HALO_FIELD_PATH_HPP
