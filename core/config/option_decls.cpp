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
  }
  return "a value";
}

}  // namespace halo
