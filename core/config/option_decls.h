// option_decls.h -- safe access to a plugin's halo_option_decl table.
//
// A plugin built against another ABI minor may have a different
// halo_option_decl size: the table's stride is the first row's struct_size,
// and only fields that size covers are read (rule of plugin.h). Absent
// fields read as NULL/0: a 1.1 row has no bounds and no allowed values.
#pragma once

#include <halo/plugin.h>

#include <string>
#include <vector>

namespace halo {

struct OptionDecl {
  halo_option_type type = HALO_OPT_STRING;
  std::string name;
  const char *default_value = nullptr;
  bool required = false;
  bool secret = false;
  std::string description;
  const char *min_value = nullptr;  // since 1.2; text form, NULL = unbounded
  const char *max_value = nullptr;
  std::vector<std::string> allowed;  // since 1.2; empty = any value
};

// Copies the table; rows with no name are skipped. Empty when decls is NULL.
std::vector<OptionDecl> read_option_decls(const halo_option_decl *decls, uint32_t n);

// "a string", "an integer", ... for messages.
const char *option_type_noun(halo_option_type type);

// "string", "int", "duration", ... for `halo plugins --describe`.
const char *option_type_name(halo_option_type type);

}  // namespace halo
