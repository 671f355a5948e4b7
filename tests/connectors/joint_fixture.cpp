// joint_fixture.cpp -- people, till sales and fixture records of the
// all-sources acceptance test (see joint_fixture.h).
#include "joint_fixture.h"

#include <simdjson.h>

#include <algorithm>

namespace halo::connectors_e2e {
namespace {

using simdjson::dom::element;

const char *kFirst[] = {"Sara",  "Ali",  "Maryam", "Reza",  "Neda",   "Omid",
                        "Leila", "Kian", "Dina",   "Arash", "Shirin", "Babak"};
const char *kLast[] = {"Tehrani", "Shirazi", "Tabrizi", "Esfahani", "Kermani", "Yazdi"};

// Membership by person: W = WooCommerce, C = CRM, S = Square, P = POS.
const char *kSystems[] = {"WCSP", "WCS", "WCP", "WSP", "CSP", "WC",
                          "WP",   "CP",  "SP",  "W",   "C",   "P"};

std::string json_string(const std::string &s) {
  return "\"" + s + "\"";
}  // ASCII only

std::string persian_digits(const std::string &ascii) {
  static const char *kDigits[] = {"۰", "۱", "۲", "۳", "۴", "۵", "۶", "۷", "۸", "۹"};
  std::string out;
  for (char c : ascii) out += (c >= '0' && c <= '9') ? kDigits[c - '0'] : std::string(1, c);
  return out;
}

std::string text_or_empty(simdjson::simdjson_result<element> e) {
  std::string_view v;
  return e.get_string().get(v) ? std::string() : std::string(v);
}

simdjson::dom::element load(simdjson::dom::parser &parser, const std::string &path) {
  return parser.load(path).value();  // throws simdjson_error naming the problem
}

}  // namespace

std::vector<Person> make_people() {
  std::vector<Person> people;
  for (int i = 0; i < 12; ++i) {
    Person p;
    p.first_name = kFirst[i];
    p.last_name = kLast[i % 6];
    std::string lower_first = p.first_name, lower_last = p.last_name;
    for (char &c : lower_first) c = static_cast<char>(std::tolower(c));
    for (char &c : lower_last) c = static_cast<char>(std::tolower(c));
    p.email = lower_first + "." + lower_last + std::to_string(i) + "@mail.example";
    p.phone = "+98935" + std::to_string(2000000 + i * 1237);
    std::string s = kSystems[i];
    p.in_woo = s.find('W') != std::string::npos;
    p.in_crm = s.find('C') != std::string::npos;
    p.in_square = s.find('S') != std::string::npos;
    p.in_pos = s.find('P') != std::string::npos;
    p.crm_without_phone = i == 5;
    p.square_without_email = i == 3;
    people.push_back(p);
  }
  return people;
}

std::string people_json(const std::vector<Person> &people, System system) {
  std::string out = "[";
  for (const Person &p : people) {
    bool member = system == System::woo ? p.in_woo : system == System::crm ? p.in_crm : p.in_square;
    if (!member) continue;
    bool no_phone = system == System::crm && p.crm_without_phone;
    bool no_email = system == System::square && p.square_without_email;
    if (out.size() > 1) out += ",\n";
    out += "{\"first_name\":" + json_string(p.first_name) +
           ",\"last_name\":" + json_string(p.last_name) +
           ",\"email\":" + json_string(no_email ? "" : p.email) +
           ",\"phone\":" + json_string(no_phone ? "" : p.phone) + "}";
  }
  return out + "]\n";
}

std::vector<PosSale> make_pos_sales(const std::vector<Person> &people) {
  std::vector<PosSale> sales;
  int invoice = 1000;
  for (size_t i = 0; i < people.size(); ++i) {
    if (!people[i].in_pos) continue;
    std::string national = "0" + people[i].phone.substr(3);  // +98935... -> 0935...
    // Alternate spellings: Persian digits, then spaced ASCII groups.
    std::string phone =
        i % 2 == 0 ? persian_digits(national)
                   : national.substr(0, 4) + " " + national.substr(4, 3) + " " + national.substr(7);
    std::string card = "6037-99" + std::to_string(10 + i);
    int sales_of_person = 1 + static_cast<int>(i % 3);
    for (int k = 0; k < sales_of_person; ++k) {
      PosSale s;
      s.invoice = "F-" + std::to_string(invoice++);
      s.jalali_time = persian_digits("1404/02/" + std::to_string(10 + k) + " 1" +
                                     std::to_string(k) + ":2" + std::to_string(i % 10));
      s.card = card;
      s.phone_text = phone;
      s.toman = 125000 + static_cast<int64_t>(i) * 7000 + k * 1500;
      sales.push_back(s);
    }
  }
  // Person 0 also pays with a second card and returns one purchase.
  sales.push_back({"F-" + std::to_string(invoice++), "1404/02/20 18:05", "6037-9999",
                   persian_digits("0" + people[0].phone.substr(3)), "", 64000});
  sales.push_back(
      {"F-" + std::to_string(invoice++), "1404/02/21 09:15", "6037-9999", "", "", -64000});
  // A walk-in loyalty card with no phone: a profile of its own.
  sales.push_back(
      {"F-" + std::to_string(invoice++), "1404/02/21 11:00", "6037-0001", "", "", 88500});
  for (PosSale &s : sales) {
    std::string digits = std::to_string(s.toman < 0 ? -s.toman : s.toman);
    std::string grouped;  // "125,000": thousands separators as tills print them
    for (size_t k = 0; k < digits.size(); ++k) {
      if (k > 0 && (digits.size() - k) % 3 == 0) grouped += ',';
      grouped += digits[k];
    }
    s.amount_text = "\"" + std::string(s.toman < 0 ? "-" : "") + grouped + "\"";
  }
  return sales;
}

std::string pos_csv(const std::vector<PosSale> &sales) {
  std::string out = "\xEF\xBB\xBFشماره فاکتور,تاریخ,شماره کارت,تلفن,مبلغ\n";
  for (const PosSale &s : sales) {
    out += s.invoice + "," + s.jalali_time + "," + s.card + "," + s.phone_text + "," +
           s.amount_text + "\n";
  }
  return out;
}

std::vector<FixtureRecord> woo_records(const std::string &dump_path) {
  simdjson::dom::parser parser;
  element dump = load(parser, dump_path);
  std::vector<FixtureRecord> out;
  for (element c : dump["customers"].get_array()) {
    FixtureRecord r;
    r.origin = "woo customer " + std::to_string(int64_t(c["id"]));
    add_identifier(r.identifiers, "woo_customer_id", std::to_string(int64_t(c["id"])));
    add_identifier(r.identifiers, "email", text_or_empty(c["email"]));
    add_identifier(r.identifiers, "phone", text_or_empty(c["billing"]["phone"]));
    out.push_back(r);
  }
  for (element o : dump["orders"].get_array()) {
    FixtureRecord r;
    r.origin = "woo order " + std::to_string(int64_t(o["id"]));
    int64_t customer = o["customer_id"];
    if (customer > 0) add_identifier(r.identifiers, "woo_customer_id", std::to_string(customer));
    add_identifier(r.identifiers, "email", text_or_empty(o["billing"]["email"]));
    add_identifier(r.identifiers, "phone", text_or_empty(o["billing"]["phone"]));
    std::string status = text_or_empty(o["status"]);
    if (status == "completed" || status == "processing") {
      r.orders = 1;
      r.revenue = parse_minor_units(text_or_empty(o["total"]), 0);
    }
    out.push_back(r);
  }
  return out;
}

std::vector<FixtureRecord> hubspot_records(const std::string &dump_path) {
  simdjson::dom::parser parser;
  std::vector<FixtureRecord> out;
  for (element c : load(parser, dump_path).get_array()) {
    FixtureRecord r;
    r.origin = "crm contact " + text_or_empty(c["id"]);
    add_identifier(r.identifiers, "crm_id", text_or_empty(c["id"]));
    add_identifier(r.identifiers, "email", text_or_empty(c["properties"]["email"]));
    add_identifier(r.identifiers, "phone", text_or_empty(c["properties"]["phone"]));
    out.push_back(r);
  }
  return out;
}

std::vector<FixtureRecord> square_records(const std::string &dump_path,
                                          const std::vector<std::string> &locations) {
  simdjson::dom::parser parser;
  element dump = load(parser, dump_path);
  std::vector<FixtureRecord> out;
  for (element c : dump["customers"].get_array()) {
    FixtureRecord r;
    r.origin = "square customer " + text_or_empty(c["id"]);
    add_identifier(r.identifiers, "square_customer_id", text_or_empty(c["id"]));
    add_identifier(r.identifiers, "email", text_or_empty(c["email_address"]));
    add_identifier(r.identifiers, "phone", text_or_empty(c["phone_number"]));
    out.push_back(r);
  }
  for (element o : dump["orders"].get_array()) {
    std::string location = text_or_empty(o["location_id"]);
    if (text_or_empty(o["state"]) != "COMPLETED" ||
        std::find(locations.begin(), locations.end(), location) == locations.end()) {
      continue;  // the source searches COMPLETED orders of its locations only
    }
    FixtureRecord r;
    r.origin = "square order " + text_or_empty(o["id"]);
    add_identifier(r.identifiers, "square_customer_id", text_or_empty(o["customer_id"]));
    r.orders = 1;
    r.revenue = int64_t(o["total_money"]["amount"]);  // IRR: minor units 0 = rial
    out.push_back(r);
  }
  return out;
}

std::vector<FixtureRecord> pos_records(const std::vector<PosSale> &sales) {
  std::vector<FixtureRecord> out;
  for (const PosSale &s : sales) {
    FixtureRecord r;
    r.origin = "pos " + s.invoice;
    add_identifier(r.identifiers, "pos_card", s.card);
    add_identifier(r.identifiers, "phone", s.phone_text);
    if (s.toman > 0) {  // refunds are Order Refunded: not revenue
      r.orders = 1;
      r.revenue = s.toman * 10;  // toman -> rial
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace halo::connectors_e2e
