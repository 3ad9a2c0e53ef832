#include "agents/analysis/suppressions.h"

#include <algorithm>
#include <cctype>

namespace conclave::analysis {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

void SkipSpaces(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

bool ConsumePrefix(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// A rule id is letters then digits: SEC001, PERF002, B602.
bool LooksLikeRuleId(std::string_view token) {
  size_t letters = 0;
  while (letters < token.size() && std::isalpha(static_cast<unsigned char>(token[letters]))) {
    ++letters;
  }
  if (letters == 0 || letters == token.size()) return false;
  return std::all_of(token.begin() + letters, token.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// After "nosec": optional ':' then ids separated by commas or spaces, up to the first word
// that is not an id ("# nosec -- trusted input" suppresses every rule).
CommentSuppression ParseNosecTail(std::string_view rest) {
  CommentSuppression s;
  SkipSpaces(rest);
  ConsumePrefix(rest, ":");
  while (true) {
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t' || rest.front() == ',')) {
      rest.remove_prefix(1);
    }
    size_t n = 0;
    while (n < rest.size() && IsWordChar(rest[n])) ++n;
    if (n == 0 || !LooksLikeRuleId(rest.substr(0, n))) break;
    s.rule_ids.push_back(Upper(rest.substr(0, n)));
    rest.remove_prefix(n);
  }
  s.all_rules = s.rule_ids.empty();
  return s;
}

// After "conclave:": "ignore[ID, ID]". nullopt for anything else or an empty list.
std::optional<CommentSuppression> ParseConclaveTail(std::string_view rest) {
  SkipSpaces(rest);
  if (!ConsumePrefix(rest, "ignore")) return std::nullopt;
  SkipSpaces(rest);
  if (!ConsumePrefix(rest, "[")) return std::nullopt;
  const size_t close = rest.find(']');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view list = rest.substr(0, close);
  CommentSuppression s;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view id = list.substr(0, comma);
    SkipSpaces(id);
    while (!id.empty() && (id.back() == ' ' || id.back() == '\t')) id.remove_suffix(1);
    if (!LooksLikeRuleId(id)) return std::nullopt;
    s.rule_ids.push_back(Upper(id));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  if (s.rule_ids.empty()) return std::nullopt;
  return s;
}

void Merge(CommentSuppression& into, CommentSuppression from) {
  into.all_rules = into.all_rules || from.all_rules;
  for (std::string& id : from.rule_ids) into.rule_ids.push_back(std::move(id));
}

}  // namespace

bool CommentSuppression::Covers(std::string_view rule_id) const {
  if (all_rules) return true;
  const std::string id = Upper(rule_id);
  return std::find(rule_ids.begin(), rule_ids.end(), id) != rule_ids.end();
}

// A comment may hold several markers ("# noqa: E501  # nosec SEC002"); each starts at a '#'.
std::optional<CommentSuppression> ParseSuppressionComment(std::string_view comment) {
  std::optional<CommentSuppression> found;
  for (size_t hash = comment.find('#'); hash != std::string_view::npos;
       hash = comment.find('#', hash + 1)) {
    std::string_view rest = comment.substr(hash + 1);
    SkipSpaces(rest);
    std::optional<CommentSuppression> one;
    if (rest.starts_with("nosec") && (rest.size() == 5 || !IsWordChar(rest[5]))) {
      one = ParseNosecTail(rest.substr(5));
    } else if (ConsumePrefix(rest, "conclave:")) {
      one = ParseConclaveTail(rest);
    }
    if (!one) continue;
    if (!found) {
      found = std::move(one);
    } else {
      Merge(*found, std::move(*one));
    }
  }
  return found;
}

InlineSuppressions InlineSuppressions::FromJavaScriptComments(const std::vector<Node>& comments,
                                                             std::string_view source) {
  InlineSuppressions out;
  for (Node comment : comments) {
    std::string_view text = NodeText(comment, source);
    if (text.size() < 2) continue;
    // "// nosec" and "/* nosec */" read as "# nosec".
    std::string hashed = "#";
    hashed.append(text.substr(2));
    if (text.starts_with("/*") && hashed.ends_with("*/")) hashed.resize(hashed.size() - 2);
    std::optional<CommentSuppression> s = ParseSuppressionComment(hashed);
    if (!s) continue;
    out.Add(NodeLine(comment), std::move(*s));
  }
  return out;
}

InlineSuppressions InlineSuppressions::FromModule(const ParsedModule& module) {
  InlineSuppressions out;
  for (Node comment : module.comments()) {
    std::optional<CommentSuppression> s = ParseSuppressionComment(module.Text(comment));
    if (!s) continue;
    out.Add(NodeLine(comment), std::move(*s));
  }
  return out;
}

void InlineSuppressions::Add(int line, CommentSuppression suppression) {
  const auto it = lines_.find(line);
  if (it == lines_.end()) {
    lines_.emplace(line, std::move(suppression));
  } else {
    Merge(it->second, std::move(suppression));
  }
}

bool InlineSuppressions::Suppresses(int line, std::string_view rule_id) const {
  const auto it = lines_.find(line);
  return it != lines_.end() && it->second.Covers(rule_id);
}

}  // namespace conclave::analysis
