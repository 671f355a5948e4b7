// satisfaction_input_fuzz.cpp -- libFuzzer target for what the satisfaction
// builder reads from outside: customers' free text (plugins/satisfaction/
// sentiment.h) and its stored per-profile state (voice_state.h).
// Invariants checked:
//  - Any bytes score in [-1, 1] (0 when no word is known), never crash; no
//    word is empty or contains a separator the tokenizer splits on.
//  - State decode either throws std::runtime_error or accepts; an accepted
//    blob encodes back to the same bytes and merges with itself into a
//    state that decodes again while its counts stay within bounds.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "sentiment.h"
#include "voice_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace halo::satisfaction;
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  const Sentiment s = score_sentiment(bytes);
  if (!(s.score >= -1 && s.score <= 1) || s.words < 0 || (s.words == 0 && s.score != 0)) {
    std::abort();
  }
  for (const std::string &w : sentiment_words(bytes)) {
    if (w.empty() || w.find(' ') != std::string::npos) std::abort();
  }
  VoiceState state;
  try {
    state = VoiceState::decode(bytes);
  } catch (const std::runtime_error &) {
    return 0;
  }
  if (state.encode() != bytes) std::abort();
  VoiceState twice = state;
  twice.merge(state);
  if (twice.ratings() != 2 * state.ratings() ||
      twice.open_complaints() != state.open_complaints()) {
    std::abort();
  }
  // Doubled counts still within the stored form's bounds decode again.
  if (twice.ratings() <= kMaxCount && twice.texts() <= kMaxCount) {
    (void)VoiceState::decode(twice.encode());
  }
  return 0;
}
