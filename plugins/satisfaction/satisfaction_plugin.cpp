// satisfaction_plugin.cpp -- the `satisfaction` feature builder (the voice
// of the customer): NPS answers, product ratings, support tickets and the
// sentiment of customers' own words, from track events (README.md).
//
// Invariants: options are read only in the constructor; an event whose
// score, rating or ticket id cannot be used is refused whole (a dead letter
// of this builder) before it changes any state, never read as 0; a text's
// sentiment depends on the text alone (sentiment.h).
#include <halo/sdk.hpp>

#include <string>

#include "common/profile_states.h"
#include "common/string_keyed.h"
#include "common/time_text.h"
#include "sentiment.h"
#include "voice_state.h"

namespace halo::satisfaction {
namespace {

constexpr const char *kFeatures[] = {"nps",
                                     "nps_category",
                                     "rating_avg",
                                     "ratings",
                                     "complaints_open",
                                     "complaints_recent",
                                     "support_last_contact",
                                     "sentiment",
                                     "sentiment_label",
                                     "feedback_texts"};

// A refusal: the dead letter's reason and what to say.
struct Refusal {
  const char *reason;
  std::string message;
};

const char *nps_category(int score) {
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

class SatisfactionBuilder final : public FeatureBuilder {
 public:
  explicit SatisfactionBuilder(Host host)
      : FeatureBuilder(host),
        survey_event_(host.string_option("survey_event")),
        review_event_(host.string_option("review_event")),
        comment_event_(host.string_option("comment_event")),
        opened_event_(host.string_option("ticket_opened_event")),
        closed_event_(host.string_option("ticket_closed_event")),
        nps_field_(host.string_option("nps_field")),
        rating_field_(host.string_option("rating_field")),
        ticket_id_field_(host.string_option("ticket_id_field")),
        complaint_field_(host.string_option("complaint_field")),
        text_fields_(host.string_list_option("text_fields")),
        rating_max_(Decimal::from_int(host.int_option("rating_max"))),
        recent_ms_(host.duration_option("recent").count()) {
    for (const std::string &v : host.string_list_option("complaint_values")) {
      complaint_values_.insert(v);
    }
    if (recent_ms_ <= 0) throw ConfigError("recent", "must be longer than 0");
  }

  void restore(const halo_state_row *rows, size_t n) override { states_.restore(rows, n); }

  void update(const Batch &batch, const uint64_t *profile_ids) override {
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch.type(i) != HALO_EVENT_TRACK) continue;
      const std::string_view name = batch.name(i);
      std::optional<Refusal> refused;
      if (name == survey_event_) {
        refused = survey(batch, i, profile_ids[i]);
      } else if (name == review_event_) {
        refused = review(batch, i, profile_ids[i]);
      } else if (name == comment_event_) {
        refused = comment(batch, i, profile_ids[i]);
      } else if (name == opened_event_ || name == closed_event_) {
        refused = ticket(batch, i, profile_ids[i], name == closed_event_);
      } else {
        continue;
      }
      if (refused && !batch.reject(i, refused->reason, refused->message)) {
        throw Error(refused->message);
      }
    }
  }

  void merge(uint64_t from, uint64_t into) override {
    states_.merge(from, into, [](VoiceState &to, const VoiceState &moved) { to.merge(moved); });
  }

  void save_dirty(const StateWriter &w) override { states_.save_dirty(w); }

  // emit() writes every feature for any profile, one it does not know
  // (id 0 is never a profile's) included: that is the list.
  void describe_features(const FeatureWriter &w) { emit(0, 0, w); }

  void emit(uint64_t profile_id, int64_t as_of_ms, const FeatureWriter &w) override {
    const VoiceState *state = states_.find(profile_id);
    if (state == nullptr) {
      for (const char *name : kFeatures) w.null(name);
      return;
    }
    const VoiceState &s = *state;
    if (s.nps()) {
      w.integer("nps", s.nps()->score);
      w.string("nps_category", nps_category(s.nps()->score));
    } else {
      w.null("nps");
      w.null("nps_category");
    }
    if (s.ratings() > 0) {
      const Decimal avg = s.rating_sum().divide_rounded(s.ratings(), 2);
      w.number("rating_avg", avg.to_double(), avg.to_string());
    } else {
      w.null("rating_avg");
    }
    w.integer("ratings", s.ratings());
    w.integer("complaints_open", s.open_complaints());
    w.integer("complaints_recent", s.recent_complaints(as_of_ms, recent_ms_));
    const int64_t contact = s.last_contact_ms();
    if (contact != kNoTime) {
      w.string("support_last_contact", plugins::format_iso8601(contact));
    } else {
      w.null("support_last_contact");
    }
    if (s.texts() > 0) {
      // Millionths to 10^-9 units, then the mean to three decimals.
      const Decimal mean =
          Decimal::from_raw(Decimal::Raw{s.sentiment_micros()} * 1000).divide_rounded(s.texts(), 3);
      w.number("sentiment", mean.to_double(), mean.to_string());
      const double m = mean.to_double();
      w.string("sentiment_label", m >= 0.05 ? "positive" : m <= -0.05 ? "negative" : "neutral");
    } else {
      w.null("sentiment");
      w.null("sentiment_label");
    }
    w.integer("feedback_texts", s.texts());
    w.valid_until(s.next_change(as_of_ms, recent_ms_));
  }

 private:
  std::optional<Refusal> survey(const Batch &batch, size_t i, uint64_t profile) {
    auto v = batch.field(i, nps_field_.c_str());
    std::optional<NpsAnswer> answer;
    if (v && v->kind != HALO_VALUE_NULL) {  // a survey without an NPS question is fine
      auto score = number(*v);
      if (!score || !(score->raw() % Decimal::Raw{1'000'000'000} == 0)) {
        return refusal("not_a_number", nps_field_, "not a whole number");
      }
      if (score->raw() < 0 || Decimal::from_int(10) < *score) {
        return refusal("number_out_of_range", nps_field_, "outside 0 to 10");
      }
      answer = NpsAnswer{batch.timestamp_ms(i), static_cast<int>(score->raw() / 1'000'000'000)};
    }
    VoiceState &s = touch(profile);
    if (answer) s.answer_nps(*answer);
    add_texts(batch, i, s);
    return std::nullopt;
  }

  std::optional<Refusal> review(const Batch &batch, size_t i, uint64_t profile) {
    auto v = batch.field(i, rating_field_.c_str());
    std::optional<Decimal> rating;
    if (v && v->kind != HALO_VALUE_NULL) {  // a review may be text only
      rating = number(*v);
      if (!rating) return refusal("not_a_number", rating_field_, "not a number");
      if (rating->raw() < 0 || rating_max_ < *rating) {
        return refusal("number_out_of_range", rating_field_,
                       "outside 0 to " + rating_max_.to_string());
      }
    }
    VoiceState &s = touch(profile);
    if (rating) s.rate(*rating);
    add_texts(batch, i, s);
    return std::nullopt;
  }

  std::optional<Refusal> comment(const Batch &batch, size_t i, uint64_t profile) {
    if (texts_of(batch, i).empty()) {
      return Refusal{"missing_value", "satisfaction: a comment without text (" +
                                          join(text_fields_) + "); it is left out"};
    }
    add_texts(batch, i, touch(profile));
    return std::nullopt;
  }

  std::optional<Refusal> ticket(const Batch &batch, size_t i, uint64_t profile, bool closed) {
    auto v = batch.field(i, ticket_id_field_.c_str());
    if (!v || (v->kind != HALO_VALUE_STRING && v->kind != HALO_VALUE_NUMBER) ||
        value_text(*v).empty()) {
      return refusal("missing_value", ticket_id_field_, "missing");
    }
    const std::string_view id = value_text(*v);
    if (id.size() > kMaxTicketIdBytes) {
      return refusal("value_too_long", ticket_id_field_,
                     "longer than " + std::to_string(kMaxTicketIdBytes) + " bytes");
    }
    auto kind = batch.field(i, complaint_field_.c_str());
    const bool complaint =
        kind && kind->kind == HALO_VALUE_STRING && complaint_values_.contains(value_text(*kind));
    touch(profile).ticket_event(id, batch.timestamp_ms(i), closed, complaint);
    return std::nullopt;
  }

  // The non-empty texts among text_fields on event i.
  std::vector<std::string_view> texts_of(const Batch &batch, size_t i) const {
    std::vector<std::string_view> texts;
    for (const std::string &f : text_fields_) {
      auto v = batch.field(i, f.c_str());
      if (v && v->kind == HALO_VALUE_STRING && !value_text(*v).empty()) {
        texts.push_back(value_text(*v));
      }
    }
    return texts;
  }

  void add_texts(const Batch &batch, size_t i, VoiceState &s) const {
    for (std::string_view text : texts_of(batch, i)) s.add_text(score_sentiment(text).score);
  }

  VoiceState &touch(uint64_t profile) { return states_.touch(profile); }

  static std::optional<Decimal> number(const halo_value &v) {
    if (v.kind != HALO_VALUE_NUMBER && v.kind != HALO_VALUE_STRING) return std::nullopt;
    return Decimal::parse(value_text(v));
  }

  static Refusal refusal(const char *reason, const std::string &field, const std::string &what) {
    return {reason, "satisfaction: " + field + " is " + what + "; the event is left out"};
  }

  static std::string join(const std::vector<std::string> &names) {
    std::string out;
    for (const std::string &n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  std::string survey_event_, review_event_, comment_event_, opened_event_, closed_event_;
  std::string nps_field_, rating_field_, ticket_id_field_, complaint_field_;
  std::vector<std::string> text_fields_;
  plugins::StringSet complaint_values_;
  Decimal rating_max_;
  int64_t recent_ms_;
  plugins::ProfileStates<VoiceState> states_{"satisfaction"};
};

constexpr halo_option_decl kOptions[] = {
    option(HALO_OPT_STRING, "survey_event", "Survey Answered", false,
           "Track event of a survey answer (NPS and free text)"),
    option(HALO_OPT_STRING, "nps_field", "properties.nps", false,
           "Dotted path of the 0-10 'would you recommend us' answer"),
    option(HALO_OPT_STRING, "review_event", "Product Reviewed", false,
           "Track event of a product review (rating and free text)"),
    option(HALO_OPT_STRING, "rating_field", "properties.rating", false,
           "Dotted path of the review's rating"),
    within(option(HALO_OPT_INT, "rating_max", "5", false, "The top of the rating scale"), "1",
           "1000"),
    option(HALO_OPT_STRING, "comment_event", "Comment Posted", false,
           "Track event of a comment (social, blog, app)"),
    option(HALO_OPT_STRING, "ticket_opened_event", "Support Ticket Opened", false,
           "Track event of a support ticket opened"),
    option(HALO_OPT_STRING, "ticket_closed_event", "Support Ticket Closed", false,
           "Track event of a support ticket closed"),
    option(HALO_OPT_STRING, "ticket_id_field", "properties.ticket_id", false,
           "Dotted path of the ticket's id on both ticket events"),
    option(HALO_OPT_STRING, "complaint_field", "properties.type", false,
           "Dotted path of the ticket's type"),
    option(HALO_OPT_STRING_LIST, "complaint_values", "[complaint]", false,
           "Ticket types that are complaints"),
    option(HALO_OPT_STRING_LIST, "text_fields",
           "[properties.text, properties.comment, properties.review_body]", false,
           "Dotted paths of free text on surveys, reviews and comments (scored for sentiment)"),
    option(HALO_OPT_DURATION, "recent", "90d", false,
           "complaints_recent counts complaints of this long before the reference time"),
};

}  // namespace
}  // namespace halo::satisfaction

HALO_PLUGIN_LIBRARY(halo::describe_feature<halo::satisfaction::SatisfactionBuilder>(
    "satisfaction", "1.0.0",
    "Voice of the customer: NPS, ratings, support complaints and the sentiment of their texts",
    halo::satisfaction::kOptions, HALO_CAP_PARTIAL_RESTORE))
