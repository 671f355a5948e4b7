// plugin_catalog.h -- finds plugin libraries, checks them and lists what they
// export.
//
// A catalog scans configured directories for shared libraries, loads each
// with RTLD_NOW | RTLD_LOCAL through Boost.DLL, and validates every exported
// descriptor before touching anything beyond its frozen prefix: struct size,
// magic block (constant, pointer size, byte order), ABI major equal to the
// host's, ABI minor not newer than the host's. Libraries that fail are kept
// as `problems` with a message naming the file, what it was built for and
// what this host is, so `halo plugins` and "unknown plugin" errors can explain
// themselves.
//
// Invariant: libraries stay loaded for the catalog's lifetime (no hot
// unload). Every plugin instance must be destroyed before its catalog.
#pragma once

#include <halo/plugin.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace halo {

struct PluginInfo {
  std::string name;
  std::string version;
  std::string description;
  halo_plugin_kind kind = HALO_KIND_SOURCE;
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  uint32_t capabilities = 0;
  std::string path;  // library file
  const halo_plugin_descriptor *descriptor = nullptr;
};

struct PluginProblem {
  std::string path;
  std::string message;
};

const char *kind_name(halo_plugin_kind kind);

class PluginCatalog {
 public:
  PluginCatalog();
  ~PluginCatalog();
  PluginCatalog(const PluginCatalog &) = delete;
  PluginCatalog &operator=(const PluginCatalog &) = delete;

  // Loads every shared library (*.so) directly inside each directory, in
  // name order. Missing directories are skipped silently (defaults may not
  // exist); unreadable libraries become problems, never a failure.
  void scan(const std::vector<std::string> &dirs);
  // Loads one library file; returns its problem (if any) as a Status.
  Status load_file(const std::string &path);

  const PluginInfo *find(halo_plugin_kind kind, const std::string &name) const;
  // "unknown source plugin 'x' (did you mean 'y'?); known source plugins: ..."
  Status not_found(halo_plugin_kind kind, const std::string &name) const;

  const std::vector<PluginInfo> &plugins() const { return plugins_; }
  const std::vector<PluginProblem> &problems() const { return problems_; }

  // Default search path: HALO_PLUGIN_PATH (colon-separated), then
  // <dir of the running binary>/../<libdir>/halo/plugins.
  static std::vector<std::string> default_dirs();

 private:
  struct Libraries;
  std::unique_ptr<Libraries> libs_;
  std::vector<PluginInfo> plugins_;
  std::vector<PluginProblem> problems_;
};

// Checks a descriptor's frozen prefix against this host; empty when it fits.
std::string check_descriptor(const halo_plugin_descriptor *d);

}  // namespace halo
