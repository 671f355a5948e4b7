// pos_mapping_config.cpp -- `mapping` option -> PosMapping (see header).
// The walk over nested groups mirrors plugins/common/mapping_config.cpp,
// whose spec reader has no hook for extra keys.
#include "pos_mapping_config.h"

#include "common/mapping_config.h"

#include <utility>
#include <vector>

namespace halo::plugins {

namespace {

struct Entry {
  PosTarget target;
  std::string option_path;
};

// A map is a full spec when it has one of the generic keys; the POS keys
// only ever appear next to `as:`, so a group may still hold a target named
// e.g. `unit` or `format`.
constexpr const char *kSpecKeys[] = {"from", "value", "as", "map", "default", "required"};

bool is_full_spec(const halo::Host &host, const std::string &path) {
  int n = host.opt_size(path);
  for (int i = 0; i < n; ++i) {
    std::string key = host.opt_key(path, i);
    for (const char *k : kSpecKeys) {
      if (key == k) return true;
    }
  }
  return false;
}

std::string scalar(const halo::Host &host, const std::string &path) {
  auto text = host.opt_string(path);
  if (!text) throw halo::ConfigError(path, "must be a single value");
  return std::string(*text);
}

void read_map(const halo::Host &host, const std::string &path, FieldSpec &spec) {
  int entries = host.opt_size(path);
  if (entries < 0) throw halo::ConfigError(path, "map: must be a mapping of input: output");
  for (int e = 0; e < entries; ++e) {
    std::string in = host.opt_key(path, e);
    spec.map.emplace_back(in, scalar(host, child_option_path(path, in)));
  }
}

// Keys shared with file-csv; false when `key` is not one of them.
bool read_common_key(const halo::Host &host, const std::string &key, const std::string &path,
                     PosTarget &t, std::string &as) {
  if (key == "map") {
    read_map(host, path, t.spec);
  } else if (key == "required") {
    auto b = host.opt_bool(path);
    if (!b) throw halo::ConfigError(path, "must be true or false");
    t.spec.required = *b;
  } else if (key == "from") {
    t.spec.from = scalar(host, path);
  } else if (key == "value") {
    t.spec.literal = scalar(host, path);
  } else if (key == "default") {
    t.spec.default_value = scalar(host, path);
  } else if (key == "as") {
    as = scalar(host, path);
  } else {
    return false;
  }
  return true;
}

void read_date_key(const halo::Host &host, const std::string &key, const std::string &path,
                   DateSpec &date) {
  std::string text = scalar(host, path);
  std::string error;
  if (key == "calendar") {
    if (text != "gregorian" && text != "jalali") {
      throw halo::ConfigError(path, "must be gregorian or jalali");
    }
    date.calendar = text == "jalali" ? Calendar::kJalali : Calendar::kGregorian;
  } else if (key == "format") {
    if (!validate_date_format(text, error)) throw halo::ConfigError(path, error);
    date.format = text;
  } else if (!parse_utc_offset(text, date.offset_minutes)) {
    throw halo::ConfigError(path, "must look like \"+03:30\" or \"-05:00\"");
  }
}

void read_money_key(const halo::Host &host, const std::string &key, const std::string &path,
                    PosTarget &t) {
  MoneySpec &money = *t.money;
  if (key == "refund_sign") {
    auto b = host.opt_bool(path);
    if (!b) throw halo::ConfigError(path, "must be true or false");
    t.refund_sign = *b;
    return;
  }
  std::string text = scalar(host, path);
  if (key == "decimal_separator") {
    if (text != "." && text != ",") throw halo::ConfigError(path, "must be \".\" or \",\"");
    money.decimal_separator = text[0];
  } else if (!parse_money_unit(text, key == "output_unit" ? money.output_unit : money.unit)) {
    throw halo::ConfigError(path, "must be rial or toman");
  }
}

PosTarget read_full_spec(const halo::Host &host, const std::string &path,
                         const std::string &target) {
  PosTarget t{target, {}, {}, {}, false};
  std::string as;
  if (auto as_text = host.opt_string(child_option_path(path, "as"))) as = *as_text;
  if (as == "date") t.date = DateSpec{};
  if (as == "money") t.money = MoneySpec{};
  int n = host.opt_size(path);
  for (int i = 0; i < n; ++i) {
    std::string key = host.opt_key(path, i);
    std::string child = child_option_path(path, key);
    if (read_common_key(host, key, child, t, as)) continue;
    bool date_key = key == "calendar" || key == "format" || key == "timezone_offset";
    bool money_key = key == "unit" || key == "currency_unit" || key == "output_unit" ||
                     key == "decimal_separator" || key == "refund_sign";
    if (date_key && t.date) {
      read_date_key(host, key, child, *t.date);
    } else if (money_key && t.money) {
      read_money_key(host, key, child, t);
    } else if (date_key || money_key) {
      throw halo::ConfigError(child,
                              key + ": only applies with as: " + (date_key ? "date" : "money"));
    } else {
      throw halo::ConfigError(
          child, "unknown key '" + key + "'; see plugins/pos-csv/README.md for the keys");
    }
  }
  if (t.money && t.money->unit != MoneyUnit::kNone && t.money->output_unit == MoneyUnit::kNone) {
    t.money->output_unit = MoneyUnit::kRial;
  }
  if (t.money && t.money->unit == MoneyUnit::kNone && t.money->output_unit != MoneyUnit::kNone) {
    throw halo::ConfigError(path, "output_unit needs unit: (the unit of the column)");
  }
  if ((t.date || t.money) && !t.spec.map.empty()) {
    throw halo::ConfigError(path, "map: cannot be combined with as: " + as);
  }
  if (!t.date && !t.money) {
    auto type = parse_value_type(as.empty() ? "auto" : as);
    if (!type) {
      throw halo::ConfigError(child_option_path(path, "as"),
                              "as: must be string, number, bool, json, date or money");
    }
    t.spec.as = *type;
  }
  return t;
}

void read_group(const halo::Host &host, const std::string &path, const std::string &prefix,
                std::vector<Entry> &entries) {
  int n = host.opt_size(path);
  for (int i = 0; i < n; ++i) {
    std::string key = host.opt_key(path, i);
    std::string child = child_option_path(path, key);
    std::string target = prefix + key;
    if (auto text = host.opt_string(child)) {
      entries.push_back({PosTarget{target, parse_spec_string(*text), {}, {}, false}, child});
    } else if (host.opt_size(child) < 0) {
      throw halo::ConfigError(path, "cannot read mapping key '" + key + "'");
    } else if (is_full_spec(host, child)) {
      entries.push_back({read_full_spec(host, child, target), child});
    } else {
      read_group(host, child, target + ".", entries);
    }
  }
}

}  // namespace

PosMapping read_pos_mapping(const halo::Host &host, const std::string &option,
                            const std::optional<std::string> &refund_event) {
  if (host.opt_size(option) < 0) {
    throw halo::ConfigError(option,
                            "is required: map event fields to CSV columns, e.g. "
                            "{type: \"=track\", event: \"=Order Completed\", ...}");
  }
  std::vector<Entry> entries;
  read_group(host, option, "", entries);
  if (entries.empty()) throw halo::ConfigError(option, "is empty; map at least one field");
  std::vector<PosTarget> targets;
  for (const Entry &e : entries) targets.push_back(e.target);
  try {
    return PosMapping::compile(targets, refund_event);
  } catch (const MappingError &e) {
    for (const Entry &entry : entries) {
      if (e.target() != "refund_event" && entry.target.target == e.target()) {
        throw halo::ConfigError(entry.option_path,
                                "mapping target '" + e.target() + "' " + e.what());
      }
    }
    throw halo::ConfigError(e.target() == "refund_event" ? "refund_event" : option, e.what());
  }
}

}  // namespace halo::plugins
