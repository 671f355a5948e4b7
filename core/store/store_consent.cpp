// store_consent.cpp -- the consent ledger (contracts in store.h; table in
// schema.cpp).
#include "store/store_impl.h"

namespace halo {

namespace {

constexpr Sql kAddConsent{"add_consent", "consent",
                          "INSERT INTO consent(channel, address, opted_in, reason, source, proof, "
                          "at_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"};
#define HALO_CONSENT_COLUMNS \
  "SELECT id, channel, address, opted_in, reason, source, proof, at_ms FROM consent "
constexpr std::string_view kConsentColumnTypes = "ittittti";
// Through the index on (channel, address, at_ms, id).
constexpr Sql kLatestConsent{"latest_consent", "consent",
                             HALO_CONSENT_COLUMNS
                             "WHERE channel = ?1 AND address = ?2 ORDER BY at_ms DESC, id DESC "
                             "LIMIT 1",
                             kConsentColumnTypes};
constexpr Sql kScanConsent{"scan_consent", "consent",
                           HALO_CONSENT_COLUMNS
                           "WHERE (?1 = '' OR channel = ?1) AND (?2 = '' OR address = ?2) "
                           "ORDER BY at_ms, id",
                           kConsentColumnTypes};
#undef HALO_CONSENT_COLUMNS

ConsentRecord read_consent(sqlite::Statement &st) {
  ConsentRecord r;
  r.id = from_sql(st.column_int(0));
  r.channel = st.column_bytes(1);
  r.address = st.column_bytes(2);
  r.opted_in = st.column_int(3) != 0;
  r.reason = st.column_bytes(4);
  r.source = st.column_bytes(5);
  r.proof = st.column_bytes(6);
  r.at_ms = st.column_int(7);
  return r;
}

}  // namespace

Status SqliteStore::add_consent(const ConsentRecord &r) {
  return impl_->write(kAddConsent, [&](sqlite::Statement &st) {
    st.bind_text(1, r.channel);
    st.bind_text(2, r.address);
    st.bind_int(3, r.opted_in ? 1 : 0);
    st.bind_text(4, r.reason);
    st.bind_text(5, r.source);
    st.bind_text(6, r.proof);
    st.bind_int(7, r.at_ms);
  });
}

Result<std::optional<ConsentRecord>> SqliteStore::latest_consent(std::string_view channel,
                                                                 std::string_view address) {
  std::optional<ConsentRecord> found;
  Status s = impl_->query(
      kLatestConsent,
      [&](sqlite::Statement &st) {
        st.bind_text(1, channel);
        st.bind_text(2, address);
      },
      [&](sqlite::Statement &st) {
        found = read_consent(st);
        return Status::Ok();
      });
  if (!s.ok()) return s;
  return found;
}

Status SqliteStore::scan_consent(std::string_view channel, std::string_view address,
                                 const std::function<void(const ConsentRecord &)> &fn) {
  return impl_->scan(
      kScanConsent,
      [&](sqlite::Statement &st) {
        st.bind_text(1, channel);
        st.bind_text(2, address);
      },
      [&](sqlite::Statement &st) {
        fn(read_consent(st));
        return Status::Ok();
      });
}

}  // namespace halo
