// option_value.cpp -- one option value against its declaration.
#include "config/option_value.h"

#include <halo/units.hpp>

#include <algorithm>

#include "config/scalar_parse.h"
#include "config/suggest.h"

namespace halo {
namespace {

bool has_type(const std::string &text, halo_option_type type) {
  switch (type) {
    case HALO_OPT_INT:
    case HALO_OPT_DURATION:
    case HALO_OPT_SIZE:
      return option_integer(text, type).has_value();
    case HALO_OPT_FLOAT:
      return parse_strict_float(text).has_value();
    case HALO_OPT_BOOL:
      return parse_strict_bool(text).has_value();
    default:
      return true;
  }
}

bool is_bounded_type(halo_option_type type) {
  return type == HALO_OPT_INT || type == HALO_OPT_FLOAT || type == HALO_OPT_DURATION ||
         type == HALO_OPT_SIZE;
}

// -1, 0, 1 as `text` compares with the bound `bound` (both valid for type).
int compare(const std::string &text, const char *bound, halo_option_type type) {
  if (type == HALO_OPT_FLOAT) {
    const double a = *parse_strict_float(text), b = *parse_strict_float(bound);
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  const int64_t a = *option_integer(text, type), b = *option_integer(bound, type);
  return a < b ? -1 : (a > b ? 1 : 0);
}

std::string range_phrase(const OptionDecl &d) {
  if (d.min_value && d.max_value) {
    return std::string("must be between ") + d.min_value + " and " + d.max_value;
  }
  if (d.min_value) return std::string("must be at least ") + d.min_value;
  return std::string("must be at most ") + d.max_value;
}

}  // namespace

std::optional<int64_t> option_integer(const std::string &text, halo_option_type type) {
  switch (type) {
    case HALO_OPT_INT:
      return parse_strict_int(text);
    case HALO_OPT_DURATION:
      return parse_duration_ms(text);
    case HALO_OPT_SIZE:
      return parse_size_bytes(text);
    default:
      return std::nullopt;
  }
}

bool option_is_scalar_type(halo_option_type type) {
  return type == HALO_OPT_STRING || type == HALO_OPT_INT || type == HALO_OPT_FLOAT ||
         type == HALO_OPT_BOOL || type == HALO_OPT_DURATION || type == HALO_OPT_SIZE;
}

std::string or_list(const std::vector<std::string> &words, bool quote) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += quote ? "'" + words[i] + "'" : words[i];
  }
  return out;
}

std::string option_allowed_problem(const YAML::Node &value, const OptionDecl &decl) {
  if (decl.allowed.empty()) return "";
  const std::string &text = value.Scalar();
  if (std::find(decl.allowed.begin(), decl.allowed.end(), text) != decl.allowed.end()) return "";
  std::string hint;
  if (!decl.secret) {
    const std::string close = suggest(text, decl.allowed);
    if (!close.empty()) hint = " (did you mean '" + close + "'?)";
  }
  return "must be " + or_list(decl.allowed) + ", got " + describe_node(value, decl.secret) + hint;
}

std::string option_scalar_problem(const YAML::Node &value, const OptionDecl &decl) {
  const std::string &text = value.Scalar();
  if (!has_type(text, decl.type)) {
    return std::string("expected ") + option_type_noun(decl.type) + ", got " +
           describe_node(value, decl.secret);
  }
  if (decl.type == HALO_OPT_STRING) return option_allowed_problem(value, decl);
  if (!is_bounded_type(decl.type)) return "";
  const bool low = decl.min_value && compare(text, decl.min_value, decl.type) < 0;
  const bool high = decl.max_value && compare(text, decl.max_value, decl.type) > 0;
  if (!low && !high) return "";
  return range_phrase(decl) + ", got " + describe_node(value, decl.secret);
}

std::vector<std::string> option_decl_problems(const OptionDecl &d) {
  std::vector<std::string> out;
  const bool bounded = d.min_value || d.max_value;
  if (bounded && !is_bounded_type(d.type)) {
    out.push_back(std::string("declares bounds, but ") + option_type_noun(d.type) + " has none");
    return out;
  }
  for (const char *bound : {d.min_value, d.max_value}) {
    if (bound && !has_type(bound, d.type)) {
      out.push_back(std::string("declares the bound '") + bound + "', which is not " +
                    option_type_noun(d.type));
    }
  }
  if (!out.empty()) return out;
  if (d.min_value && d.max_value && compare(d.min_value, d.max_value, d.type) > 0) {
    out.push_back(std::string("declares a minimum ") + d.min_value + " above its maximum " +
                  d.max_value);
  }
  if (!d.allowed.empty() && d.type != HALO_OPT_STRING && d.type != HALO_OPT_STRING_LIST) {
    out.push_back(std::string("declares allowed values, but ") + option_type_noun(d.type) +
                  " takes none");
  }
  if (d.default_value && option_is_scalar_type(d.type)) {
    const std::string problem = option_scalar_problem(YAML::Node(std::string(d.default_value)), d);
    if (!problem.empty()) out.push_back("declares an invalid default (" + problem + ")");
  }
  return out;
}

std::string option_bounds_text(const OptionDecl &d) {
  if (d.min_value && d.max_value) return std::string(d.min_value) + ".." + d.max_value;
  if (d.min_value) return std::string("at least ") + d.min_value;
  if (d.max_value) return std::string("at most ") + d.max_value;
  return "";
}

}  // namespace halo
