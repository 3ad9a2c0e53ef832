// Inline suppressions: comments that hide findings on their line. Read from tree-sitter's
// comment nodes only, so "# nosec" inside a string literal suppresses nothing; the text of a
// comment is then parsed by hand. The forms, on the line a finding starts on:
//   # nosec                       every rule
//   # nosec SEC001 / # nosec: SEC001,SEC002   Bandit's forms with Conclave's rule ids
//   # conclave: ignore[SEC001] / # conclave: ignore[SEC001,PERF002]
// Immutable once built; safe to read from several threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "agents/analysis/parsed_module.h"

namespace conclave::analysis {

// What one comment suppresses: every rule, or the rule ids listed (upper case).
struct CommentSuppression {
  bool all_rules = false;
  std::vector<std::string> rule_ids;

  bool Covers(std::string_view rule_id) const;
};

// Parses the text of one comment ("# nosec SEC001"). nullopt when it suppresses nothing.
std::optional<CommentSuppression> ParseSuppressionComment(std::string_view comment);

class InlineSuppressions {
 public:
  static InlineSuppressions FromModule(const ParsedModule& module);
  // From JavaScript comments: `// nosec SEC101`, `/* conclave: ignore[SEC103] */` read like
  // their `#` forms. `source` is the text the comment nodes were parsed from.
  static InlineSuppressions FromJavaScriptComments(const std::vector<Node>& comments,
                                                   std::string_view source);

  // Whether a comment on `line` (1-based) suppresses `rule_id`.
  bool Suppresses(int line, std::string_view rule_id) const;
  bool empty() const { return lines_.empty(); }

 private:
  // Records a comment's suppression on `line`, merged with any other on the same line.
  void Add(int line, CommentSuppression suppression);

  absl::flat_hash_map<int, CommentSuppression> lines_;
};

}  // namespace conclave::analysis
