#include "common/bus/internal/subject.h"

#include <vector>

#include "absl/strings/str_split.h"

namespace conclave::bus::internal {

namespace {

std::vector<absl::string_view> Tokens(absl::string_view subject) {
  return absl::StrSplit(subject, '.');
}

bool TokenMatches(absl::string_view a, absl::string_view b) {
  return a == "*" || b == "*" || a == b;
}

}  // namespace

bool SubjectMatches(absl::string_view pattern, absl::string_view subject) {
  return IsLiteralSubject(subject) && SubjectsOverlap(pattern, subject);
}

bool SubjectsOverlap(absl::string_view a, absl::string_view b) {
  const std::vector<absl::string_view> ta = Tokens(a);
  const std::vector<absl::string_view> tb = Tokens(b);
  for (size_t i = 0; i < ta.size() && i < tb.size(); ++i) {
    if (ta[i] == ">" || tb[i] == ">") return true;
    if (!TokenMatches(ta[i], tb[i])) return false;
  }
  return ta.size() == tb.size();
}

bool IsLiteralSubject(absl::string_view subject) {
  if (subject.empty()) return false;
  for (absl::string_view token : Tokens(subject)) {
    if (token.empty() || token == "*" || token == ">") return false;
    if (token.find_first_of(" \t\r\n") != absl::string_view::npos) return false;
  }
  return true;
}

}  // namespace conclave::bus::internal
