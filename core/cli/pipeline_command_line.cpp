// pipeline_command_line.cpp -- see pipeline_command_line.h.
#include "cli/pipeline_command_line.h"

#include <algorithm>
#include <iostream>
#include <vector>

namespace po = boost::program_options;

namespace halo::cli {

int parse_pipeline_command(const std::string &command, const Args &args,
                           const po::options_description &desc, std::string &pipeline) {
  po::options_description hidden;
  hidden.add_options()("pipeline", po::value(&pipeline));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("pipeline", 1);  // a second positional is an error
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "halo " << command << ": " << e.what() << "\n" << desc << "\n";
    return kUsage;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return kOk;
  }
  if (pipeline.empty()) {
    std::cerr << "halo " << command << ": missing PIPELINE.yaml\n" << desc << "\n";
    return kUsage;
  }
  return -1;
}

std::string take_second_positional(Args &args,
                                   std::initializer_list<std::string_view> value_flags) {
  std::vector<size_t> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].empty() || args[i][0] == '-') continue;
    const bool flag_value = i > 0 && std::find(value_flags.begin(), value_flags.end(),
                                               args[i - 1]) != value_flags.end();
    if (!flag_value) positional.push_back(i);
  }
  if (positional.size() != 2) return "";
  std::string second = args[positional[1]];
  args.erase(args.begin() + static_cast<std::ptrdiff_t>(positional[1]));
  return second;
}

int check_format(const std::string &format, std::initializer_list<std::string_view> allowed) {
  std::string names;
  size_t k = 0;
  for (std::string_view a : allowed) {
    if (format == a) return -1;
    names += (k == 0 ? "" : (k + 1 == allowed.size() ? " or " : ", ")) + std::string(a);
    ++k;
  }
  return fail(kUsage, "--format must be " + names + ", not '" + format + "'");
}

}  // namespace halo::cli
