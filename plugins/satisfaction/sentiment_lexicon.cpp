// sentiment_lexicon.cpp -- see sentiment_lexicon.h. Valences are Halo's own
// judgements on VADER's scale (-4 very negative .. +4 very positive), for
// the words customers use about orders, delivery, products and support.
#include "sentiment_lexicon.h"

#include <unordered_map>

namespace halo::satisfaction {

namespace {

struct Word {
  const char *text;
  double valence;
};

constexpr Word kValences[] = {
    // English, positive
    {"good", 1.9},
    {"great", 3.1},
    {"excellent", 3.2},
    {"amazing", 2.8},
    {"awesome", 3.1},
    {"love", 3.2},
    {"loved", 3.0},
    {"lovely", 2.8},
    {"happy", 2.7},
    {"satisfied", 1.8},
    {"perfect", 2.7},
    {"fast", 1.2},
    {"quick", 1.0},
    {"helpful", 1.8},
    {"friendly", 2.2},
    {"recommend", 1.5},
    {"recommended", 1.5},
    {"best", 3.2},
    {"nice", 1.8},
    {"thanks", 1.9},
    {"thank", 1.5},
    {"wonderful", 2.7},
    {"fantastic", 2.6},
    {"easy", 1.5},
    {"fine", 0.8},
    {"pleased", 1.9},
    {"beautiful", 2.9},
    {"impressed", 2.0},
    {"reliable", 1.7},
    {"smooth", 1.2},
    {"worth", 0.9},
    {"glad", 2.0},
    {"enjoy", 2.2},
    {"enjoyed", 2.3},
    {"superb", 3.0},
    {"delighted", 2.9},
    {"polite", 1.8},
    {"courteous", 1.8},
    {"fresh", 1.2},
    // English, negative
    {"bad", -2.5},
    {"terrible", -2.9},
    {"awful", -3.1},
    {"horrible", -3.0},
    {"worst", -3.1},
    {"poor", -2.1},
    {"broken", -2.0},
    {"slow", -1.3},
    {"late", -1.2},
    {"delay", -1.3},
    {"delayed", -1.3},
    {"disappointed", -2.1},
    {"disappointing", -2.2},
    {"hate", -2.7},
    {"angry", -2.3},
    {"rude", -2.0},
    {"useless", -2.0},
    {"complaint", -1.8},
    {"problem", -1.7},
    {"damaged", -2.0},
    {"defective", -2.3},
    {"overpriced", -1.9},
    {"wrong", -2.1},
    {"missing", -1.2},
    {"scam", -3.0},
    {"fraud", -3.0},
    {"unhappy", -2.1},
    {"dissatisfied", -2.2},
    {"frustrated", -2.1},
    {"annoying", -2.0},
    {"waste", -1.8},
    {"unacceptable", -2.5},
    {"worse", -2.1},
    {"sad", -2.1},
    {"failed", -2.0},
    {"lost", -1.3},
    {"expensive", -0.9},
    {"cold", -0.8},
    {"dirty", -2.0},
    // Persian, positive
    {"عالی", 3.1},
    {"عالیه", 3.1},
    {"خوب", 1.9},
    {"خوبه", 1.9},
    {"خوبی", 1.9},
    {"بهترین", 3.2},
    {"خوشحال", 2.7},
    {"خوشحالم", 2.7},
    {"راضی", 1.8},
    {"راضیم", 1.8},
    {"ممنون", 1.9},
    {"ممنونم", 1.9},
    {"متشکرم", 1.9},
    {"مرسی", 1.9},
    {"سپاس", 1.9},
    {"تشکر", 1.5},
    {"سریع", 1.2},
    {"باکیفیت", 2.0},
    {"مناسب", 1.2},
    {"عاشق", 3.0},
    {"فوقالعاده", 3.0},
    {"محشر", 3.1},
    {"بینظیر", 3.0},
    {"راحت", 1.5},
    {"دقیق", 1.2},
    {"سالم", 1.2},
    {"زیبا", 2.7},
    {"قشنگ", 2.5},
    {"لذت", 2.2},
    {"حرفهای", 2.0},
    {"بهموقع", 1.5},
    {"پیشنهاد", 1.2},
    {"تازه", 1.2},
    {"مودب", 1.8},
    // Persian, negative
    {"بد", -2.5},
    {"بدترین", -3.1},
    {"افتضاح", -3.1},
    {"افتضاحه", -3.1},
    {"ضعیف", -2.1},
    {"خراب", -2.0},
    {"ناراضی", -2.2},
    {"ناراضیم", -2.2},
    {"ناراحت", -2.1},
    {"ناراحتم", -2.1},
    {"شکایت", -1.8},
    {"دیر", -1.2},
    {"تاخیر", -1.3},
    {"گران", -0.9},
    {"گرون", -0.9},
    {"کند", -1.3},
    {"کلاهبرداری", -3.0},
    {"مزخرف", -3.0},
    {"آشغال", -3.0},
    {"اشتباه", -2.1},
    {"مشکل", -1.7},
    {"مشکلی", -1.7},
    {"معیوب", -2.3},
    {"پشیمان", -2.4},
    {"بیکیفیت", -2.4},
    {"بیادب", -2.0},
    {"نامناسب", -1.5},
    {"ناامید", -2.1},
    {"متاسفانه", -1.5},
    {"داغون", -2.5},
    {"شکسته", -2.0},
    {"کثیف", -2.0},
    {"سرد", -0.8},
    // Emoji
    {"😍", 3.0},
    {"❤", 3.0},
    {"👍", 2.0},
    {"😊", 2.2},
    {"🙂", 1.5},
    {"😀", 2.2},
    {"😡", -3.0},
    {"👎", -2.0},
    {"😞", -2.2},
    {"😠", -2.8},
    {"🤬", -3.2},
    {"😢", -2.2},
};

constexpr const char *kBoosters[] = {"very",  "really",     "extremely", "so",   "too",
                                     "super", "absolutely", "totally",   "خیلی", "بسیار",
                                     "واقعا", "کاملا",      "خیلیخیلی"};
// Before the word they negate.
constexpr const char *kNegationsBefore[] = {"not",     "no",  "never",  "none",    "nothing",
                                            "neither", "nor", "cannot", "without", "hardly",
                                            "نه",      "هیچ", "بدون"};
// After it: Persian negated verbs ("خوب نبود", "مشکلی نداشت").
constexpr const char *kNegationsAfter[] = {"نیست",   "نبود",  "نیستم", "نبودم",  "نیستند",
                                           "نبودند", "نشد",   "نمیشه", "نمیشود", "نبوده",
                                           "نداشت",  "نداره", "ندارد", "نداشتم", "نداشتیم"};
constexpr const char *kContrasts[] = {"but", "however", "although", "ولی", "اما", "ولیکن"};

using Table = std::unordered_map<std::string_view, LexiconEntry>;

const Table &table() {
  static const Table words = [] {
    Table t;
    for (const Word &w : kValences) t[w.text] = {WordRole::kValence, w.valence};
    for (const char *w : kBoosters) t[w] = {WordRole::kBooster, 0};
    for (const char *w : kNegationsBefore) t[w] = {WordRole::kNegationBefore, 0};
    for (const char *w : kNegationsAfter) t[w] = {WordRole::kNegationAfter, 0};
    for (const char *w : kContrasts) t[w] = {WordRole::kContrast, 0};
    return t;
  }();
  return words;
}

}  // namespace

std::vector<std::string_view> lexicon_words() {
  std::vector<std::string_view> out;
  for (const auto &[word, entry] : table()) out.push_back(word);
  return out;
}

LexiconEntry lookup_word(std::string_view word) {
  auto it = table().find(word);
  if (it != table().end()) return it->second;
  // English contractions negate: "isn't", "don't", "wasn't".
  if (word.size() > 3 && word.substr(word.size() - 3) == "n't") {
    return {WordRole::kNegationBefore, 0};
  }
  return {};
}

}  // namespace halo::satisfaction
