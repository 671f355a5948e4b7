// pipeline_command_line.h -- the command line of every `halo` command that
// takes one PIPELINE.yaml argument (run, rebuild, validate, deadletters,
// deadletters replay): one parser, so they all refuse unknown options and
// extra arguments, print help and name a missing pipeline the same way.
#pragma once

#include <boost/program_options.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "cli/cli.h"

namespace halo::cli {

// Parses `args` against `desc` (the command's visible options) plus the one
// positional PIPELINE.yaml into `pipeline`. Returns -1 to go on; otherwise
// the exit code, after printing help (kOk) or the error and usage on stderr
// (kUsage). `command` names the command in messages ("deadletters replay").
int parse_pipeline_command(const std::string &command, const Args &args,
                           const boost::program_options::options_description &desc,
                           std::string &pipeline);

// For commands with a second positional argument after PIPELINE.yaml
// (`model show PIPELINE NAME`, `segment preview PIPELINE EXPR`): removes it
// from `args` and returns it, skipping the values of `value_flags`
// ("--format"); "" unless there are exactly two positional arguments.
std::string take_second_positional(Args &args, std::initializer_list<std::string_view> value_flags);

// -1 when `format` is one of `allowed`; otherwise the usage error ("--format
// must be a, b or c, not 'x'") is printed and its exit code returned.
int check_format(const std::string &format, std::initializer_list<std::string_view> allowed);

}  // namespace halo::cli
