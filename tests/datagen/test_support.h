// test_support.h -- helpers for the datagen tests: temp dirs, file reading,
// a quote-aware CSV splitter and an identifier normalizer written
// independently of the generator (so the tests check it, not echo it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halo::datagen::testing {

// A fresh, empty directory under the system temp dir, unique per call;
// removed when the test process exits.
std::filesystem::path fresh_dir(std::string_view tag);
std::string read_file(const std::filesystem::path &path);
// Lines without their '\n'; a final line without '\n' is kept.
std::vector<std::string_view> split_lines(std::string_view text);
// RFC 4180 fields of one line (quotes removed, "" -> ").
std::vector<std::string> split_csv(std::string_view line);

std::string normalize_email(std::string_view raw);
// E.164 "+98..." or nullopt when the text is not an Iranian mobile number.
std::optional<std::string> normalize_phone(std::string_view raw);
// "1250000" or "42.50" -> minor units (x100); nullopt when not a decimal.
std::optional<int64_t> parse_minor_units(std::string_view text);

}  // namespace halo::datagen::testing

namespace halo::datagen::testing {

// A demo data set generated once per test process (customers 3000, seed 7).
const std::filesystem::path &shared_demo_dir();
inline constexpr uint32_t kSharedCustomers = 3000;
inline constexpr uint64_t kSharedSeed = 7;

}  // namespace halo::datagen::testing
