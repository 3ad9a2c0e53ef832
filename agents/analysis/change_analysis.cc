#include "agents/analysis/change_analysis.h"

#include <algorithm>
#include <utility>

#include "agents/analysis/rule_pack.h"

namespace conclave::analysis {

bool ChangeFile::SpanInScope(int first, int last) const {
  if (changed_lines.empty()) return true;
  if (last < first) last = first;
  if (static_cast<size_t>(last - first) < changed_lines.size()) {
    for (int line = first; line <= last; ++line) {
      if (changed_lines.contains(line)) return true;
    }
    return false;
  }
  return std::any_of(changed_lines.begin(), changed_lines.end(),
                     [&](int line) { return line >= first && line <= last; });
}

conclave::v1::Finding& ChangeFindingCollector::Add(const RuleSpec& rule, size_t file, Location at,
                                                   std::string message, std::string suggestion,
                                                   int last_line) {
  FindingCollector one(files_[file].path);
  one.Add(rule, at, std::move(message), std::move(suggestion), last_line);
  Entry& entry = found_.emplace_back();
  entry.file = file;
  entry.scoped = std::move(one.Take().front());
  return entry.scoped.finding;
}

void RunChangeStep(const RulePack& pack, const ReviewPolicy& policy, std::vector<ChangeFile> files,
                   std::vector<conclave::v1::Finding>& findings,
                   std::vector<conclave::v1::Finding>& suppressed) {
  if (!pack.has_change_rules() || files.empty()) return;
  std::sort(files.begin(), files.end(),
            [](const ChangeFile& a, const ChangeFile& b) { return a.path < b.path; });
  ChangeFindingCollector collector(files);
  pack.CheckChange(ChangeContext{files, policy}, collector);
  for (ChangeFindingCollector::Entry& entry : collector.Take()) {
    const ChangeFile& file = files[entry.file];
    ScopedFinding& scoped = entry.scoped;
    if (!file.SpanInScope(scoped.first_line, scoped.last_line)) continue;
    const std::string& rule = scoped.finding.rule_id();
    const bool hidden = file.suppressions.Suppresses(scoped.finding.line(), rule) ||
                        file.suppressions.Suppresses(scoped.first_line, rule);
    (hidden ? suppressed : findings).push_back(std::move(scoped.finding));
  }
}

}  // namespace conclave::analysis
