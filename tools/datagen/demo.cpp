// demo.cpp -- see demo.h. Writers run in a fixed order over one population;
// each has its own random stream, so the files do not shift each other.
#include "demo.h"

#include <string>
#include <system_error>

#include "output_file.h"
#include "person_model.h"
#include "truth_writer.h"

namespace halo::datagen {

namespace {
Status validate(const DemoOptions &options) {
  if (options.out_dir.empty()) return Status::Invalid("demo: --out DIR is required");
  if (options.customers == 0 || options.customers > kMaxDemoCustomers) {
    return Status::Invalid("demo: --customers must be between 1 and " +
                           std::to_string(kMaxDemoCustomers) + ", got " +
                           std::to_string(options.customers));
  }
  return Status::Ok();
}

Status write(const std::filesystem::path &dir, const char *name, const std::string &content) {
  return write_whole_file(dir / name, content);
}
}  // namespace

Result<DemoSummary> run_demo(const DemoOptions &options) {
  if (Status s = validate(options); !s.ok()) return s;
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) {
    return Status::Io("demo: cannot create output directory '" + options.out_dir.string() +
                      "': " + ec.message());
  }
  std::vector<Person> persons = build_population(options.seed, options.customers);
  DemoSummary summary;
  summary.seed = options.seed;
  summary.persons = static_cast<int64_t>(persons.size());
  std::string web, woo, pos, crm, truth, summary_json;
  summary.web = generate_web_events(persons, options.seed, web);
  summary.woo = generate_woo_orders(persons, options.seed, woo);
  summary.pos = generate_pos_sales(persons, options.seed, pos);
  summary.crm = generate_crm_contacts(persons, options.seed, crm);
  summary.order_completed =
      static_cast<int64_t>(summary.woo.counted_orders + summary.pos.valid_rows);
  summary.revenue_minor = summary.woo.counted_revenue_minor + summary.pos.revenue_minor;
  for (Person &p : persons) {
    p.truth.finalize();
    summary.changed_phones += !p.new_phone_national.empty();
    summary.households += p.shares_phone;
  }
  summary.households /= 2;
  render_truth(persons, truth);
  render_summary(summary, summary_json);
  const std::filesystem::path &dir = options.out_dir;
  for (auto [name, content] : {std::pair{"web_events.jsonl", &web},
                               {"woo_orders.json", &woo},
                               {"pos_sales.csv", &pos},
                               {"crm_contacts.csv", &crm},
                               {"truth.jsonl", &truth},
                               {"summary.json", &summary_json}}) {
    if (Status s = write(dir, name, *content); !s.ok()) return s;
  }
  return summary;
}

}  // namespace halo::datagen
