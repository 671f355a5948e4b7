// replay_file.h -- reads the --from file of `halo deadletters replay`: JSON
// Lines, one corrected dead letter per line, as `halo deadletters --format
// jsonl` writes them with `raw` edited:
//   {"id": 17, "raw": "{\"type\":\"track\",...}", "source": "web", ...}
// `id` (a positive integer) and `raw` (a string: the fixed record) are
// required; `source` and `position`, when present, must still match the
// stored dead letter (replay.h); other members (stage, reason, message, at)
// are ignored. Blank lines are skipped.
//
// Limits (hostile or mistaken input is refused whole, naming the line):
// kMaxReplayFileBytes per file, kMaxReplayLineBytes per line,
// kMaxReplayLines lines; an id given twice is an error. Nothing is replayed
// unless the whole file is valid.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pipeline/replay.h"

namespace halo {

inline constexpr size_t kMaxReplayFileBytes = size_t{1} << 30;   // 1 GiB
inline constexpr size_t kMaxReplayLineBytes = size_t{16} << 20;  // 16 MiB
inline constexpr size_t kMaxReplayLines = 1'000'000;

// `name` is used in errors ("fixes.jsonl:3: ...").
Result<std::vector<ReplayFix>> parse_replay_file(std::string_view text, const std::string &name);

}  // namespace halo
