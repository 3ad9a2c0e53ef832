#include "tools/rules_doc/rules_doc.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "agents/analysis/input_rules.h"
#include "common/change/change_files.h"

namespace conclave::rules_doc {
namespace {

using analysis::RuleSpec;

// absl::StrCat takes Debian abseil's own string_view, not std::string_view: a small
// concatenation over std types instead.
void AppendPart(std::string& out, std::string_view part) { out.append(part); }
void AppendPart(std::string& out, int part) { out.append(std::to_string(part)); }
template <typename... Parts>
void Append(std::string& out, const Parts&... parts) {
  (AppendPart(out, parts), ...);
}
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  Append(out, parts...);
  return out;
}

struct Example {
  std::string where;  // "security/sec002_x/tp_concat.py:12"
  std::string language;
  std::string excerpt;
};

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

// The line without its expectation marker (the comment opener before `expect:` and all after
// it) and trailing spaces; other comments stay.
std::string WithoutMarker(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  absl::StatusOr<std::vector<std::string>> ids = corpus::ParseMarker(line);
  if (ids.ok() && !ids->empty()) {
    const size_t at = line.rfind("expect:");
    size_t cut = at;
    while (cut > 0 && (line[cut - 1] == ' ' || line[cut - 1] == '\t')) --cut;
    if (cut > 0 && line[cut - 1] == '#') {
      --cut;
    } else if (cut > 1 && line.substr(cut - 2, 2) == "//") {
      cut -= 2;
    }
    line = line.substr(0, cut);
  }
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return std::string(line);
}

// Bytes that are not valid UTF-8 (an INPUT001 example) shown as \xNN.
std::string Printable(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const int64_t bad = change::FirstInvalidUtf8(text);
    if (bad < 0) {
      out.append(text);
      break;
    }
    out.append(text.substr(0, bad));
    out += absl::StrFormat("\\x%02x", static_cast<unsigned char>(text[bad]));
    text.remove_prefix(bad + 1);
  }
  return out;
}

std::string LanguageOf(const std::string& path) {
  const std::string language = change::LanguageForPath(path);
  return language.empty() ? "text" : language;
}

std::string Excerpt(std::string_view content, int line, std::string_view rule_id,
                    std::string_view language) {
  const std::vector<std::string_view> lines = Lines(content);
  int first = std::max(1, line - kContextLines);
  int last = std::min(static_cast<int>(lines.size()), line + kContextLines);
  const std::string_view comment = language == "javascript" ? "//" : "#";
  // Blank lines at the edges of the context show nothing.
  while (first < line && WithoutMarker(lines[first - 1]).empty()) ++first;
  while (last > line && WithoutMarker(lines[last - 1]).empty()) --last;
  std::string out;
  for (int n = first; n <= last; ++n) {
    std::string text = Printable(WithoutMarker(lines[n - 1]));
    if (n == line) Append(text, text.empty() ? "" : "  ", comment, " <- ", rule_id);
    Append(out, text, "\n");
  }
  return out;
}

// The first marked line of each rule that the rule does report (not a false negative),
// preferring files named tp_*; cases and files in path order.
std::map<std::string, Example> FindExamples(std::span<const analysis::RulePack* const> packs,
                                            std::span<const corpus::Case> cases) {
  const corpus::Score score = corpus::ScoreCorpus(packs, cases);
  std::set<std::tuple<std::string, int, std::string>> missed;
  for (const corpus::Item& fn : score.false_negatives) missed.emplace(fn.file, fn.line, fn.rule_id);
  std::map<std::string, Example> preferred, fallback;
  for (const corpus::Case& c : cases) {
    for (const corpus::CaseFile& file : c.files) {
      const std::string path = Cat(c.name, "/", file.path);
      const size_t slash = file.path.rfind('/');
      const bool tp_named =
          file.path.compare(slash == std::string::npos ? 0 : slash + 1, 2, "tp") == 0;
      const std::vector<std::string_view> lines = Lines(file.content);
      for (size_t i = 0; i < lines.size(); ++i) {
        absl::StatusOr<std::vector<std::string>> ids = corpus::ParseMarker(lines[i]);
        if (!ids.ok()) continue;
        const int line = static_cast<int>(i) + 1;
        for (const std::string& id : *ids) {
          if (missed.contains({path, line, id})) continue;
          auto& into = tp_named ? preferred : fallback;
          if (into.contains(id)) continue;
          const std::string language = LanguageOf(file.path);
          into[id] = {Cat(path, ":", line), language, Excerpt(file.content, line, id, language)};
        }
      }
    }
  }
  for (auto& [id, example] : fallback) preferred.emplace(id, std::move(example));
  return preferred;
}

std::string Cwe(int cwe, bool link) {
  if (cwe <= 0) return "—";
  if (!link) return Cat("CWE-", cwe);
  return absl::StrFormat("[CWE-%d](https://cwe.mitre.org/data/definitions/%d.html)", cwe, cwe);
}

std::string Anchor(const RuleSpec& rule) {
  std::string anchor;
  for (char c : Cat(rule.id, " ", rule.name)) {
    if (c == ' ') {
      anchor += '-';
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
      anchor += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return anchor;
}

void AppendRule(const RuleSpec& rule, const std::map<std::string, Example>& examples,
                std::string& out) {
  Append(out, "### ", rule.id, " ", rule.name, "\n\n");
  Append(out, "| Severity | CWE | Confidence |\n|---|---|---|\n| ",
         analysis::SeverityName(rule.severity), " | ", Cwe(rule.cwe, true), " | ",
         absl::StrFormat("%.2f", rule.confidence), " |\n\n");
  Append(out, "**What it finds.** ", rule.description, "\n\n");
  const auto it = examples.find(std::string(rule.id));
  if (it == examples.end()) {
    Append(out, "**Example.** None yet: the corpus has no true-positive case of ", rule.id,
           ".\n\n");
  } else {
    Append(out, "**Example** (`", it->second.where, "`):\n\n```", it->second.language, "\n",
           it->second.excerpt, "```\n\n");
  }
  Append(out, "**How to fix.** ", rule.remediation, "\n\n");
}

struct Section {
  std::string title;
  std::string intro;
  std::vector<RuleSpec> rules;
};

}  // namespace

std::string GenerateRulesDoc(std::span<const analysis::RulePack* const> packs,
                             std::span<const corpus::Case> cases) {
  std::vector<Section> sections;
  sections.push_back({"Input rules (every reviewer)",
                      "Reported by every reviewer before its own rules, for files it cannot "
                      "read: never a silent skip.",
                      analysis::InputRules()});
  for (const analysis::RulePack* pack : packs) {
    std::string title(pack->reviewer());
    title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
    sections.push_back(
        {Cat(title, " reviewer"),
         pack->reject_policy() == analysis::RejectPolicy::kMayReject
             ? "Its findings at HIGH or above make the reviewer reject the change."
             : "Its findings advise; they never make the reviewer reject the change.",
         pack->rules()});
  }
  const std::map<std::string, Example> examples = FindExamples(packs, cases);

  std::string out =
      "# Rule catalogue\n\n"
      "<!-- Generated by conclave-rules-doc from the rules' RuleSpecs and tests/corpus; do not "
      "edit. -->\n\n"
      "Every rule a Conclave reviewer reports, generated from the rules themselves (each rule "
      "pack's `RuleSpec`: id, name, severity, CWE, confidence, what it finds, how to fix) and "
      "from the labelled corpus (`tests/corpus`, see [CORPUS.md](CORPUS.md)): each example is "
      "the marked line of a case the rule reports, with its context. Confidence is the rule's "
      "measured precision. Regenerate after adding or changing a rule or its cases:\n\n";
  Append(out, "    ", kRegenerateCommand, "\n\n",
         "The ctest `rules_doc_up_to_date` fails while this file differs from the "
         "generated text.\n\n");
  Append(out, "| Rule | Name | Reviewer | Severity | CWE |\n|---|---|---|---|---|\n");
  for (const Section& s : sections) {
    const std::string reviewer = s.title.substr(0, s.title.find(' '));
    for (const RuleSpec& rule : s.rules) {
      Append(out, "| [", rule.id, "](#", Anchor(rule), ") | ", rule.name, " | ", reviewer, " | ",
             analysis::SeverityName(rule.severity), " | ", Cwe(rule.cwe, false), " |\n");
    }
  }
  out += "\n";
  for (const Section& s : sections) {
    Append(out, "## ", s.title, "\n\n", s.intro, "\n\n");
    for (const RuleSpec& rule : s.rules) AppendRule(rule, examples, out);
  }
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') {
    out.pop_back();
  }
  return out;
}

}  // namespace conclave::rules_doc
