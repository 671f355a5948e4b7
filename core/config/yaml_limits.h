// yaml_limits.h -- the size and shape limits of a YAML document Halo reads
// (pipeline files), checked before any tree is built or walked.
//
// Why: yaml-cpp shares the node of an anchor with every alias to it, so a
// few kilobytes of nested aliases ("billion laughs", see the YAML 1.2 spec,
// section 3.2.2.2 on anchors and aliases, and CVE-2003-1564 for the XML
// original) describe a tree of 10^9 nodes that every recursive walk visits
// in full; and an alias inside its own anchor (`&a [*a]`) makes a cyclic
// node graph on which any recursion never ends.
//
// Invariants of a document accepted by load_bounded_yaml:
//  - its text is at most kMaxYamlBytes bytes;
//  - no alias refers to a node that contains it (the graph is acyclic);
//  - the tree with every alias expanded has at most kMaxYamlNodes nodes
//    (keys count), at most kMaxYamlDepth levels, and at most
//    kMaxYamlExpandedBytes bytes of scalar text (keys and values).
// So any walk over the returned tree, aliases followed, ends after at most
// kMaxYamlNodes visits and kMaxYamlDepth nested calls, and copying every
// string it meets copies at most kMaxYamlExpandedBytes.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace halo {

inline constexpr size_t kMaxYamlBytes = size_t{4} << 20;  // 4 MiB
inline constexpr uint64_t kMaxYamlNodes = 100000;
inline constexpr int kMaxYamlDepth = 64;
inline constexpr uint64_t kMaxYamlExpandedBytes = uint64_t{16} << 20;  // 16 MiB

// Checks the limits above on the first document of `text` by replaying the
// parser's events (no tree is built), then parses it. Errors are Invalid,
// formatted "file:line:col: message" and name the limit that was hit.
Result<YAML::Node> load_bounded_yaml(const std::string &text, const std::string &file);

// A visit budget for recursive walks over a YAML tree: for trees that did not
// come from load_bounded_yaml (built in memory, or handed in by a caller),
// and for walks that change scalars (${ENV} substitution makes them longer).
// enter() is called once per node with its depth (the root is 0); it returns
// false, and the walk must not descend, once kMaxYamlNodes nodes were entered
// or the depth reaches kMaxYamlDepth (which a cyclic graph always does).
// add_bytes() counts scalar text met on the way (kMaxYamlExpandedBytes).
class WalkBudget {
 public:
  bool enter(int depth);
  void add_bytes(uint64_t n);
  // Bytes that may still be added before the budget is exceeded.
  uint64_t bytes_left() const;
  bool exceeded() const { return exceeded_; }
  // What was exceeded, for an error message ("" while within budget).
  std::string describe() const;

 private:
  enum class Limit { kNone, kNodes, kDepth, kBytes };
  void hit(Limit limit);

  uint64_t visits_ = 0;
  uint64_t bytes_ = 0;
  Limit hit_ = Limit::kNone;
  bool exceeded_ = false;
};

// The message for text that would be longer than kMaxYamlExpandedBytes.
std::string too_many_bytes_message();

}  // namespace halo
