// identity_forms.cpp -- see identity_forms.h.
#include "identity_forms.h"

#include "text_format.h"

namespace halo::datagen {

std::string phone_e164(std::string_view national) {
  return "+98" + std::string(national);
}

std::string phone_variant(std::string_view national, Rng &rng) {
  const std::string n(national);
  switch (rng.below(5)) {
    case 0:
      return "0" + n;
    case 1:
      return "+98 " + n.substr(0, 3) + " " + n.substr(3, 3) + " " + n.substr(6);
    case 2:
      return "0098-" + n.substr(0, 3) + "-" + n.substr(3);
    case 3:
      return to_persian_digits("0" + n);
    default:
      return "+98" + n;
  }
}

namespace {
char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// "ali.rezaei12@gmail.com" -> "Ali.Rezaei12@Gmail.com"
std::string capitalize_words(std::string_view s) {
  std::string out(s);
  bool at_word_start = true;
  for (char &c : out) {
    const bool letter = (c >= 'a' && c <= 'z');
    if (letter && at_word_start) c = upper(c);
    at_word_start = !letter && !(c >= '0' && c <= '9');
  }
  return out;
}
}  // namespace

std::string email_variant(std::string_view canonical, Rng &rng, bool allow_spaces) {
  std::string out;
  switch (rng.below(4)) {
    case 0:
    case 1:
      out = canonical;
      break;
    case 2:
      out = capitalize_words(canonical);
      break;
    default:
      for (char c : canonical) out += upper(c);
  }
  if (allow_spaces && rng.chance(0.2)) out = " " + out + (rng.chance(0.5) ? "  " : "");
  return out;
}

}  // namespace halo::datagen
