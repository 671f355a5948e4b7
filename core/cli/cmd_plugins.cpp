// cmd_plugins.cpp -- `halo plugins`: what plugins were found, and the option
// table of one (`--describe NAME`).
//
// Every file in a searched directory is accounted for: a library that is
// not a Halo plugin gets the catalog's one-line reason ("not loaded: ..."),
// and any other file one line saying it was skipped, so a misplaced plugin
// never just goes missing. `--format json` prints one object:
//   {"plugins":[{"name","kind","version","abi","path","description"}...],
//    "not_loaded":[{"path","message"}...], "searched":[dir...]}
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/cli.h"
#include "common/json_writer.h"
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

// Files directly in `dirs` that the catalog does not consider (it loads
// *.so only), as problems saying so.
std::vector<PluginProblem> skipped_files(const std::vector<std::string> &dirs) {
  std::vector<PluginProblem> out;
  for (const std::string &dir : dirs) {
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".so" || !entry.is_regular_file(ec)) continue;
      out.push_back(
          {entry.path().string(), "skipped: not a shared library (plugins are lib*.so files)"});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const PluginProblem &a, const PluginProblem &b) { return a.path < b.path; });
  return out;
}

void print_json(const PluginCatalog &catalog, const std::vector<PluginProblem> &problems,
                const std::vector<std::string> &dirs) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("plugins").begin_array();
  for (const PluginInfo &p : catalog.plugins()) {
    w.begin_object();
    w.key("name").string(p.name);
    w.key("kind").string(kind_name(p.kind));
    w.key("version").string(p.version);
    w.key("abi").string(std::to_string(p.abi_major) + "." + std::to_string(p.abi_minor));
    w.key("path").string(p.path);
    w.key("description").string(p.description);
    w.end_object();
  }
  w.end_array();
  w.key("not_loaded").begin_array();
  for (const PluginProblem &p : problems) {
    w.begin_object();
    w.key("path").string(p.path);
    w.key("message").string(p.message);
    w.end_object();
  }
  w.end_array();
  w.key("searched").begin_array();
  for (const std::string &d : dirs) w.string(d);
  w.end_array();
  w.end_object();
  std::cout << out << "\n";
}

}  // namespace

int cmd_plugins(const Args &args) {
  std::vector<std::string> dirs;
  std::string name, format = "table";
  po::options_description desc(
      "usage: halo plugins [--describe NAME] [--plugin-dir DIR]... [--format table|json]");
  desc.add_options()("help,h", "show this help")("describe", po::value(&name),
                                                 "print one plugin's options")(
      "plugin-dir", po::value(&dirs), "extra directory to search (repeatable)")(
      "format", po::value(&format)->value_name("FORMAT"),
      "table (default) or json (plugins, not_loaded, searched)");
  po::variables_map vm;
  try {
    po::positional_options_description none;  // a stray argument is an error
    po::store(po::command_line_parser(args).options(desc).positional(none).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "halo plugins: " << e.what() << "\n" << desc;
    return kUsage;
  }
  if (vm.count("help")) {
    std::cout << desc;
    return kOk;
  }
  if (format != "table" && format != "json") {
    return fail(kUsage, "--format must be table or json, not '" + format + "'");
  }
  if (!name.empty() && format == "json") return fail(kUsage, "--describe prints text only");
  for (const std::string &d : PluginCatalog::default_dirs()) dirs.push_back(d);
  PluginCatalog catalog;
  catalog.scan(dirs);
  std::vector<PluginProblem> problems = catalog.problems();
  for (PluginProblem &p : skipped_files(dirs)) problems.push_back(std::move(p));
  if (format == "json") {
    print_json(catalog, problems, dirs);
    return catalog.plugins().empty() ? kNotFound : kOk;
  }
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
    for (const PluginProblem &p : problems) {
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
  for (const PluginProblem &p : problems) {
    std::printf("not loaded: %s: %s\n", p.path.c_str(), p.message.c_str());
  }
  return kOk;
}

}  // namespace halo::cli
