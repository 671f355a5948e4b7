// catalog.cpp -- the reference tables of catalog.h.
#include "catalog.h"

#include <array>

namespace halo::datagen {

namespace {
constexpr std::array kFirstNames = {
    Name{"علی", "ali"},         Name{"محمد", "mohammad"}, Name{"زهرا", "zahra"},
    Name{"فاطمه", "fatemeh"},   Name{"حسین", "hossein"},  Name{"مریم", "maryam"},
    Name{"رضا", "reza"},        Name{"سارا", "sara"},     Name{"امیر", "amir"},
    Name{"نرگس", "narges"},     Name{"مهدی", "mahdi"},    Name{"کیان", "kian"},
    Name{"نیلوفر", "niloufar"}, Name{"یاسمن", "yasaman"}, Name{"کاوه", "kaveh"},
    Name{"شیرین", "shirin"},    Name{"یوسف", "yousef"},   Name{"الهه", "elaheh"},
    Name{"پویا", "pouya"},      Name{"کیمیا", "kimia"},
};
constexpr std::array kLastNames = {
    Name{"رضایی", "rezaei"},   Name{"محمدی", "mohammadi"}, Name{"کریمی", "karimi"},
    Name{"حسینی", "hosseini"}, Name{"احمدی", "ahmadi"},    Name{"کاظمی", "kazemi"},
    Name{"موسوی", "mousavi"},  Name{"یزدانی", "yazdani"},  Name{"جعفری", "jafari"},
    Name{"صادقی", "sadeghi"},  Name{"کرمانی", "kermani"},  Name{"نوری", "nouri"},
    Name{"یگانه", "yeganeh"},  Name{"شریفی", "sharifi"},   Name{"کیانی", "kiani"},
    Name{"ملکی", "maleki"},
};
// Grouped by category, so neighbouring entries are related products: orders
// draw runs of consecutive entries, and a customer's later orders stay near
// the first (woo_writer.cpp), which gives the data the co-purchase structure
// a recommender learns from.
constexpr std::array kProducts = {
    Product{101, "MUG-01", "ماگ سرامیکی", "آشپزخانه", "ceramic-mug", 45000000},
    Product{113, "TPT-13", "قوری چینی", "آشپزخانه", "porcelain-teapot", 98000000},
    Product{114, "SMV-14", "سماور برقی", "آشپزخانه", "electric-samovar", 420000000},
    Product{115, "KNF-15", "چاقوی آشپزخانه", "آشپزخانه", "kitchen-knife", 65000000},
    Product{116, "PAN-16", "تابه چدنی", "آشپزخانه", "cast-iron-pan", 185000000},
    Product{102, "TEA-02", "چای ارل گری", "خوراکی", "earl-grey-tea", 32000000},
    Product{103, "SAF-03", "زعفران یک مثقالی", "خوراکی", "saffron-1m", 125000000},
    Product{111, "PIS-11", "پسته اکبری", "خوراکی", "akbari-pistachio", 176000000},
    Product{117, "DAT-17", "خرمای مضافتی", "خوراکی", "mazafati-dates", 54000000},
    Product{118, "HNY-18", "عسل طبیعی", "خوراکی", "natural-honey", 130000000},
    Product{119, "GAZ-19", "گز اصفهان", "خوراکی", "isfahan-gaz", 72000000},
    Product{104, "TSH-04", "تی‌شرت نخی", "پوشاک", "cotton-tshirt", 89000000},
    Product{105, "BAG-05", "کوله پشتی", "پوشاک", "backpack", 249000000},
    Product{120, "SCF-20", "شال ابریشمی", "پوشاک", "silk-scarf", 160000000},
    Product{121, "SNK-21", "کفش ورزشی", "پوشاک", "sneakers", 690000000},
    Product{122, "CAP-22", "کلاه نخی", "پوشاک", "cotton-cap", 35000000},
    Product{106, "BOK-06", "دیوان حافظ", "کتاب", "hafez-divan", 38000000},
    Product{123, "BOK-23", "شاهنامه فردوسی", "کتاب", "shahnameh", 210000000},
    Product{124, "BOK-24", "گلستان سعدی", "کتاب", "golestan", 42000000},
    Product{125, "BOK-25", "مثنوی معنوی", "کتاب", "masnavi", 175000000},
    Product{126, "BOK-26", "رباعیات خیام", "کتاب", "khayyam-rubaiyat", 29000000},
    Product{107, "PEN-07", "خودکار فلزی", "نوشت‌افزار", "metal-pen", 15000000},
    Product{127, "NTB-27", "دفتر یادداشت", "نوشت‌افزار", "notebook", 18000000},
    Product{128, "PCL-28", "مداد رنگی", "نوشت‌افزار", "colored-pencils", 33000000},
    Product{129, "FNT-29", "خودنویس", "نوشت‌افزار", "fountain-pen", 145000000},
    Product{130, "INK-30", "جوهر خوشنویسی", "نوشت‌افزار", "calligraphy-ink", 12000000},
    Product{108, "HDP-08", "هدفون بی‌سیم", "دیجیتال", "wireless-headphones", 520000000},
    Product{109, "CHG-09", "شارژر سریع", "دیجیتال", "fast-charger", 98000000},
    Product{131, "CBL-31", "کابل شارژ", "دیجیتال", "charging-cable", 25000000},
    Product{132, "PWB-32", "پاوربانک", "دیجیتال", "power-bank", 310000000},
    Product{133, "SPK-33", "اسپیکر بلوتوثی", "دیجیتال", "bluetooth-speaker", 450000000},
    Product{110, "CAN-10", "شمع معطر", "خانه", "scented-candle", 27000000},
    Product{112, "RUG-12", "گلیم دستباف", "خانه", "handmade-kilim", 890000000},
    Product{134, "VAS-34", "گلدان سفالی", "خانه", "clay-vase", 58000000},
    Product{135, "LMP-35", "چراغ مطالعه", "خانه", "desk-lamp", 240000000},
    Product{136, "FRM-36", "قاب عکس چوبی", "خانه", "wooden-frame", 39000000},
};
constexpr std::array<std::string_view, 5> kUserAgents = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/123.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
};
constexpr std::array<std::string_view, 4> kAppUserAgents = {
    "ShopApp/3.4.1 (Android 14; SM-A546E)",
    "ShopApp/3.4.0 (iOS 17.4; iPhone14,5)",
    "ShopApp/3.3.9 (Android 13; Redmi Note 12)",
    "ShopApp/3.4.1 (iOS 16.7; iPhone12,1)",
};
constexpr std::array<std::string_view, 4> kEmailDomains = {"gmail.com", "yahoo.com", "chmail.ir",
                                                           "example.ir"};
constexpr std::array<std::string_view, 4> kBranches = {"ونک", "تجریش", "پاسداران", "صادقیه"};
}  // namespace

std::span<const Name> first_names() {
  return kFirstNames;
}
std::span<const Name> last_names() {
  return kLastNames;
}
std::span<const Product> products() {
  return kProducts;
}
std::span<const std::string_view> user_agents() {
  return kUserAgents;
}
std::span<const std::string_view> app_user_agents() {
  return kAppUserAgents;
}
std::span<const std::string_view> email_domains() {
  return kEmailDomains;
}
std::span<const std::string_view> pos_branches() {
  return kBranches;
}

}  // namespace halo::datagen
