// crypto.h -- the cryptographic primitives connectors share, over OpenSSL
// libcrypto: HMAC-SHA1/SHA256, SHA-256, ECDSA verification, standard
// base64 and a constant-time
// comparison, plus random nonces (OAuth 1.0a). A library of its own
// (halo_plugin_crypto) so only the plugins that sign link libcrypto.
//
// Invariants: functions never throw for any input; base64_decode returns
// nullopt for malformed input rather than guessing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace halo::plugins {

enum class HmacAlgorithm { kSha1, kSha256 };

// Raw (binary) HMAC digest of `message` under `key`.
std::string hmac(HmacAlgorithm algorithm, std::string_view key, std::string_view message);

// SHA-256 of the bytes, 64 lower-case hex characters.
std::string sha256_hex(std::string_view bytes);

// RFC 4648 base64 with padding.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// Whether `signature` (DER, as X9.62 / RFC 3279 encode it) is an ECDSA
// signature of SHA-256(message) by `public_key` (a DER SubjectPublicKeyInfo,
// RFC 5480). False for a malformed key or signature, a key that is not an
// elliptic-curve one, or a signature that does not verify.
bool ecdsa_sha256_verify(std::string_view public_key, std::string_view message,
                         std::string_view signature);

// True when a == b; the time taken does not depend on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// 32 lower-case hex characters from the OS random source.
std::string random_nonce();

}  // namespace halo::plugins
