// message_template_fuzz.cpp -- libFuzzer target for message templates
// (core/delivery/message_template.h): Mustache text operators write into
// pipeline files, rendered over variables that come from profiles.
// Input: the template text, a NUL byte, then the variables' JSON text.
// Invariants checked:
//  - compile either accepts the text or refuses it with a message naming
//    the template part; nothing else (no crash, no hang, no leak).
//  - An accepted template renders over any variables text (valid JSON or
//    not) in every part, and a plain-text part never contains HTML
//    entities the html part would escape to unless the input had them.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "delivery/message_template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view input(reinterpret_cast<const char *>(data), size);
  const size_t split = input.find('\0');
  halo::PipelineConfig::Template t;
  t.name = "fuzz";
  t.subject = t.text = t.html = std::string(input.substr(0, split));
  const std::string_view variables =
      split == std::string_view::npos ? std::string_view("{}") : input.substr(split + 1);
  auto compiled = halo::delivery::MessageTemplate::compile(t);
  if (!compiled.ok()) {
    if (compiled.status().message().find("templates.fuzz.") == std::string::npos) std::abort();
    return 0;
  }
  const halo::delivery::RenderedMessage m = compiled->render(variables, 42);
  // Subject and text are the same template without escaping: equal.
  if (m.subject != m.text) std::abort();
  if (m.text.find("&lt;") != std::string::npos && input.find("&lt;") == std::string_view::npos) {
    std::abort();
  }
  return 0;
}
