// store_dead_letters.cpp -- the dead-letter store: records that failed a
// pipeline stage, kept with their original bytes so they can be fixed and
// replayed (DESIGN §1 "Bad data is an output").
//
// Invariant: `raw` is stored as a BLOB, so any bytes (including invalid
// UTF-8 and NUL) come back exactly as written.
#include "store/store_impl.h"

namespace halo {

namespace {

constexpr Sql kAddDeadLetter{
    "add_dead_letter", "dead_letters",
    "INSERT INTO dead_letters(at_ms, stage, reason, message, source, position, raw) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"};
constexpr Sql kScanDeadLetters{
    "scan_dead_letters", "dead_letters",
    "SELECT at_ms, stage, reason, message, source, position, raw FROM dead_letters ORDER BY id",
    "itttttt"};
constexpr Sql kDeadLetterCount{"dead_letter_count", "dead_letters",
                               "SELECT count(*) FROM dead_letters", "i"};

}  // namespace

Status Store::add_dead_letter(const DeadLetter &d) {
  return impl_->write(kAddDeadLetter, [&](sqlite::Statement &st) {
    st.bind_int(1, d.at_ms);
    st.bind_text(2, d.stage);
    st.bind_text(3, d.reason);
    st.bind_text(4, d.message);
    st.bind_text(5, d.source);
    st.bind_text(6, d.position);
    st.bind_blob(7, d.raw.data(), d.raw.size());
  });
}

Result<uint64_t> Store::dead_letter_count() {
  return impl_->count(kDeadLetterCount);
}

Status Store::scan_dead_letters(const std::function<void(const DeadLetter &)> &fn) {
  DeadLetter d;
  return impl_->scan(
      kScanDeadLetters, [](sqlite::Statement &) {},
      [&](sqlite::Statement &st) {
        d.at_ms = st.column_int(0);
        d.stage.assign(st.column_bytes(1));
        d.reason.assign(st.column_bytes(2));
        d.message.assign(st.column_bytes(3));
        d.source.assign(st.column_bytes(4));
        d.position.assign(st.column_bytes(5));
        d.raw.assign(st.column_bytes(6));
        fn(d);
        return Status::Ok();
      });
}

}  // namespace halo
