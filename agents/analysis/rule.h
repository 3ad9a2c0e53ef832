// Rules and the findings they produce. A RuleSpec is the static description of one rule: its
// stable id, default severity, CWE, confidence (the rule's measured precision) and texts. A
// FindingCollector builds the findings of one file, remembering for each the span of lines it
// concerns so that a diff review keeps findings whose span touches a changed line.
// RuleSpecs are immutable; a FindingCollector belongs to one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agents/analysis/parsed_module.h"
#include "conclave/v1/change.pb.h"
#include "conclave/v1/review.pb.h"

namespace conclave::analysis {

struct RuleSpec {
  std::string_view id;    // "SEC001"
  std::string_view name;  // "eval-injection": short, kebab-case
  conclave::v1::Severity severity;
  int cwe;  // 0 when none applies
  double confidence;
  std::string_view description;
  std::string_view remediation;
};

conclave::v1::RuleInfo ToRuleInfo(const RuleSpec& rule);

// A finding and the lines it concerns (first_line..last_line, both inclusive).
struct ScopedFinding {
  conclave::v1::Finding finding;
  int first_line = 0;
  int last_line = 0;
};

class FindingCollector {
 public:
  explicit FindingCollector(std::string file) : file_(std::move(file)) {}

  // Adds a finding of `rule` at `at`, concerning lines at.line..last_line (at.line when
  // last_line is 0), with the rule's default severity and confidence. Returns the finding so
  // the caller may adjust its severity; the reference is valid until the next Add.
  conclave::v1::Finding& Add(const RuleSpec& rule, Location at, std::string message,
                             std::string suggestion, int last_line = 0);

  const std::vector<ScopedFinding>& findings() const { return findings_; }
  std::vector<ScopedFinding> Take() { return std::move(findings_); }

 private:
  std::string file_;
  std::vector<ScopedFinding> findings_;
};

// "HIGH", "MEDIUM", ... for messages and reports.
std::string_view SeverityName(conclave::v1::Severity severity);

// Shortens source text quoted in a message to `max` bytes (on a UTF-8 boundary), with "…".
std::string Quote(std::string_view text, size_t max = 60);

}  // namespace conclave::analysis
