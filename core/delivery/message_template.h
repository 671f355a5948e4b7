// message_template.h -- a message template (`templates:` in the pipeline
// file, docs/messages.md): subject, text and HTML parts in Mustache
// (https://mustache.github.io/mustache.5.html), rendered over a message's
// variables.
//
// Invariants: compile() refuses text Mustache cannot parse, with the part
// and the parser's message, so `halo validate` reports it; render() never
// fails on a compiled template: a variable the message lacks renders
// empty (a `{{^name}}default{{/name}}` section supplies a default);
// values are HTML-escaped in the html part only (subject and text are
// plain text).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "config/pipeline_config.h"

namespace halo::delivery {

struct RenderedMessage {
  std::string subject, text, html;
};

class MessageTemplate {
 public:
  static Result<MessageTemplate> compile(const PipelineConfig::Template &t);

  // `variables_json` is the message's variables, a JSON object (names to
  // strings, numbers, booleans, null or lists of strings); anything else
  // renders as if absent. `profile_id` is the variable `profile_id`;
  // `unsubscribe_url`, when not empty, the variable `unsubscribe_url`
  // (replacing one of the message's own).
  RenderedMessage render(std::string_view variables_json, uint64_t profile_id,
                         std::string_view unsubscribe_url = {}) const;

  const std::string &name() const { return name_; }

 private:
  struct Parts;
  std::string name_;
  std::shared_ptr<const Parts> parts_;
};

}  // namespace halo::delivery
