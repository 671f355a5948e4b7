// twilio_webhook.cpp -- see twilio_webhook.h.
#include "twilio_webhook.h"

#include <algorithm>
#include <charconv>

#include <simdjson.h>

#include "common/crypto.h"
#include "common/json_text.h"

namespace halo::plugins::twilio {

std::string twilio_signature(std::string_view auth_token, std::string_view url, FormFields fields) {
  std::sort(fields.begin(), fields.end());
  std::string data(url);
  for (const auto &[name, value] : fields) data += name + value;
  return base64_encode(hmac(HmacAlgorithm::kSha1, auth_token, data));
}

namespace {

// More query parameters than a webhook URL Halo makes has (m=ID, and
// Twilio's bodySHA256).
constexpr size_t kMaxUrlParams = 32;

// `url` with the scheme's default port added when it has none, or removed
// when it has it; "" when neither applies.
std::string other_port_form(std::string_view url) {
  const bool https = url.starts_with("https://");
  if (!https && !url.starts_with("http://")) return {};
  const std::string_view port = https ? ":443" : ":80";
  const size_t host = https ? 8 : 7;
  const size_t end = std::min(url.find_first_of("/?#", host), url.size());
  const std::string_view authority = url.substr(host, end - host);
  std::string out(url.substr(0, host));
  if (authority.ends_with(port)) {
    out += authority.substr(0, authority.size() - port.size());
  } else if (authority.find(':') == std::string_view::npos) {
    out += std::string(authority) + std::string(port);
  } else {
    return {};  // another explicit port: only that one is right
  }
  out += url.substr(end);
  return out;
}

}  // namespace

bool signature_valid(std::string_view auth_token, std::string_view url, const FormFields &fields,
                     std::string_view signature) {
  if (signature.empty()) return false;
  if (constant_time_equal(twilio_signature(auth_token, url, fields), signature)) return true;
  const std::string other = other_port_form(url);
  return !other.empty() &&
         constant_time_equal(twilio_signature(auth_token, other, fields), signature);
}

bool is_json_media_type(std::string_view content_type) {
  const std::string_view type = trim_ascii(content_type.substr(0, content_type.find(';')));
  return lower_ascii(type) == "application/json";
}

bool json_signature_valid(std::string_view auth_token, std::string_view url, std::string_view body,
                          std::string_view signature) {
  const size_t query = url.find('?');
  if (query == std::string_view::npos) return false;
  const std::optional<FormFields> params = parse_form(url.substr(query + 1), kMaxUrlParams);
  const std::optional<std::string_view> claimed =
      params ? field(*params, "bodySHA256") : std::nullopt;
  if (!claimed) return false;
  // Both checks run, so the time taken says nothing about which failed.
  const bool body_matches = constant_time_equal(sha256_hex(body), lower_ascii(*claimed));
  const bool url_signed = signature_valid(auth_token, url, FormFields{}, signature);
  return body_matches && url_signed;
}

std::optional<FormFields> json_fields(std::string_view body, size_t max_fields) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(body.data(), body.size()).get(root)) return std::nullopt;
  if (root.size() > max_fields) return std::nullopt;
  FormFields fields;
  for (auto [key, value] : root) {
    std::string text;
    switch (value.type()) {
      case simdjson::dom::element_type::STRING:
        text = std::string(value.get_string().value_unsafe());
        break;
      case simdjson::dom::element_type::INT64:
      case simdjson::dom::element_type::UINT64:
      case simdjson::dom::element_type::DOUBLE:
        text = simdjson::minify(value);
        break;
      case simdjson::dom::element_type::BOOL:
        text = value.get_bool().value_unsafe() ? "true" : "false";
        break;
      default:
        continue;  // null, objects and arrays: no field a status or reply reads
    }
    fields.emplace_back(std::string(key), std::move(text));
  }
  return fields;
}

std::optional<std::string_view> field(const FormFields &fields, std::string_view name) {
  for (const auto &[n, v] : fields) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<StatusReport> status_report(const FormFields &fields) {
  const std::string_view status = field(fields, "MessageStatus").value_or("");
  StatusReport r;
  r.message_sid = std::string(field(fields, "MessageSid").value_or("").substr(0, 64));
  if (status == "delivered" || status == "read") {
    r.kind = StatusReport::Kind::kDelivered;
    r.detail = std::string(status);
    return r;
  }
  if (status != "undelivered" && status != "failed") return std::nullopt;
  const std::string_view code = field(fields, "ErrorCode").value_or("").substr(0, 16);
  r.kind = code == "30005" || code == "30006" ? StatusReport::Kind::kBounced
                                              : StatusReport::Kind::kUndelivered;
  r.detail = std::string(status) + (code.empty() ? "" : ", error " + std::string(code));
  return r;
}

std::optional<uint64_t> callback_message_id(std::string_view query) {
  auto fields = parse_form(query, 16);
  if (!fields) return std::nullopt;
  const std::string_view m = field(*fields, "m").value_or("");
  uint64_t id = 0;
  auto [end, ec] = std::from_chars(m.data(), m.data() + m.size(), id);
  if (m.empty() || m.size() > 20 || ec != std::errc() || end != m.data() + m.size() || id == 0) {
    return std::nullopt;
  }
  return id;
}

}  // namespace halo::plugins::twilio
