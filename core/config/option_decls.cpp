// option_decls.cpp -- reading option tables across ABI minors.
#include "config/option_decls.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace halo {
namespace {

template <class Field>
bool covers(uint32_t struct_size, size_t offset) {
  return struct_size >= offset + sizeof(Field);
}

// Bounds and allowed values, appended in ABI 1.2. A NULL entry in the
// allowed list ends it (a plugin bug must not crash the host).
void read_since_1_2(const halo_option_decl &row, uint32_t stride, OptionDecl &d) {
  if (covers<const char *>(stride, offsetof(halo_option_decl, min_value))) {
    d.min_value = row.min_value;
  }
  if (covers<const char *>(stride, offsetof(halo_option_decl, max_value))) {
    d.max_value = row.max_value;
  }
  if (!covers<uint32_t>(stride, offsetof(halo_option_decl, allowed_count)) ||
      row.allowed_values == nullptr) {
    return;
  }
  for (uint32_t k = 0; k < row.allowed_count && row.allowed_values[k] != nullptr; ++k) {
    d.allowed.emplace_back(row.allowed_values[k]);
  }
}

}  // namespace

std::vector<OptionDecl> read_option_decls(const halo_option_decl *decls, uint32_t n) {
  std::vector<OptionDecl> out;
  if (decls == nullptr || n == 0) return out;
  const uint32_t stride = decls[0].struct_size;
  if (stride < offsetof(halo_option_decl, name) + sizeof(const char *)) return out;
  const auto *bytes = reinterpret_cast<const unsigned char *>(decls);
  for (uint32_t i = 0; i < n; ++i) {
    // Copy only the covered prefix into a zeroed row of our own layout.
    halo_option_decl row;
    std::memset(&row, 0, sizeof row);
    std::memcpy(&row, bytes + size_t{i} * stride, std::min<size_t>(stride, sizeof row));
    if (row.name == nullptr) continue;
    OptionDecl d;
    d.type = static_cast<halo_option_type>(row.type);
    d.name = row.name;
    if (covers<const char *>(stride, offsetof(halo_option_decl, default_value))) {
      d.default_value = row.default_value;
    }
    d.required = covers<int32_t>(stride, offsetof(halo_option_decl, required)) && row.required;
    d.secret = covers<int32_t>(stride, offsetof(halo_option_decl, secret)) && row.secret;
    if (covers<const char *>(stride, offsetof(halo_option_decl, description)) && row.description) {
      d.description = row.description;
    }
    read_since_1_2(row, stride, d);
    out.push_back(std::move(d));
  }
  return out;
}

const char *option_type_noun(halo_option_type type) {
  switch (type) {
    case HALO_OPT_STRING:
      return "a string";
    case HALO_OPT_INT:
      return "an integer";
    case HALO_OPT_FLOAT:
      return "a number";
    case HALO_OPT_BOOL:
      return "a boolean (true/false)";
    case HALO_OPT_STRING_LIST:
      return "a list of strings";
    case HALO_OPT_MAP:
      return "a mapping";
    case HALO_OPT_LIST:
      return "a list";
    case HALO_OPT_DURATION:
      return "a duration with a unit (250ms, 90s, 30m, 2h, 7d, 2w)";
    case HALO_OPT_SIZE:
      return "a size in bytes (1048576, 64KiB, 10MiB, 1GiB)";
  }
  return "a value";
}

const char *option_type_name(halo_option_type type) {
  switch (type) {
    case HALO_OPT_STRING:
      return "string";
    case HALO_OPT_INT:
      return "int";
    case HALO_OPT_FLOAT:
      return "float";
    case HALO_OPT_BOOL:
      return "bool";
    case HALO_OPT_STRING_LIST:
      return "list of strings";
    case HALO_OPT_MAP:
      return "map";
    case HALO_OPT_LIST:
      return "list";
    case HALO_OPT_DURATION:
      return "duration";
    case HALO_OPT_SIZE:
      return "size";
  }
  return "?";
}

}  // namespace halo
