// message_template.cpp -- see message_template.h.
#include "delivery/message_template.h"

#include <simdjson.h>

#include <kainjow/mustache.hpp>

namespace halo::delivery {

namespace mustache = kainjow::mustache;

struct MessageTemplate::Parts {
  // Mustache's render() is not const; a template renders one message at
  // a time, on the pipeline thread.
  mutable mustache::mustache subject, text, html;
};

namespace {

std::string plain(const std::string &s) {
  return s;
}

// The message's variables as Mustache data: strings, the exact text of
// numbers, booleans, lists of strings; nulls and anything else left out.
mustache::data variables_data(std::string_view json, uint64_t profile_id) {
  mustache::data out{mustache::data::type::object};
  out.set("profile_id", std::to_string(profile_id));
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) return out;
  for (auto field : object) {
    std::string_view key;
    simdjson::ondemand::value value;
    simdjson::ondemand::json_type type;
    if (field.unescaped_key().get(key) || field.value().get(value) || value.type().get(type)) {
      return out;
    }
    const std::string name(key);
    std::string_view text;
    bool flag = false;
    simdjson::ondemand::array array;
    switch (type) {
      case simdjson::ondemand::json_type::string:
        if (!value.get_string().get(text)) out.set(name, std::string(text));
        break;
      case simdjson::ondemand::json_type::number:
        text = value.raw_json_token();
        while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
        out.set(name, std::string(text));
        break;
      case simdjson::ondemand::json_type::boolean:
        if (!value.get_bool().get(flag)) out.set(name, mustache::data(flag));
        break;
      case simdjson::ondemand::json_type::array: {
        if (value.get_array().get(array)) break;
        mustache::data list{mustache::data::type::list};
        for (auto item : array) {
          if (!item.get_string().get(text)) list.push_back(std::string(text));
        }
        out.set(name, list);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

}  // namespace

Result<MessageTemplate> MessageTemplate::compile(const PipelineConfig::Template &t) {
  auto parts = std::make_shared<Parts>(
      Parts{mustache::mustache(t.subject), mustache::mustache(t.text), mustache::mustache(t.html)});
  for (auto [name, part] : {std::pair{"subject", &parts->subject}, std::pair{"text", &parts->text},
                            std::pair{"html", &parts->html}}) {
    if (part->is_valid()) continue;
    return Status::Invalid(t.mark.str() + ": templates." + t.name + "." + name + ": " +
                           part->error_message());
  }
  parts->subject.set_custom_escape(plain);
  parts->text.set_custom_escape(plain);
  MessageTemplate out;
  out.name_ = t.name;
  out.parts_ = std::move(parts);
  return out;
}

RenderedMessage MessageTemplate::render(std::string_view variables_json, uint64_t profile_id,
                                        std::string_view unsubscribe_url) const {
  mustache::data data = variables_data(variables_json, profile_id);
  if (!unsubscribe_url.empty()) data.set("unsubscribe_url", std::string(unsubscribe_url));
  return {parts_->subject.render(data), parts_->text.render(data), parts_->html.render(data)};
}

}  // namespace halo::delivery
