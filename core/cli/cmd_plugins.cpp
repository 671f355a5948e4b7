// cmd_plugins.cpp -- `halo plugins`: what plugins were found, and the option
// table of one (`--describe NAME`).
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/cli.h"
#include "plugin_host/plugin_catalog.h"

namespace po = boost::program_options;

namespace halo::cli {

namespace {

const char *option_type_name(uint32_t t) {
  switch (t) {
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
  }
  return "?";
}

void describe(const PluginInfo &p) {
  std::cout << p.name << " (" << kind_name(p.kind) << ") " << p.version << "  ABI " << p.abi_major
            << "." << p.abi_minor << "\n  " << p.description << "\n  library: " << p.path
            << "\n  options:\n";
  const halo_plugin_descriptor *d = p.descriptor;
  if (d->option_count == 0) std::cout << "    (none)\n";
  for (uint32_t i = 0; i < d->option_count; ++i) {
    const halo_option_decl &o = d->options[i];
    std::cout << "    " << o.name << "  (" << option_type_name(o.type)
              << (o.required ? ", required" : "") << (o.secret ? ", secret" : "");
    if (o.default_value) std::cout << ", default: " << o.default_value;
    std::cout << ")\n        " << (o.description ? o.description : "") << "\n";
  }
}

}  // namespace

int cmd_plugins(const Args &args) {
  std::vector<std::string> dirs;
  std::string name;
  po::options_description desc("usage: halo plugins [--describe NAME] [--plugin-dir DIR]...");
  desc.add_options()("help,h", "show this help")("describe", po::value(&name),
                                                 "print one plugin's options")(
      "plugin-dir", po::value(&dirs), "extra directory to search (repeatable)");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "halo plugins: " << e.what() << "\n" << desc;
    return kUsage;
  }
  if (vm.count("help")) {
    std::cout << desc;
    return kOk;
  }
  for (const std::string &d : PluginCatalog::default_dirs()) dirs.push_back(d);
  PluginCatalog catalog;
  catalog.scan(dirs);
  if (!name.empty()) {
    bool found = false;
    for (const PluginInfo &p : catalog.plugins()) {
      if (p.name == name) {
        describe(p);
        found = true;
      }
    }
    if (!found) return fail(kNotFound, catalog.not_found(HALO_KIND_SOURCE, name).message());
    return kOk;
  }
  if (catalog.plugins().empty()) {
    std::string searched;
    for (const std::string &d : dirs) {
      std::error_code ec;
      searched += "\n  " + d + (std::filesystem::is_directory(d, ec) ? "" : " (no such directory)");
    }
    for (const PluginProblem &p : catalog.problems()) {
      std::fprintf(stderr, "not loaded: %s: %s\n", p.path.c_str(), p.message.c_str());
    }
    return fail(kNotFound, "no plugins found; searched:" + searched +
                               "\nadd a directory with --plugin-dir DIR or HALO_PLUGIN_PATH=DIR");
  }
  std::printf("%-20s %-12s %-9s %-5s %s\n", "NAME", "KIND", "VERSION", "ABI", "PATH");
  for (const PluginInfo &p : catalog.plugins()) {
    std::printf("%-20s %-12s %-9s %u.%-3u %s\n", p.name.c_str(), kind_name(p.kind),
                p.version.c_str(), p.abi_major, p.abi_minor, p.path.c_str());
  }
  for (const PluginProblem &p : catalog.problems()) {
    std::printf("not loaded: %s: %s\n", p.path.c_str(), p.message.c_str());
  }
  return kOk;
}

}  // namespace halo::cli
