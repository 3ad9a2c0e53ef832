#include "agents/analysis/file_analysis.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/status/statusor.h"
#include "agents/analysis/input_rules.h"
#include "agents/analysis/javascript/js_module.h"
#include "agents/analysis/parsed_module.h"
#include "agents/analysis/suppressions.h"

namespace conclave::analysis {
namespace {

// Whether any line of first..last was added by the diff (always true for a whole file).
bool SpanInScope(const change::ReviewFile& file, int first, int last) {
  if (file.changed_lines.empty()) return true;
  if (last < first) last = first;
  // Walk the shorter of the span and the set of added lines.
  if (static_cast<size_t>(last - first) < file.changed_lines.size()) {
    for (int line = first; line <= last; ++line) {
      if (file.changed_lines.contains(line)) return true;
    }
    return false;
  }
  for (int line : file.changed_lines) {
    if (line >= first && line <= last) return true;
  }
  return false;
}

int64_t LinesInScope(const change::ReviewFile& file) {
  if (file.changed_lines.empty()) return CountLines(file.content);
  // Line 0 marks a diff that only removes lines; it is not a line of the file.
  return static_cast<int64_t>(file.changed_lines.size()) - (file.changed_lines.contains(0) ? 1 : 0);
}

// `found` by value: the input rules' findings are copied into each pack's result. Input-rule
// findings concern the whole file and are never suppressed inline.
void KeepInScope(const change::ReviewFile& file, std::vector<ScopedFinding> found,
                 FileAnalysis& out, const InlineSuppressions* suppressions = nullptr) {
  for (ScopedFinding& scoped : found) {
    const std::string& rule = scoped.finding.rule_id();
    if (IsInputRule(rule)) {
      out.findings.push_back(std::move(scoped.finding));
      continue;
    }
    if (!SpanInScope(file, scoped.first_line, scoped.last_line)) continue;
    const bool suppressed =
        suppressions != nullptr && (suppressions->Suppresses(scoped.finding.line(), rule) ||
                                    suppressions->Suppresses(scoped.first_line, rule));
    (suppressed ? out.suppressed : out.findings).push_back(std::move(scoped.finding));
  }
}

// A JavaScript file: the packs that read JavaScript check its JsModule; the others report
// nothing for it, and its lines count for them as in scope but not covered.
std::vector<FileAnalysis> AnalyzeJavaScript(std::span<const RulePack* const> packs,
                                            const change::ReviewFile& file,
                                            FindingCollector& input,
                                            std::vector<FileAnalysis> out) {
  if (std::none_of(packs.begin(), packs.end(),
                   [](const RulePack* p) { return p->reads_javascript(); })) {
    return out;
  }
  absl::StatusOr<javascript::JsModule> module =
      javascript::JsModule::Parse(file.path, file.content);
  if (module.ok() && module->has_error()) ReportSyntaxError(file, *module, input);
  if (!module.ok()) ReportParseFailure(file, module.status(), input);
  const InlineSuppressions suppressions =
      module.ok() ? InlineSuppressions::FromJavaScriptComments(module->comments(), file.content)
                  : InlineSuppressions();
  for (size_t i = 0; i < packs.size(); ++i) {
    if (!packs[i]->reads_javascript()) continue;
    FileAnalysis& analysis = out[i];
    KeepInScope(file, input.findings(), analysis);
    if (!module.ok()) continue;
    FindingCollector collector(file.path);
    packs[i]->CheckJavaScript(*module, collector);
    analysis.analyzed = true;
    analysis.lines_covered = module->has_error() ? 0 : analysis.lines_in_scope;
    KeepInScope(file, collector.Take(), analysis, &suppressions);
  }
  return out;
}

}  // namespace

int64_t CountLines(std::string_view text) {
  if (text.empty()) return 0;
  const int64_t newlines = std::count(text.begin(), text.end(), '\n');
  return newlines + (text.back() == '\n' ? 0 : 1);
}

FileAnalysis AnalyzeFile(const RulePack& pack, const change::ReviewFile& file) {
  const RulePack* packs[] = {&pack};
  return std::move(AnalyzeFileWithPacks(packs, file).front());
}

std::vector<FileAnalysis> AnalyzeFileWithPacks(std::span<const RulePack* const> packs,
                                               const change::ReviewFile& file) {
  std::vector<FileAnalysis> out(packs.size());
  if (file.deleted) return out;
  const int64_t lines_in_scope = LinesInScope(file);
  for (FileAnalysis& analysis : out) analysis.lines_in_scope = lines_in_scope;
  FindingCollector input(file.path);
  if (!CheckUtf8(file, input) || !CheckLanguage(file, input)) {
    for (FileAnalysis& analysis : out) KeepInScope(file, input.findings(), analysis);
    return out;
  }
  if (IsJavaScript(file)) return AnalyzeJavaScript(packs, file, input, std::move(out));
  absl::StatusOr<ParsedModule> module = ParsedModule::Parse(file.path, file.content);
  if (!module.ok()) {
    ReportParseFailure(file, module.status(), input);
    for (FileAnalysis& analysis : out) KeepInScope(file, input.findings(), analysis);
    return out;
  }
  if (module->has_error()) ReportSyntaxError(file, *module, input);
  const InlineSuppressions suppressions = InlineSuppressions::FromModule(*module);
  int max_complexity = 0;
  for (const FunctionInfo& f : module->functions()) {
    if (SpanInScope(file, f.first_line, f.last_line)) {
      max_complexity = std::max(max_complexity, f.complexity);
    }
  }
  for (size_t i = 0; i < packs.size(); ++i) {
    FindingCollector collector(file.path);
    packs[i]->Check(*module, collector);
    FileAnalysis& analysis = out[i];
    analysis.analyzed = true;
    analysis.lines_covered = module->has_error() ? 0 : lines_in_scope;
    analysis.max_complexity = max_complexity;
    KeepInScope(file, input.findings(), analysis);
    KeepInScope(file, collector.Take(), analysis, &suppressions);
    if (packs[i]->has_change_rules()) {
      ChangeFile& change_file = analysis.change_file.emplace();
      change_file.path = file.path;
      packs[i]->Summarize(*module, change_file.summary);
      change_file.changed_lines = file.changed_lines;
      change_file.suppressions = suppressions;
    }
  }
  return out;
}

void AddToTally(FileAnalysis&& file, ReviewTally& tally) {
  tally.lines_in_scope += file.lines_in_scope;
  tally.lines_covered += file.lines_covered;
  tally.max_complexity = std::max(tally.max_complexity, file.max_complexity);
  if (file.analyzed) ++tally.files_analyzed;
  for (conclave::v1::Finding& f : file.findings) tally.findings.push_back(std::move(f));
}

void SortFindings(std::vector<conclave::v1::Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const conclave::v1::Finding& a, const conclave::v1::Finding& b) {
                     return std::forward_as_tuple(a.file(), a.line(), a.column(), a.rule_id()) <
                            std::forward_as_tuple(b.file(), b.line(), b.column(), b.rule_id());
                   });
}

std::vector<RuleSpec> AllRules(const RulePack& pack) {
  std::vector<RuleSpec> rules = InputRules();
  rules.insert(rules.end(), pack.rules().begin(), pack.rules().end());
  return rules;
}

}  // namespace conclave::analysis
