// name_fold.cpp -- folding and transliteration; see name_fold.h.
#include "name_fold.h"

#include <limits>

#include "similarity.h"

namespace halo::linkage {

namespace {

bool is_removed(char32_t c) {
  return c == 0x200C || c == 0x200D || c == 0x0640 || (c >= 0x064B && c <= 0x065F) || c == 0x0670;
}

char32_t fold_letter(char32_t c) {
  switch (c) {
    case 0x064A:  // ي
    case 0x0649:  // ى
      return 0x06CC;
    case 0x0643:  // ك
      return 0x06A9;
    case 0x0629:  // ة
    case 0x06C0:  // ۀ
      return 0x0647;
    case 0x0623:  // أ
    case 0x0625:  // إ
    case 0x0622:  // آ
    case 0x0671:  // ٱ
      return 0x0627;
    case 0x0624:  // ؤ
      return 0x0648;
    default:
      break;
  }
  if (c >= 0x06F0 && c <= 0x06F9) return U'0' + (c - 0x06F0);
  if (c >= 0x0660 && c <= 0x0669) return U'0' + (c - 0x0660);
  if (c >= U'A' && c <= U'Z') return c - U'A' + U'a';
  return c;
}

bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9');
  // Every non-ASCII letter is kept; general punctuation and symbols are not.
  return !(c >= 0x2000 && c <= 0x206F) && c != 0x060C && c != 0x061B && c != 0x061F &&
         c != 0x066B && c != 0x066C && c != 0xFFFD && c != 0x00A0;
}

// Persian letters in the romanization the skeleton starts from; nullptr
// for letters it drops (ع, ء and the vowel carriers are dropped later).
const char *romanize(char32_t c) {
  switch (c) {
    case 0x0627:
      return "a";  // ا
    case 0x0628:
      return "b";  // ب
    case 0x067E:
      return "p";  // پ
    case 0x062A:
      return "t";  // ت
    case 0x062B:
      return "s";  // ث
    case 0x062C:
      return "j";  // ج
    case 0x0686:
      return "ch";  // چ
    case 0x062D:
      return "h";  // ح
    case 0x062E:
      return "kh";  // خ
    case 0x062F:
      return "d";  // د
    case 0x0630:
      return "z";  // ذ
    case 0x0631:
      return "r";  // ر
    case 0x0632:
      return "z";  // ز
    case 0x0698:
      return "zh";  // ژ
    case 0x0633:
      return "s";  // س
    case 0x0634:
      return "sh";  // ش
    case 0x0635:
      return "s";  // ص
    case 0x0636:
      return "z";  // ض
    case 0x0637:
      return "t";  // ط
    case 0x0638:
      return "z";  // ظ
    case 0x063A:
      return "gh";  // غ
    case 0x0641:
      return "f";  // ف
    case 0x0642:
      return "gh";  // ق
    case 0x06A9:
      return "k";  // ک
    case 0x06AF:
      return "g";  // گ
    case 0x0644:
      return "l";  // ل
    case 0x0645:
      return "m";  // م
    case 0x0646:
      return "n";  // ن
    case 0x0648:
      return "v";  // و
    case 0x0647:
      return "h";  // ه
    case 0x06CC:
      return "y";  // ی
    case 0x0626:
      return "y";  // ئ
    default:
      return nullptr;  // ع, ء and anything else
  }
}

bool is_vowel_like(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c == 'v' ||
         c == 'w';
}

// Latin letters of one word to consonant classes (see name_fold.h).
void skeleton_word(const std::string &latin, std::string &out) {
  char last = 0;
  for (size_t i = 0; i < latin.size(); ++i) {
    char c = latin[i];
    const char next = i + 1 < latin.size() ? latin[i + 1] : 0;
    if (next == 'h' && (c == 'k' || c == 'g' || c == 's' || c == 'c' || c == 'z')) ++i;
    if (c == 'q') c = 'g';
    if (c == 'x' || c == 'c') c = 'k';
    if (is_vowel_like(c) || c == last) {
      if (!is_vowel_like(c)) continue;
      last = 0;  // a vowel between two equal consonants keeps both
      continue;
    }
    out.push_back(c);
    last = c;
  }
}

}  // namespace

std::string fold_text(std::string_view s) {
  std::string out;
  bool space = false;
  for (char32_t c : decode_utf8(s, std::numeric_limits<size_t>::max())) {
    if (is_removed(c)) continue;
    c = fold_letter(c);
    if (!is_word_char(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out += encode_utf8(std::u32string_view(&c, 1));
  }
  return out;
}

std::string skeleton(std::string_view folded) {
  std::string out, word;
  auto flush = [&] {
    if (word.empty()) return;
    const size_t before = out.size();
    if (!out.empty()) out.push_back(' ');
    skeleton_word(word, out);
    if (out.size() == before + 1) out.pop_back();  // a word of vowels only
    word.clear();
  };
  for (char32_t c : decode_utf8(folded, std::numeric_limits<size_t>::max())) {
    if (c == U' ') {
      flush();
    } else if (c < 0x80) {
      word.push_back(static_cast<char>(c >= U'A' && c <= U'Z' ? c - U'A' + U'a' : c));
    } else if (const char *latin = romanize(fold_letter(c))) {
      word += latin;
    }
  }
  flush();
  return out;
}

bool has_arabic_script(std::string_view s) {
  for (char32_t c : decode_utf8(s, std::numeric_limits<size_t>::max())) {
    if (c >= 0x0600 && c <= 0x06FF) return true;
  }
  return false;
}

}  // namespace halo::linkage
