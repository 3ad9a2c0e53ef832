// ReviewPolicy: the `review:` section of the policy file (docs/POLICY.md) as the reviewers and
// `scan` read it: per-rule severity overrides (a severity, or `off` to disable the rule),
// applied to findings before the verdict, and layering rules (named layers of path globs, and
// the layers each may not import) for the architecture reviewer's ARCH007. The rest of the
// file belongs to the supervisor and is not read here. Immutable once loaded; safe to read
// from several threads.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "agents/analysis/rule.h"
#include "conclave/v1/change.pb.h"

namespace conclave::analysis {

struct Layer {
  std::string name;
  // Globs over '/'-separated paths: `*` and `?` within one segment, `**` any number of
  // segments. A glob matches a path or any tail of it that starts at a segment, as if it began
  // with `**/`.
  std::vector<std::string> paths;
  std::vector<int> may_not_import;  // indexes in layers()
};

class ReviewPolicy {
 public:
  // The empty policy: no overrides, no layers.
  ReviewPolicy() = default;

  // Parses a policy document; `source` names it in errors. `rules` are every rule the reviewer
  // reports (AllRules): a severity override of an id in one of their families (ARCH, SEC, ...)
  // must name one of them; an id of another reviewer's family (INPUT, SEC, PERF, ARCH) is
  // accepted for that reviewer to check. InvalidArgument naming the key on any error.
  static absl::StatusOr<ReviewPolicy> Parse(std::string_view yaml, std::string_view source,
                                            std::span<const RuleSpec> rules);
  static absl::StatusOr<ReviewPolicy> LoadFile(const std::string& path,
                                               std::span<const RuleSpec> rules);

  // Applies the overrides to `findings`: changes the severities of overridden rules and drops
  // the findings of rules that are off. Findings of other rules keep theirs.
  void ApplyOverrides(std::vector<conclave::v1::Finding>& findings) const;
  bool empty() const { return severity_.empty() && layers_.empty(); }

  const std::vector<Layer>& layers() const { return layers_; }
  using SeverityMap = std::map<std::string, std::optional<conclave::v1::Severity>, std::less<>>;
  // The first layer (in policy order) whose globs match `path`; -1 when none.
  int LayerOf(std::string_view path) const;

 private:
  SeverityMap severity_;
  std::vector<Layer> layers_;
};

// Whether `glob` matches `path` or a tail of it that starts at a segment (see Layer::paths).
bool PathGlobMatches(std::string_view glob, std::string_view path);

}  // namespace conclave::analysis
