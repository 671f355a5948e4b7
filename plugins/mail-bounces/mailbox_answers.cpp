// mailbox_answers.cpp -- see mailbox_answers.h.
#include "mailbox_answers.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace halo::plugins::mail_bounces {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

// Calls take(line) for each line without its CR LF; false (with why) when
// a line is longer than kMaxAnswerLine.
template <class Take>
bool for_each_line(std::string_view text, std::string &why, Take take) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxAnswerLine) {
      why = "a line of " + std::to_string(line.size()) + " bytes (at most " +
            std::to_string(kMaxAnswerLine) + ")";
      return false;
    }
    if (!take(line)) return false;
  }
  return true;
}

// The next space-separated token of `s` (consumed); a parenthesized group
// is one token.
std::string_view next_token(std::string_view &s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  size_t end = 0;
  if (!s.empty() && s.front() == '(') {
    int depth = 0;
    for (; end < s.size(); ++end) {
      if (s[end] == '(') ++depth;
      if (s[end] == ')' && --depth == 0) break;
    }
    end = std::min(end + 1, s.size());
  } else {
    end = std::min(s.find(' '), s.size());
  }
  std::string_view token = s.substr(0, end);
  s.remove_prefix(end);
  return token;
}

template <class Number>
std::optional<Number> number_of(std::string_view token) {
  Number n{};
  if (token.empty() || token.size() > 20) return std::nullopt;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), n);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return n;
}

// The items inside the last parenthesized group of `line` (its outer
// parentheses removed), or nullopt.
std::optional<std::string_view> item_list(std::string_view line, size_t from) {
  const size_t open = line.find('(', from);
  if (open == std::string_view::npos || line.back() != ')') return std::nullopt;
  return line.substr(open + 1, line.size() - open - 2);
}

}  // namespace

std::optional<ImapMailboxStatus> read_imap_status(std::string_view answer, std::string &why) {
  std::optional<uint32_t> validity, next;
  const bool ok = for_each_line(answer, why, [&](std::string_view line) {
    if (!line.starts_with("* ") || !iequals(line.substr(2, 7), "STATUS ")) return true;
    std::optional<std::string_view> items = item_list(line, line.rfind('('));
    if (!items) return true;
    std::string_view rest = *items;
    for (std::string_view name = next_token(rest); !name.empty(); name = next_token(rest)) {
      std::string_view value = next_token(rest);
      if (iequals(name, "UIDVALIDITY")) validity = number_of<uint32_t>(value);
      if (iequals(name, "UIDNEXT")) next = number_of<uint32_t>(value);
    }
    return true;
  });
  if (!ok) return std::nullopt;
  if (!validity || *validity == 0 || !next) {
    why = "the STATUS answer holds no valid UIDVALIDITY and UIDNEXT";
    return std::nullopt;
  }
  return ImapMailboxStatus{*validity, *next};
}

std::optional<std::vector<ListedMail>> read_imap_sizes(std::string_view answer, std::string &why) {
  std::map<uint32_t, uint64_t> sizes;
  const bool ok = for_each_line(answer, why, [&](std::string_view line) {
    // "* <sequence number> FETCH (<items>)"; other untagged answers are
    // the server's news (EXISTS, FLAGS, ...).
    std::string_view rest = line;
    if (next_token(rest) != "*" || !number_of<uint32_t>(next_token(rest)) ||
        !iequals(next_token(rest), "FETCH")) {
      return true;
    }
    std::optional<std::string_view> items = item_list(line, line.size() - rest.size());
    if (!items) {
      why = "a FETCH line without its items";
      return false;
    }
    std::optional<uint32_t> uid;
    uint64_t size = 0;
    std::string_view list = *items;
    for (std::string_view name = next_token(list); !name.empty(); name = next_token(list)) {
      std::string_view value = next_token(list);
      if (iequals(name, "UID")) {
        uid = number_of<uint32_t>(value);
        if (!uid || *uid == 0) {
          why = "a FETCH line with the UID '" + std::string(value.substr(0, 40)) + "'";
          return false;
        }
      } else if (iequals(name, "RFC822.SIZE")) {
        std::optional<uint64_t> n = number_of<uint64_t>(value);
        if (!n) {
          why = "a FETCH line with the size '" + std::string(value.substr(0, 40)) + "'";
          return false;
        }
        size = *n;
      }
    }
    if (!uid) return true;  // a flag change the server announces unasked
    if (sizes.size() >= kMaxListedMails && !sizes.count(*uid)) {
      why = "more than " + std::to_string(kMaxListedMails) + " messages listed";
      return false;
    }
    uint64_t &kept = sizes[*uid];
    kept = std::max(kept, size);
    return true;
  });
  if (!ok) return std::nullopt;
  std::vector<ListedMail> mails;
  mails.reserve(sizes.size());
  for (const auto &[uid, size] : sizes) mails.push_back({uid, size, {}});
  return mails;
}

std::optional<std::vector<ListedMail>> read_pop3_listing(std::string_view uidl,
                                                         std::string_view list, std::string &why) {
  std::map<uint32_t, ListedMail> mails;
  std::set<std::string, std::less<>> ids;
  // "<number> <value>" per line.
  auto pairs = [&](std::string_view text, const char *what, auto take) {
    return for_each_line(text, why, [&](std::string_view line) {
      std::string_view rest = line;
      std::optional<uint32_t> n = number_of<uint32_t>(next_token(rest));
      std::string_view value = next_token(rest);
      if (!n || *n == 0 || value.empty() || !next_token(rest).empty()) {
        why =
            std::string("a malformed ") + what + " line '" + std::string(line.substr(0, 80)) + "'";
        return false;
      }
      return take(*n, value);
    });
  };
  const bool ok = pairs(uidl, "UIDL",
                        [&](uint32_t n, std::string_view id) {
                          const bool printable = std::all_of(
                              id.begin(), id.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
                          if (id.size() > kMaxUidlBytes || !printable || ids.count(id) ||
                              mails.count(n) || mails.size() >= kMaxListedMails) {
                            why =
                                "a UIDL line that is not a new message and unique id of 1 to 70 "
                                "printable characters (or more than " +
                                std::to_string(kMaxListedMails) + " messages)";
                            return false;
                          }
                          ids.emplace(id);
                          mails[n] = ListedMail{n, 0, std::string(id)};
                          return true;
                        }) &&
                  pairs(list, "LIST", [&](uint32_t n, std::string_view size) {
                    std::optional<uint64_t> bytes = number_of<uint64_t>(size);
                    if (!bytes) {
                      why = "a LIST line with the size '" + std::string(size.substr(0, 40)) + "'";
                      return false;
                    }
                    if (auto it = mails.find(n); it != mails.end()) it->second.size = *bytes;
                    return true;
                  });
  if (!ok) return std::nullopt;
  std::vector<ListedMail> out;
  out.reserve(mails.size());
  for (auto &[n, mail] : mails) out.push_back(std::move(mail));
  return out;
}

}  // namespace halo::plugins::mail_bounces
