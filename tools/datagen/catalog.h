// catalog.h -- fixed reference data the generator draws from: names,
// products, user agents, shop branches.
//
// Invariant: constant tables only (no state), so draws depend on the seed alone.
// Latin name spellings are index-aligned with the Persian ones.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace halo::datagen {

struct Name {
  std::string_view persian;
  std::string_view latin;  // lower-case ASCII, used to build email addresses
};

struct Product {
  int64_t product_id;
  std::string_view sku;
  std::string_view name;
  std::string_view category;
  std::string_view slug;
  int64_t price_minor;  // IRR minor units (price * 100)
};

std::span<const Name> first_names();
std::span<const Name> last_names();
std::span<const Product> products();
std::span<const std::string_view> user_agents();
// Shorter agents (mobile app SDKs, trimmed browsers) for bench mode's compact lines.
std::span<const std::string_view> app_user_agents();
std::span<const std::string_view> email_domains();
std::span<const std::string_view> pos_branches();  // plain names, no commas

// The currency every amount is in.
inline constexpr std::string_view kCurrency = "IRR";
inline constexpr std::string_view kShopHost = "https://shop.example.ir";

}  // namespace halo::datagen
