// store_models.cpp -- fitted parameters of feature builders (table
// model_fits, schema.cpp). Parameters are stored as "name=value" lines:
// names are [A-Za-z0-9_]+ (checked by the host), values the shortest
// decimal that reads back as the same double.
#include <charconv>
#include <string>

#include "common/double_text.h"
#include "store/store_impl.h"

namespace halo {

namespace {

constexpr Sql kAddFit{
    "add_model_fit", "model_fits",
    "INSERT INTO model_fits(instance, fitted_at_ms, as_of_ms, profiles, last_sequence, params, "
    "config, model) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"};
constexpr Sql kLatestFit{"latest_model_fit", "model_fits",
                         "SELECT fitted_at_ms, as_of_ms, profiles, last_sequence, params, config, "
                         "model FROM model_fits WHERE instance = ?1 ORDER BY id DESC LIMIT 1",
                         "iiiittt"};

std::string encode_params(const std::vector<std::pair<std::string, double>> &params) {
  std::string out;
  for (const auto &[name, value] : params) {
    out.append(name).append("=").append(shortest_text(value)).append("\n");
  }
  return out;
}

bool decode_params(std::string_view text, std::vector<std::pair<std::string, double>> &out) {
  while (!text.empty()) {
    size_t eol = text.find('\n');
    if (eol == std::string_view::npos) return false;
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol + 1);
    size_t eq = line.find('=');
    if (eq == 0 || eq == std::string_view::npos) return false;
    double value = 0;
    auto [end, ec] = std::from_chars(line.data() + eq + 1, line.data() + line.size(), value);
    if (ec != std::errc() || end != line.data() + line.size()) return false;
    out.emplace_back(std::string(line.substr(0, eq)), value);
  }
  return true;
}

}  // namespace

Status SqliteStore::add_model_fit(const ModelFit &fit) {
  const std::string params = encode_params(fit.params);  // bound without a copy: outlives step()
  return impl_->write(kAddFit, [&](sqlite::Statement &st) {
    st.bind_text(1, fit.instance);
    st.bind_int(2, fit.fitted_at_ms);
    st.bind_int(3, fit.as_of_ms);
    st.bind_int(4, to_sql(fit.profiles));
    st.bind_int(5, to_sql(fit.last_sequence));
    st.bind_text(6, params);
    st.bind_text(7, fit.config);
    st.bind_blob(8, fit.model.data(), fit.model.size());
  });
}

Result<std::optional<ModelFit>> SqliteStore::latest_model_fit(std::string_view instance) {
  std::optional<ModelFit> found;
  Status s = impl_->query(
      kLatestFit, [&](sqlite::Statement &st) { st.bind_text(1, instance); },
      [&](sqlite::Statement &st) {
        ModelFit fit;
        fit.instance = std::string(instance);
        fit.fitted_at_ms = st.column_int(0);
        fit.as_of_ms = st.column_int(1);
        fit.profiles = from_sql(st.column_int(2));
        fit.last_sequence = from_sql(st.column_int(3));
        fit.config = std::string(st.column_bytes(5));
        fit.model = std::string(st.column_bytes(6));
        if (!decode_params(st.column_bytes(4), fit.params)) {
          return Status::Corruption("sqlite store " + impl_->path + ": model fit of '" +
                                    std::string(instance) +
                                    "' has unreadable parameters; run `halo rebuild` to fit again");
        }
        found = std::move(fit);
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return found;
}

}  // namespace halo
