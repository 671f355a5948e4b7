// woo_time.h -- WooCommerce GMT date strings ("2026-01-03T10:15:00", no
// zone: the `date_*_gmt` properties of the WooCommerce REST API,
// https://woocommerce.github.io/woocommerce-rest-api-docs/#order-properties)
// to and from unix seconds.
//
// Invariants: parse accepts exactly YYYY-MM-DDTHH:MM:SS, optionally
// followed by fractional seconds and/or "Z" or "+00:00" (which are ignored:
// the value is UTC); anything else is nullopt. format is its inverse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace halo::woo {

std::optional<int64_t> parse_gmt(std::string_view text);
std::string format_gmt(int64_t unix_seconds);

}  // namespace halo::woo
