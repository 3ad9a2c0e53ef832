#include "tools/corpus/corpus.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "agents/analysis/change_analysis.h"
#include "agents/analysis/file_analysis.h"
#include "agents/analysis/input_rules.h"
#include "agents/analysis/review_policy.h"
#include "common/change/change_files.h"

namespace conclave::corpus {
namespace {

namespace fs = std::filesystem;
using conclave::v1::Finding;

constexpr std::string_view kInputReviewer = "input";

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

bool IsRuleId(std::string_view token) {
  size_t letters = 0;
  while (letters < token.size() && token[letters] >= 'A' && token[letters] <= 'Z') ++letters;
  if (letters == 0 || letters == token.size()) return false;
  return std::all_of(token.begin() + letters, token.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// Where the marker's rule list starts: just after `expect:` when a `#` or `//` comment
// opener precedes it (spaces between allowed). npos when the line has no marker.
size_t MarkerStart(std::string_view line) {
  constexpr std::string_view kWord = "expect:";
  for (size_t at = line.find(kWord); at != std::string_view::npos; at = line.find(kWord, at + 1)) {
    size_t before = at;
    while (before > 0 && IsSpace(line[before - 1])) --before;
    if (before >= 1 && line[before - 1] == '#') return at + kWord.size();
    if (before >= 2 && line.substr(before - 2, 2) == "//") return at + kWord.size();
  }
  return std::string_view::npos;
}

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path.string(), ": cannot open"));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat(path.string(), ": read error"));
  return content.str();
}

// The lines of `text`, without their '\n'.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

bool Skipped(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.empty() || name[0] == '.' || name == "__pycache__";
}

absl::Status LoadCase(const fs::path& dir, std::string name, std::vector<Case>& out) {
  Case c;
  c.name = std::move(name);
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat(dir.string(), ": ", ec.message()));
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return absl::InvalidArgumentError(absl::StrCat(dir.string(), ": ", ec.message()));
    if (Skipped(it->path())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    const std::string rel = it->path().lexically_relative(dir).generic_string();
    absl::StatusOr<std::string> content = ReadFile(it->path());
    if (!content.ok()) return content.status();
    if (rel == kPolicyFileName) {
      c.policy = std::move(*content);
    } else {
      c.files.push_back({rel, std::move(*content)});
    }
  }
  std::sort(c.files.begin(), c.files.end(),
            [](const CaseFile& a, const CaseFile& b) { return a.path < b.path; });
  out.push_back(std::move(c));
  return absl::OkStatus();
}

std::vector<fs::directory_entry> SortedEntries(const fs::path& dir, std::error_code& ec) {
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (!Skipped(it->path())) entries.push_back(*it);
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

std::string FormatRatio(const std::optional<double>& value) {
  return value ? absl::StrFormat("%.2f", *value) : std::string("-");
}

std::optional<double> Ratio(int numerator, int denominator) {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / denominator;
}

// A finding as the scorer counts it: the corpus-relative file and the line it is matched on.
struct Key {
  std::string file;
  int line;
  std::string rule;
  bool operator<(const Key& o) const {
    return std::tie(file, line, rule) < std::tie(o.file, o.line, o.rule);
  }
};

struct Found {
  int count = 0;
  std::string message;
};

struct Expected {
  std::string line_text;
};

// The review policy of a case for each pack (docs/POLICY.md: severity overrides, layers); the
// empty policy when the case has none or it does not load (an error then).
std::vector<analysis::ReviewPolicy> CasePolicies(std::span<const analysis::RulePack* const> packs,
                                                 const Case& c, std::vector<std::string>& errors) {
  std::vector<analysis::ReviewPolicy> policies(packs.size());
  if (!c.policy) return policies;
  const std::string source = absl::StrCat(c.name, "/", std::string(kPolicyFileName));
  for (size_t i = 0; i < packs.size(); ++i) {
    const std::vector<analysis::RuleSpec> rules = analysis::AllRules(*packs[i]);
    absl::StatusOr<analysis::ReviewPolicy> policy =
        analysis::ReviewPolicy::Parse(*c.policy, source, rules);
    if (policy.ok()) {
      policies[i] = std::move(*policy);
    } else if (i == 0 || errors.empty() || errors.back().rfind(source, 0) != 0) {
      std::string message(policy.status().message());
      if (message.rfind(source, 0) != 0) message = absl::StrCat(source, ": ", message);
      errors.push_back(std::move(message));
    }
  }
  return policies;
}

// Every finding of every pack over one case reviewed as one change: each file through the
// per-file analysis, then each pack's change-level step over all of them, under the case's
// policy, as `scan` and the reviewer run them. The input rules' findings (which every pack
// repeats) are kept once. `reviewer_of` learns the rules a pack reports outside its rules() so
// that they are still scored, and `errors` says so.
std::vector<Finding> ReviewCase(std::span<const analysis::RulePack* const> packs, const Case& c,
                                std::map<std::string, std::string>& reviewer_of,
                                std::vector<std::string>& errors) {
  const std::vector<analysis::ReviewPolicy> policies = CasePolicies(packs, c, errors);
  std::vector<std::vector<Finding>> per_pack(packs.size());
  std::vector<std::vector<analysis::ChangeFile>> change_files(packs.size());
  for (const CaseFile& file : c.files) {
    change::ReviewFile review;
    review.path = file.path;
    review.content = file.content;
    review.language = change::LanguageForPath(file.path);
    std::vector<analysis::FileAnalysis> results = analysis::AnalyzeFileWithPacks(packs, review);
    for (size_t i = 0; i < results.size(); ++i) {
      for (Finding& f : results[i].findings) per_pack[i].push_back(std::move(f));
      if (results[i].change_file) change_files[i].push_back(std::move(*results[i].change_file));
    }
  }
  std::vector<Finding> findings;
  for (size_t i = 0; i < packs.size(); ++i) {
    std::vector<Finding> suppressed;
    analysis::RunChangeStep(*packs[i], policies[i], std::move(change_files[i]), per_pack[i],
                            suppressed);
    policies[i].ApplyOverrides(per_pack[i]);
    for (Finding& f : per_pack[i]) {
      const bool input = analysis::IsInputRule(f.rule_id());
      if (input && i != 0) continue;
      if (!input && !reviewer_of.contains(f.rule_id())) {
        errors.push_back(absl::StrCat(c.name, "/", f.file(), ":", f.line(), ": the ",
                                      std::string(packs[i]->reviewer()), " pack reported ",
                                      f.rule_id(), ", which is not among its rules()"));
        reviewer_of[f.rule_id()] = std::string(packs[i]->reviewer());
      }
      findings.push_back(std::move(f));
    }
  }
  return findings;
}

// The ids a case's directory is named after: its `_`/`-`-separated tokens that are rule ids
// once upper-cased.
std::set<std::string> RulesNamedBy(std::string_view case_name,
                                   const std::map<std::string, std::string>& reviewer_of) {
  std::set<std::string> ids;
  const std::string_view dir = case_name.substr(case_name.rfind('/') + 1);
  std::string token;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i < dir.size() && dir[i] != '_' && dir[i] != '-') {
      token += static_cast<char>(std::toupper(static_cast<unsigned char>(dir[i])));
      continue;
    }
    if (reviewer_of.contains(token)) ids.insert(token);
    token.clear();
  }
  return ids;
}

std::string ListItems(const std::vector<Item>& items, std::string_view reviewer,
                      const std::map<std::string, std::string>& reviewer_of) {
  std::string out;
  for (const Item& item : items) {
    const auto it = reviewer_of.find(item.rule_id);
    if (!reviewer.empty() && (it == reviewer_of.end() || it->second != reviewer)) continue;
    absl::StrAppend(&out, "  ", item.file, ":", item.line, ": ", item.rule_id, "  ", item.detail,
                    "\n");
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseMarker(std::string_view line) {
  const size_t start = MarkerStart(line);
  if (start == std::string_view::npos) return std::vector<std::string>();
  std::string_view rest = line.substr(start);
  std::vector<std::string> ids;
  while (true) {
    while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);
    size_t n = 0;
    while (n < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[n])) != 0)) ++n;
    const std::string_view token = rest.substr(0, n);
    if (!IsRuleId(token)) {
      if (ids.empty() || !token.empty()) {
        return absl::InvalidArgumentError(
            token.empty()
                ? std::string("the expect: marker names no rule id")
                : absl::StrCat("the expect: marker names '", std::string(token),
                               "', not a rule id (upper-case letters then digits: SEC002)"));
      }
      return absl::InvalidArgumentError("the expect: marker ends with a comma");
    }
    ids.emplace_back(token);
    rest.remove_prefix(n);
    size_t spaces = 0;
    while (spaces < rest.size() && IsSpace(rest[spaces])) ++spaces;
    if (spaces < rest.size() && rest[spaces] == ',') {
      rest.remove_prefix(spaces + 1);
      continue;
    }
    // After the last id: the end of the line, or free text after a space.
    if (!rest.empty() && spaces == 0 && rest.front() != '\r') {
      return absl::InvalidArgumentError(absl::StrCat("the expect: marker's id '", ids.back(),
                                                     "' runs into '",
                                                     std::string(rest.substr(0, 10)), "'"));
    }
    break;
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

absl::StatusOr<std::vector<Case>> LoadCorpus(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return absl::NotFoundError(absl::StrCat(root.string(), ": not a directory"));
  }
  std::vector<Case> cases;
  for (const fs::directory_entry& reviewer : SortedEntries(root, ec)) {
    if (!reviewer.is_directory()) {
      if (reviewer.path().filename() == "README.md") continue;
      return absl::InvalidArgumentError(
          absl::StrCat(reviewer.path().string(),
                       ": files belong in a case directory, CORPUS/<reviewer>/<case>/"));
    }
    for (const fs::directory_entry& dir : SortedEntries(reviewer.path(), ec)) {
      if (!dir.is_directory()) {
        if (dir.path().filename() == "README.md") continue;
        return absl::InvalidArgumentError(absl::StrCat(
            dir.path().string(), ": files belong in a case directory, CORPUS/<reviewer>/<case>/"));
      }
      const std::string name =
          absl::StrCat(reviewer.path().filename().string(), "/", dir.path().filename().string());
      if (absl::Status s = LoadCase(dir.path(), name, cases); !s.ok()) return s;
    }
    if (ec)
      return absl::InvalidArgumentError(absl::StrCat(reviewer.path().string(), ": ", ec.message()));
  }
  if (ec) return absl::InvalidArgumentError(absl::StrCat(root.string(), ": ", ec.message()));
  if (cases.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(root.string(), ": no cases (expected CORPUS/<reviewer>/<case>/<files>)"));
  }
  return cases;
}

std::optional<double> RuleScore::precision() const { return Ratio(tp, tp + fp); }
std::optional<double> RuleScore::recall() const { return Ratio(tp, tp + fn); }
std::optional<double> ReviewerScore::precision() const { return Ratio(tp, tp + fp); }
std::optional<double> ReviewerScore::recall() const { return Ratio(tp, tp + fn); }

const ReviewerScore* Score::reviewer(std::string_view name) const {
  for (const ReviewerScore& r : reviewers) {
    if (r.reviewer == name) return &r;
  }
  return nullptr;
}

Score ScoreCorpus(std::span<const analysis::RulePack* const> packs, std::span<const Case> cases) {
  Score score;
  std::map<std::string, std::string> reviewer_of;
  std::vector<std::string> order;
  // Unknown ids named by markers: how many markers, and where the first is.
  std::map<std::string, std::pair<int, std::string>> unknown;
  auto add_rule = [&](std::string_view id, std::string_view reviewer) {
    if (reviewer_of.emplace(std::string(id), std::string(reviewer)).second) {
      order.emplace_back(id);
    }
  };
  for (const analysis::RuleSpec& rule : analysis::InputRules()) add_rule(rule.id, kInputReviewer);
  for (const analysis::RulePack* pack : packs) {
    for (const analysis::RuleSpec& rule : pack->rules()) add_rule(rule.id, pack->reviewer());
  }

  std::map<Key, Found> found;
  std::map<Key, Expected> expected;
  std::set<std::string> with_tn_file;
  for (const Case& c : cases) {
    ++score.cases;
    const std::set<std::string> named = RulesNamedBy(c.name, reviewer_of);
    for (const CaseFile& file : c.files) {
      ++score.files;
      const std::string path = absl::StrCat(c.name, "/", file.path);
      std::set<std::string> marked;
      int line_no = 0;
      for (std::string_view line : Lines(file.content)) {
        ++line_no;
        absl::StatusOr<std::vector<std::string>> ids = ParseMarker(line);
        if (!ids.ok()) {
          score.errors.push_back(absl::StrCat(path, ":", line_no, ": ", ids.status().message()));
          continue;
        }
        for (std::string& id : *ids) {
          if (!reviewer_of.contains(id)) {
            auto [it, first] = unknown.try_emplace(id, 0, absl::StrCat(path, ":", line_no));
            ++it->second.first;
            continue;
          }
          marked.insert(id);
          std::string_view text = line;
          while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
          expected[{path, line_no, std::move(id)}] = {std::string(text)};
        }
      }
      for (const std::string& id : named) {
        if (!marked.contains(id)) with_tn_file.insert(id);
      }
    }
    for (Finding& f : ReviewCase(packs, c, reviewer_of, score.errors)) {
      ++score.findings;
      if (!reviewer_of.contains(f.rule_id())) continue;
      if (std::find(order.begin(), order.end(), f.rule_id()) == order.end()) {
        order.push_back(f.rule_id());
      }
      Found& slot =
          found[{absl::StrCat(c.name, "/", f.file()), std::max(f.line(), 1), f.rule_id()}];
      if (slot.count++ == 0) slot.message = f.message();
    }
  }

  for (const auto& [id, where] : unknown) {
    score.errors.push_back(absl::StrCat(
        where.second, ": the expect: marker names ", id,
        ", which no reviewer reports (a typo, or a rule not written yet)",
        where.first > 1
            ? absl::StrCat("; ", where.first - 1,
                           where.first > 2 ? " more markers name it" : " more marker names it")
            : ""));
  }

  std::map<std::string, RuleScore> rules;
  for (const std::string& id : order) {
    RuleScore& r = rules[id];
    r.id = id;
    r.reviewer = reviewer_of[id];
    r.has_tn_file = with_tn_file.contains(id);
  }
  for (const auto& [key, want] : expected) {
    RuleScore& r = rules[key.rule];
    ++r.expected;
    r.has_tp_case = true;
    const auto it = found.find(key);
    if (it != found.end()) {
      ++r.tp;
    } else {
      ++r.fn;
      score.false_negatives.push_back({key.file, key.line, key.rule, want.line_text});
    }
  }
  for (const auto& [key, got] : found) {
    RuleScore& r = rules[key.rule];
    const int extra = expected.contains(key) ? got.count - 1 : got.count;
    if (extra <= 0) continue;
    r.fp += extra;
    std::string detail = got.message;
    if (expected.contains(key)) {
      detail = absl::StrCat("reported ", got.count, " times on one line: ", got.message);
    } else if (extra > 1) {
      detail = absl::StrCat("(", extra, " findings) ", got.message);
    }
    score.false_positives.push_back({key.file, key.line, key.rule, std::move(detail)});
  }

  std::vector<std::string> reviewer_order = {std::string(kInputReviewer)};
  for (const analysis::RulePack* pack : packs) reviewer_order.emplace_back(pack->reviewer());
  for (const std::string& name : reviewer_order) {
    ReviewerScore total;
    total.reviewer = name;
    for (const std::string& id : order) {
      const RuleScore& r = rules[id];
      if (r.reviewer != name) continue;
      total.tp += r.tp;
      total.fp += r.fp;
      total.fn += r.fn;
    }
    score.reviewers.push_back(std::move(total));
  }
  for (const std::string& id : order) score.rules.push_back(rules[id]);
  return score;
}

bool MeetsThresholds(const ReviewerScore& reviewer, const Thresholds& thresholds) {
  const std::optional<double> p = reviewer.precision();
  const std::optional<double> r = reviewer.recall();
  // A reviewer that expected findings but reported none has precision 0, not "unmeasured".
  if (!p && reviewer.fn > 0) return false;
  return (!p || *p >= thresholds.min_precision) && (!r || *r >= thresholds.min_recall);
}

bool Passes(const Score& score, const Thresholds& thresholds) {
  if (!score.errors.empty()) return false;
  return std::all_of(score.reviewers.begin(), score.reviewers.end(),
                     [&](const ReviewerScore& r) { return MeetsThresholds(r, thresholds); });
}

std::string FormatReport(const Score& score, const Thresholds& thresholds, bool verbose) {
  std::map<std::string, std::string> reviewer_of;
  for (const RuleScore& r : score.rules) reviewer_of[r.id] = r.reviewer;
  std::string out = absl::StrFormat("%d cases, %d files, %d findings\n\n", score.cases, score.files,
                                    score.findings);
  absl::StrAppend(&out, absl::StrFormat("%-10s %-13s %5s %5s %5s %9s %7s  %s\n", "rule", "reviewer",
                                        "TP", "FP", "FN", "precision", "recall", "notes"));
  std::vector<std::string> no_tp, no_tn;
  for (const RuleScore& r : score.rules) {
    std::vector<std::string> notes;
    if (!r.has_tp_case) {
      notes.push_back("no true-positive case");
      no_tp.push_back(r.id);
    }
    if (!r.has_tn_file) {
      notes.push_back("no true-negative file");
      no_tn.push_back(r.id);
    }
    absl::StrAppend(&out, absl::StrFormat("%-10s %-13s %5d %5d %5d %9s %7s  %s\n", r.id, r.reviewer,
                                          r.tp, r.fp, r.fn, FormatRatio(r.precision()),
                                          FormatRatio(r.recall()), absl::StrJoin(notes, "; ")));
  }
  absl::StrAppend(&out, absl::StrFormat("\n%-13s %5s %5s %5s %9s %7s  (precision >= %.2f, "
                                        "recall >= %.2f)\n",
                                        "reviewer", "TP", "FP", "FN", "precision", "recall",
                                        thresholds.min_precision, thresholds.min_recall));
  std::vector<std::string> failing;
  for (const ReviewerScore& r : score.reviewers) {
    const bool ok = MeetsThresholds(r, thresholds);
    if (!ok) failing.push_back(r.reviewer);
    absl::StrAppend(&out, absl::StrFormat("%-13s %5d %5d %5d %9s %7s  %s\n", r.reviewer, r.tp, r.fp,
                                          r.fn, FormatRatio(r.precision()), FormatRatio(r.recall()),
                                          ok ? "PASS" : "FAIL"));
  }
  if (!no_tp.empty()) {
    absl::StrAppend(&out, "\nrules without a true-positive case: ", absl::StrJoin(no_tp, ", "),
                    "\n");
  }
  if (!no_tn.empty()) {
    absl::StrAppend(&out,
                    "rules without a true-negative file (a file of a case named after the "
                    "rule, with no marker for it): ",
                    absl::StrJoin(no_tn, ", "), "\n");
  }
  for (const std::string& reviewer : verbose ? std::vector<std::string>{""} : failing) {
    const std::string fps = ListItems(score.false_positives, reviewer, reviewer_of);
    const std::string fns = ListItems(score.false_negatives, reviewer, reviewer_of);
    const std::string who = reviewer.empty() ? "" : absl::StrCat(" (", reviewer, ")");
    if (!fps.empty()) absl::StrAppend(&out, "\nfalse positives", who, ":\n", fps);
    if (!fns.empty()) absl::StrAppend(&out, "\nfalse negatives", who, ":\n", fns);
  }
  if (!score.errors.empty()) {
    absl::StrAppend(&out, "\nerrors:\n");
    for (const std::string& e : score.errors) absl::StrAppend(&out, "  ", e, "\n");
  }
  return out;
}

}  // namespace conclave::corpus
