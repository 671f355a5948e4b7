// yaml_limits.cpp -- the limit check as a replay of yaml-cpp's parse events.
//
// The events are a pre-order walk of the document where an alias is one
// event, so the expanded size of every anchored node is known when its end
// event arrives, and an alias whose anchor is still open is a cycle. The
// cost is linear in the text whatever the aliases describe.
#include "config/yaml_limits.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "config/diagnostics.h"
#include "config/scalar_parse.h"

namespace halo {
namespace {

// Thrown out of the parser's callbacks to stop it at the first limit hit.
struct LimitHit {
  YAML::Mark at;
  std::string message;
};

std::string too_many_nodes() {
  return "the document has more than " + std::to_string(kMaxYamlNodes) +
         " nodes once aliases are expanded (each use of an alias repeats everything under its "
         "anchor); pipeline files are limited to " +
         std::to_string(kMaxYamlNodes) +
         " nodes, so nested aliases that multiply (a 'billion laughs' file) are refused";
}

std::string too_deep() {
  return "the document nests deeper than " + std::to_string(kMaxYamlDepth) +
         " levels (aliases included); pipeline files are limited to " +
         std::to_string(kMaxYamlDepth) + " levels";
}

class ShapeCheck : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark &) override {}
  void OnDocumentEnd() override {}
  void OnAnchor(const YAML::Mark &, const std::string &name) override { pending_name_ = name; }
  void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override { leaf(mark, anchor, 0); }
  void OnScalar(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                const std::string &value) override {
    leaf(mark, anchor, value.size());
  }
  void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override;
  void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Shape {
    uint64_t nodes = 1;
    uint64_t bytes = 0;  // scalar text
    int height = 1;      // levels, the node itself included
  };
  struct Open {
    YAML::anchor_t anchor;
    YAML::Mark mark;
    uint64_t total_before;  // total_ before this node was counted
    uint64_t bytes_before;
    int height_below = 0;
  };

  // Counts `shape` placed under the innermost open node.
  void add(const YAML::Mark &mark, const Shape &shape) {
    total_ += shape.nodes;
    bytes_ += shape.bytes;
    if (total_ > kMaxYamlNodes) throw LimitHit{mark, too_many_nodes()};
    if (bytes_ > kMaxYamlExpandedBytes) throw LimitHit{mark, too_many_bytes_message()};
    if (static_cast<int>(open_.size()) + shape.height > kMaxYamlDepth) {
      throw LimitHit{mark, too_deep()};
    }
    if (!open_.empty())
      open_.back().height_below = std::max(open_.back().height_below, shape.height);
  }
  void name(YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) names_[anchor] = pending_name_;
    pending_name_.clear();
  }
  void leaf(const YAML::Mark &mark, YAML::anchor_t anchor, uint64_t bytes) {
    name(anchor);
    const Shape shape{1, bytes, 1};
    add(mark, shape);
    if (anchor != YAML::NullAnchor) shapes_[anchor] = shape;
  }
  void open(const YAML::Mark &mark, YAML::anchor_t anchor) {
    name(anchor);
    if (static_cast<int>(open_.size()) + 1 > kMaxYamlDepth) throw LimitHit{mark, too_deep()};
    open_.push_back(Open{anchor, mark, total_, bytes_, 0});
    total_ += 1;  // the node itself
    if (total_ > kMaxYamlNodes) throw LimitHit{mark, too_many_nodes()};
  }
  void close() {
    const Open done = open_.back();
    open_.pop_back();
    const Shape shape{total_ - done.total_before, bytes_ - done.bytes_before,
                      done.height_below + 1};
    if (done.anchor != YAML::NullAnchor) shapes_[done.anchor] = shape;
    if (!open_.empty())
      open_.back().height_below = std::max(open_.back().height_below, shape.height);
  }

  std::vector<Open> open_;
  std::unordered_map<YAML::anchor_t, Shape> shapes_;  // anchors whose node is complete
  std::unordered_map<YAML::anchor_t, std::string> names_;
  std::string pending_name_;
  uint64_t total_ = 0;  // nodes so far, aliases expanded
  uint64_t bytes_ = 0;  // scalar text so far, aliases expanded
};

void ShapeCheck::OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) {
  for (const Open &o : open_) {
    if (o.anchor != anchor) continue;
    const std::string n = shorten_for_message(names_[anchor]);  // names may be long
    throw LimitHit{mark, "alias '*" + n + "' is used inside the node it refers to ('&" + n +
                             "' at line " + std::to_string(o.mark.line + 1) +
                             "), which would make the document infinitely deep (an alias "
                             "must refer to a node that is complete before it)"};
  }
  auto it = shapes_.find(anchor);
  add(mark, it == shapes_.end() ? Shape{} : it->second);
}

Mark to_mark(const YAML::Mark &m, const std::string &file) {
  if (m.is_null() || m.line < 0 || m.column < 0) return Mark{file, 0, 0};
  return Mark{file, m.line + 1, m.column + 1};
}

}  // namespace

Result<YAML::Node> load_bounded_yaml(const std::string &text, const std::string &file) {
  if (text.size() > kMaxYamlBytes) {
    return Status::Invalid(format_config_error(
        Mark{file, 0, 0}, "",
        "the file is larger than " + std::to_string(kMaxYamlBytes >> 20) + " MiB (" +
            std::to_string(kMaxYamlBytes) + " bytes), the limit for pipeline files"));
  }
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    ShapeCheck check;
    parser.HandleNextDocument(check);  // YAML::Load reads the first document only, too
    return YAML::Load(text);
  } catch (const LimitHit &hit) {
    return Status::Invalid(format_config_error(to_mark(hit.at, file), "", hit.message));
  } catch (const YAML::Exception &e) {
    return Status::Invalid(format_config_error(to_mark(e.mark, file), "",
                                               "invalid YAML: " + shorten_for_message(e.msg, 200)));
  }
}

std::string too_many_bytes_message() {
  return "the document has more than " + std::to_string(kMaxYamlExpandedBytes >> 20) +
         " MiB of text once aliases and ${ENV} references are expanded (each use of an alias "
         "repeats everything under its anchor); pipeline files are limited to " +
         std::to_string(kMaxYamlExpandedBytes) + " bytes of expanded text";
}

bool WalkBudget::enter(int depth) {
  if (exceeded_) return false;
  if (depth >= kMaxYamlDepth) hit(Limit::kDepth);
  if (++visits_ > kMaxYamlNodes) hit(Limit::kNodes);
  return !exceeded_;
}

void WalkBudget::add_bytes(uint64_t n) {
  bytes_ += n;
  if (bytes_ > kMaxYamlExpandedBytes) hit(Limit::kBytes);
}

uint64_t WalkBudget::bytes_left() const {
  return bytes_ >= kMaxYamlExpandedBytes ? 0 : kMaxYamlExpandedBytes - bytes_;
}

void WalkBudget::hit(Limit limit) {
  if (exceeded_) return;  // the first limit hit is the one reported
  hit_ = limit;
  exceeded_ = true;
}

std::string WalkBudget::describe() const {
  switch (hit_) {
    case Limit::kNone:
      return "";
    case Limit::kNodes:
      return too_many_nodes();
    case Limit::kDepth:
      return too_deep() + " (or an alias refers to a node that contains it)";
    case Limit::kBytes:
      return too_many_bytes_message();
  }
  return "";
}

}  // namespace halo
