// unsubscribe_desk.h -- what `halo serve` answers on the unsubscribe route
// (consent.unsubscribe.path; docs/consent.md), independent of sockets.
//
//   GET  <path>?m=ID&t=TOKEN  a page that names the channel and the masked
//                             address, with a button that POSTs the same
//                             link. A GET never unsubscribes: mail scanners
//                             open links on their own (RFC 8058, section 1).
//   POST <path>?m=ID&t=TOKEN  records the opt-out of the message's channel
//                             for the address the message was sent to, in
//                             the consent ledger, and answers 200 once it
//                             is committed. The one-click POST of a mail
//                             client (body List-Unsubscribe=One-Click) and
//                             the page's button are both this.
//
// Invariants: nothing is written unless the token signs the message's id,
// channel and recipient; an unknown message and a wrong token get the same
// 403, so links cannot be probed; a second POST records nothing new; a
// store that stays busy answers 503 with Retry-After, never a lost opt-out.
// Thread-safe: requests are served one at a time on the desk's own store
// connection, opened at the first request.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "config/consent_config.h"
#include "http_server/server_exchange.h"
#include "store/store.h"

namespace halo::consent {

using StoreOpener = std::function<Result<std::unique_ptr<Store>>()>;

class UnsubscribeDesk {
 public:
  UnsubscribeDesk(UnsubscribeConfig config, StoreOpener open);

  ServerResponse handle(const ServerRequest &request);

 private:
  ServerResponse opt_out(const OutboxMessage &m, const ServerRequest &request);
  Status ensure_store();

  UnsubscribeConfig config_;
  StoreOpener open_;
  std::mutex mutex_;
  std::unique_ptr<Store> store_;
};

// "sara@example.com" -> "s***@example.com", "+989121234567" -> "+98*******567":
// enough for its owner to recognise, little for anyone else.
std::string masked_address(std::string_view channel, std::string_view address);

}  // namespace halo::consent
