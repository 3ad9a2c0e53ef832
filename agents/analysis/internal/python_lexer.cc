#include "agents/analysis/internal/python_lexer.h"

#include <cstring>

#include "absl/container/flat_hash_map.h"
#include "common/change/change_files.h"

namespace conclave::analysis::internal {

const char* const kOpNames[kOpCount] = {
    "(",  ")",  "[",   "]",   "{",   "}",   ",",   ":",   ";",   ".",   "...", "=",
    "->", ":=", "@",   "+",   "-",   "*",   "/",   "%",   "**",  "//",  "<<",  ">>",
    "&",  "|",  "^",   "~",   "<",   ">",   "<=",  ">=",  "==",  "!=",  "+=",  "-=",
    "*=", "/=", "%=",  "**=", "//=", "<<=", ">>=", "&=",  "|=",  "^=",  "@=",
    // Keywords.
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
    "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
    "while", "with", "yield",
    // Soft keywords.
    "print", "exec", "match", "case", "type", "__future__"};

namespace {

// Nesting of f-strings inside interpolations inside f-strings, and of brackets, past which the
// file is left to tree-sitter (CPython's own limits are lower for f-strings).
constexpr int kMaxStringNesting = 32;
constexpr int kMaxBracketDepth = 200;

const absl::flat_hash_map<std::string_view, uint16_t>& Keywords() {
  static const auto* keywords = [] {
    auto* map = new absl::flat_hash_map<std::string_view, uint16_t>();
    for (int op = kFirstKeyword; op < kOpCount; ++op) (*map)[kOpNames[op]] = op;
    return map;
  }();
  return *keywords;
}

// ASCII classes by unsigned range checks: `c - '0' < 10u` holds for the ten digits only.
bool InRange(unsigned char c, char first, unsigned count) {
  return static_cast<unsigned>(c - static_cast<unsigned char>(first)) < count;
}
bool IsNameStart(unsigned char c) { return c == '_' || InRange(c | 0x20, 'a', 26); }
bool IsDigit(unsigned char c) { return InRange(c, '0', 10); }
bool IsNameChar(unsigned char c) { return IsNameStart(c) || IsDigit(c); }
bool IsHex(unsigned char c) { return IsDigit(c) || InRange(c | 0x20, 'a', 6); }

class Lexer {
 public:
  Lexer(std::string_view source, std::vector<Token>& tokens, std::vector<Extra>& extras)
      : s_(source), tokens_(tokens), extras_(extras) {}

  bool Run();
  const char* why() const { return why_; }
  uint32_t why_line() const { return why_line_; }

 private:
  // Records the first reason the tokenizer declines the file; returns false.
  bool Decline(const char* why) {
    if (why_ == nullptr) {
      why_ = why;
      why_line_ = line_ + 1;
    }
    return false;
  }

  TSPoint Point(uint32_t pos) const { return {line_, pos - line_start_}; }
  char At(uint32_t pos) const { return pos < s_.size() ? s_[pos] : '\0'; }
  void NewLineAt(uint32_t newline_pos) {
    ++line_;
    line_start_ = newline_pos + 1;
  }

  Token& Emit(TokenKind kind, uint32_t start, uint32_t end, uint16_t op = kNoOp) {
    Token t;
    t.kind = kind;
    t.op = op;
    t.start = start;
    t.end = end;
    t.start_point = Point(start);
    t.end_point = Point(end);
    t.extras_before = static_cast<uint32_t>(extras_.size());
    tokens_.push_back(t);
    extras_at_last_token_ = t.extras_before;
    return tokens_.back();
  }
  void EmitZeroWidth(TokenKind kind) {
    // NEWLINE, INDENT and DEDENT sit where the last token (or comment) ended.
    Token t;
    t.kind = kind;
    t.start = t.end = last_end_;
    t.start_point = t.end_point = last_end_point_;
    t.extras_before = static_cast<uint32_t>(extras_.size());
    tokens_.push_back(t);
  }
  void NoteEnd(uint32_t end, TSPoint point) {
    last_end_ = end;
    last_end_point_ = point;
  }

  bool LineStart();
  bool ContinuationIndentOk() const;
  bool SkipSpaceAndExtras(bool at_line_start);
  bool CodeToken();
  bool Name();
  bool Number();
  bool Operator();
  bool String(uint32_t prefix_start);
  bool StringBody(bool raw, bool bytes, bool format, char quote, bool triple);
  bool Escape(bool bytes);
  bool Interpolation();
  bool FormatSpecifier();

  std::string_view s_;
  std::vector<Token>& tokens_;
  std::vector<Extra>& extras_;
  uint32_t pos_ = 0;
  uint32_t line_ = 0;
  uint32_t line_start_ = 0;
  uint32_t last_end_ = 0;
  TSPoint last_end_point_ = {0, 0};
  std::vector<uint32_t> indents_ = {0};
  std::vector<char> brackets_;  // open brackets of the code being tokenized
  int string_depth_ = 0;
  bool line_has_tokens_ = false;
  size_t extras_at_last_token_ = 0;
  const char* why_ = nullptr;
  uint32_t why_line_ = 0;
};

bool Lexer::Run() {
  tokens_.clear();
  extras_.clear();
  if (s_.size() >= 3 && std::memcmp(s_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  while (true) {
    if (!LineStart()) return false;
    if (pos_ >= s_.size()) break;
    // One logical line: tokens until a newline outside brackets.
    while (true) {
      if (!SkipSpaceAndExtras(false)) return false;
      if (pos_ >= s_.size()) break;
      const char c = s_[pos_];
      if (c == '\n' || c == '\r') {
        if (!brackets_.empty()) {
          if (c == '\n') {
            NewLineAt(pos_);
            if (!ContinuationIndentOk()) {
              return Decline("a line inside brackets indented less than its block");
            }
          }
          ++pos_;
          continue;
        }
        break;
      }
      if (!CodeToken()) return false;
    }
    if (!brackets_.empty()) return Decline("a bracket that is never closed");  // unclosed bracket at the end of the file
    if (line_has_tokens_) {
      EmitZeroWidth(TokenKind::kNewline);
      line_has_tokens_ = false;
    }
  }
  if (!brackets_.empty()) return Decline("a bracket that is never closed");
  if (line_has_tokens_) EmitZeroWidth(TokenKind::kNewline);
  while (indents_.size() > 1) {
    indents_.pop_back();
    EmitZeroWidth(TokenKind::kDedent);
  }
  Token end;
  end.start = end.end = static_cast<uint32_t>(s_.size());
  end.start_point = end.end_point = Point(static_cast<uint32_t>(s_.size()));
  end.extras_before = static_cast<uint32_t>(extras_.size());
  tokens_.push_back(end);
  return true;
}

// At the start of a physical line outside brackets: skips blank and comment-only lines, then
// measures the indentation of the first line with code as tree-sitter does (a space counts 1,
// a tab 8, a form feed or carriage return resets) and emits INDENT or DEDENTs.
bool Lexer::LineStart() {
  while (pos_ < s_.size()) {
    uint32_t indent = 0;
    while (pos_ < s_.size() && AddIndentation(s_[pos_], indent)) ++pos_;
    if (pos_ >= s_.size()) return true;
    const char c = s_[pos_];
    if (c == '\n') {
      NewLineAt(pos_);
      ++pos_;
      continue;
    }
    if (c == '#' || c == '\\') {
      // A comment-only line, or a continuation line: extras, then look again.
      const uint32_t line_before = line_;
      if (!SkipSpaceAndExtras(true)) return false;
      if (pos_ < s_.size() && s_[pos_] == '\n' && line_ == line_before) {
        NewLineAt(pos_);
        ++pos_;
        continue;
      }
      if (line_ != line_before) continue;  // a line continuation joined the next line
      if (pos_ >= s_.size()) return true;
      continue;
    }
    if (indent > indents_.back()) {
      indents_.push_back(indent);
      EmitZeroWidth(TokenKind::kIndent);
    } else {
      while (indent < indents_.back()) {
        indents_.pop_back();
        EmitZeroWidth(TokenKind::kDedent);
      }
      if (indent != indents_.back()) return Decline("indentation that matches no outer level");  // matches no outer level
    }
    return true;
  }
  return true;
}

// Skips spaces, comments and line continuations (recorded as extras). Stops at a newline.
bool Lexer::SkipSpaceAndExtras(bool at_line_start) {
  while (pos_ < s_.size()) {
    const char c = s_[pos_];
    if (c == ' ' || c == '\t' || c == '\f') {
      ++pos_;
    } else if (c == '\r' && At(pos_ + 1) != '\n') {
      ++pos_;  // a lone carriage return is whitespace
    } else if (c == '#') {
      Extra e;
      e.start = pos_;
      e.start_point = Point(pos_);
      while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      e.end = pos_;
      e.end_point = Point(pos_);
      extras_.push_back(e);
      if (!at_line_start) NoteEnd(e.end, e.end_point);
    } else if (c == '\\') {
      Extra e;
      e.comment = false;
      e.start = pos_;
      e.start_point = Point(pos_);
      uint32_t p = pos_ + 1;
      if (At(p) == '\r') ++p;
      if (At(p) != '\n') return Decline("a backslash that continues no line");  // a backslash that continues nothing
      NewLineAt(p);
      pos_ = p + 1;
      e.end = pos_;
      e.end_point = Point(pos_);
      extras_.push_back(e);
    } else {
      break;
    }
  }
  return true;
}

// After a newline inside brackets: tree-sitter's scanner may end the enclosing block there
// (a DEDENT inside the brackets, which is an error) when the next line with code or a comment
// is indented less than the block, unless it starts with a quote or a closing bracket. Such
// files are declined.
// Only the line right after this newline is looked at (a blank one is judged at its own
// newline), so the tokenizer stays linear.
bool Lexer::ContinuationIndentOk() const {
  uint32_t indent = 0;
  for (uint32_t p = pos_ + 1; p < s_.size(); ++p) {
    const char c = s_[p];
    if (c == '\n' || (c == '\r' && At(p + 1) == '\n')) return true;
    if (AddIndentation(c, indent)) continue;
    // A closing bracket there is what the scanner's bracket check expects.
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '}' ||
           indent >= indents_.back();
  }
  return true;
}

bool Lexer::CodeToken() {
  const unsigned char c = static_cast<unsigned char>(s_[pos_]);
  if (IsNameStart(c)) return Name();
  if (IsDigit(c) || (c == '.' && IsDigit(static_cast<unsigned char>(At(pos_ + 1))))) {
    return Number();
  }
  if (c == '"' || c == '\'') return String(pos_);
  return Operator();
}

bool Lexer::Name() {
  const uint32_t start = pos_;
  while (pos_ < s_.size() && IsNameChar(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  // Non-ASCII identifiers (and anything else past 0x7F) are left to tree-sitter.
  if (pos_ < s_.size() && static_cast<unsigned char>(s_[pos_]) >= 0x80) return Decline("a non-ASCII name");
  const char next = At(pos_);
  if ((next == '"' || next == '\'') && pos_ - start <= 2) {
    bool prefix = true;
    for (uint32_t i = start; i < pos_; ++i) {
      const char p = static_cast<char>(s_[i] | 0x20);
      if (p != 'r' && p != 'b' && p != 'u' && p != 'f') prefix = false;
    }
    if (prefix) return String(start);
  }
  const std::string_view word = s_.substr(start, pos_ - start);
  const auto it = Keywords().find(word);
  Emit(TokenKind::kName, start, pos_, it == Keywords().end() ? uint16_t{kNoOp} : it->second);
  NoteEnd(pos_, Point(pos_));
  line_has_tokens_ = true;
  return true;
}

// integer and float as the grammar's token rules define them.
bool Lexer::Number() {
  const uint32_t start = pos_;
  // Underscores between digit runs: repeat1(/_?[digits]+/) after 0x, 0o and 0b, where one may
  // lead, and repeat1(/[0-9]+_?/) for decimals, where none may.
  auto digits = [&](auto is_digit, bool decimal = true) {
    const uint32_t before = pos_;
    while (pos_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (is_digit(c)) {
        ++pos_;
      } else if (c == '_' && (pos_ > before || !decimal) &&
                 is_digit(static_cast<unsigned char>(At(pos_ + 1)))) {
        ++pos_;
      } else {
        break;
      }
    }
    return pos_ > before;
  };
  auto dec = [](unsigned char c) { return IsDigit(c); };
  bool is_float = false;
  const char c0 = s_[pos_];
  const char c1 = static_cast<char>(At(pos_ + 1) | 0x20);
  if (c0 == '0' && (c1 == 'x' || c1 == 'o' || c1 == 'b')) {
    pos_ += 2;
    const bool ok =
        c1 == 'x'   ? digits([](unsigned char c) { return IsHex(c); }, false)
        : c1 == 'o' ? digits([](unsigned char c) { return InRange(c, '0', 8); }, false)
                    : digits([](unsigned char c) { return InRange(c, '0', 2); }, false);
    if (!ok) return Decline("a number without digits");
    if ((At(pos_) | 0x20) == 'l') ++pos_;
  } else {
    digits(dec);
    if (At(pos_) == '.') {
      ++pos_;
      is_float = true;
      digits(dec);
    }
    if ((At(pos_) | 0x20) == 'e' && (IsDigit(static_cast<unsigned char>(At(pos_ + 1))) ||
                                     ((At(pos_ + 1) == '+' || At(pos_ + 1) == '-') &&
                                      IsDigit(static_cast<unsigned char>(At(pos_ + 2)))))) {
      pos_ += (At(pos_ + 1) == '+' || At(pos_ + 1) == '-') ? 2 : 1;
      digits(dec);
      is_float = true;
    }
    if ((At(pos_) | 0x20) == 'j') {
      ++pos_;
    } else if (!is_float && (At(pos_) | 0x20) == 'l') {
      ++pos_;
    }
  }
  // A name glued to a number (`1if`, `0x1for`) is left to tree-sitter.
  if (IsNameChar(static_cast<unsigned char>(At(pos_))) || At(pos_) == '.') {
    if (!(At(pos_) == '.' && !is_float)) return Decline("a number glued to a name");
  }
  Emit(is_float ? TokenKind::kFloat : TokenKind::kInteger, start, pos_);
  NoteEnd(pos_, Point(pos_));
  line_has_tokens_ = true;
  return true;
}

bool Lexer::Operator() {
  const uint32_t start = pos_;
  // Longest match first.
  static constexpr uint16_t kThree[] = {kEllipsis, kPowerEq, kFloorDivEq, kLShiftEq, kRShiftEq};
  static constexpr uint16_t kTwo[] = {kArrow,   kWalrus,  kPower,    kFloorDiv, kLShift,
                                      kRShift,  kLessEq,  kGreaterEq, kEq,      kNotEq,
                                      kPlusEq,  kMinusEq, kStarEq,   kSlashEq,  kPercentEq,
                                      kAmpEq,   kPipeEq,  kCaretEq,  kAtEq};
  static constexpr uint16_t kOne[] = {kLParen, kRParen, kLBracket, kRBracket, kLBrace,
                                      kRBrace, kComma,  kColon,    kSemicolon, kDot,
                                      kAssign, kAt,     kPlus,     kMinus,    kStar,
                                      kSlash,  kPercent, kAmp,     kPipe,     kCaret,
                                      kTilde,  kLess,   kGreater};
  const std::string_view rest = s_.substr(pos_);
  uint16_t op = kNoOp;
  uint32_t length = 0;
  for (uint16_t candidate : kThree) {
    if (rest.substr(0, 3) == kOpNames[candidate]) op = candidate, length = 3;
  }
  if (op == kNoOp) {
    for (uint16_t candidate : kTwo) {
      if (rest.substr(0, 2) == kOpNames[candidate]) op = candidate, length = 2;
    }
  }
  if (op == kNoOp) {
    for (uint16_t candidate : kOne) {
      if (rest[0] == kOpNames[candidate][0]) op = candidate, length = 1;
    }
  }
  if (op == kNoOp) return Decline("a character Python does not use here");  // `$`, `?`, `!`, a backtick, a non-ASCII character
  if (rest.substr(0, 2) == "<>") return Decline("Python 2's <> operator");  // Python 2
  pos_ += length;
  switch (op) {
    case kLParen:
    case kLBracket:
    case kLBrace:
      if (brackets_.size() >= kMaxBracketDepth) return Decline("brackets nested too deep");
      brackets_.push_back(rest[0]);
      break;
    case kRParen:
    case kRBracket:
    case kRBrace: {
      const char open = rest[0] == ')' ? '(' : rest[0] == ']' ? '[' : '{';
      if (brackets_.empty() || brackets_.back() != open) return Decline("a closing bracket that matches no opening one");
      brackets_.pop_back();
      break;
    }
    default:
      break;
  }
  Emit(TokenKind::kOp, start, pos_, op);
  NoteEnd(pos_, Point(pos_));
  line_has_tokens_ = true;
  return true;
}

// A string literal from its prefix: string_start, the body's pieces, string_end.
bool Lexer::String(uint32_t prefix_start) {
  bool raw = false, bytes = false, format = false;
  for (uint32_t i = prefix_start; i < pos_; ++i) {
    const char p = static_cast<char>(s_[i] | 0x20);
    raw |= p == 'r';
    bytes |= p == 'b';
    format |= p == 'f';
  }
  // tree-sitter's scanner reads a line continuation right before a string as the string's
  // leading whitespace: no line_continuation node.
  while (extras_.size() > extras_at_last_token_ && !extras_.back().comment) extras_.pop_back();
  const char quote = s_[pos_];
  const bool triple = At(pos_ + 1) == quote && At(pos_ + 2) == quote;
  pos_ += triple ? 3 : 1;
  Emit(TokenKind::kStringStart, prefix_start, pos_);
  line_has_tokens_ = true;
  if (++string_depth_ > kMaxStringNesting) return Decline("strings nested too deep");
  const bool ok = StringBody(raw, bytes, format, quote, triple);
  --string_depth_;
  return ok;
}

bool Lexer::StringBody(bool raw, bool bytes, bool format, char quote, bool triple) {
  uint32_t text_start = pos_;
  TSPoint text_start_point = Point(pos_);
  // Whether the text since text_start holds more than escaped characters of a raw string:
  // tree-sitter's scanner makes a string_end of `\\'` when it holds nothing else.
  bool has_content = false;
  auto flush_text = [&]() {
    if (pos_ > text_start) {
      Token& t = Emit(TokenKind::kStringText, text_start, pos_);
      t.start_point = text_start_point;
    }
  };
  while (true) {
    if (pos_ >= s_.size()) return Decline("a string that is never closed");  // unterminated
    const char c = s_[pos_];
    if (c == quote && (!triple || (At(pos_ + 1) == quote && At(pos_ + 2) == quote))) {
      uint32_t start = pos_;
      TSPoint start_point = Point(pos_);
      if (raw && !has_content && pos_ > text_start) {
        start = text_start;
        start_point = text_start_point;
      } else {
        flush_text();
      }
      pos_ += triple ? 3 : 1;
      Token& end = Emit(TokenKind::kStringEnd, start, pos_);
      end.start_point = start_point;
      NoteEnd(pos_, Point(pos_));
      return true;
    }
    if (raw && format && !has_content && pos_ > text_start && (c == '{' || c == '}')) {
      return Decline("a raw f-string whose text is only escaped characters before a brace");  // the scanner finds no token here
    }
    if (c == '\n') {
      if (!triple) return Decline("a newline in a one-line string");
      NewLineAt(pos_);
      ++pos_;
      has_content = true;
      continue;
    }
    if (c == '\\') {
      if (raw) {
        // As tree-sitter's scanner: a backslash steps over a quote or backslash after it, and
        // then over a newline, none of which counts as content.
        ++pos_;
        if (At(pos_) == quote || At(pos_) == '\\') ++pos_;
        if (At(pos_) == '\r') ++pos_;
        if (At(pos_) == '\n') {
          NewLineAt(pos_);
          ++pos_;
        }
        continue;
      }
      const char n = At(pos_ + 1);
      if (bytes && (n == 'N' || n == 'u' || n == 'U')) {
        pos_ += 2;  // not escapes in bytes
        continue;
      }
      flush_text();
      if (!Escape(bytes)) return false;
      text_start = pos_;
      text_start_point = Point(pos_);
      has_content = false;
      continue;
    }
    if (format && (c == '{' || c == '}')) {
      flush_text();
      const uint32_t start = pos_;
      if (At(pos_ + 1) == c) {
        pos_ += 2;
        Emit(TokenKind::kEscapeInterpolation, start, pos_);
      } else if (c == '}') {
        return Decline("a single } in an f-string");  // a single `}` in an f-string
      } else if (!Interpolation()) {
        return false;
      }
      text_start = pos_;
      text_start_point = Point(pos_);
      has_content = false;
      continue;
    }
    has_content = true;
    ++pos_;
  }
}

// At a backslash in a string that reads escapes: escape_sequence, or the anonymous "\".
bool Lexer::Escape(bool bytes) {
  const uint32_t start = pos_;
  const TSPoint start_point = Point(start);
  uint32_t p = pos_ + 1;
  auto hex_run = [&](int n) {
    for (int i = 0; i < n; ++i) {
      if (!IsHex(static_cast<unsigned char>(At(p + 1 + i)))) return false;
    }
    p += 1 + n;
    return true;
  };
  const char c = At(p);
  bool escape = false;
  if (c == 'u' && !bytes) {
    escape = hex_run(4);
  } else if (c == 'U' && !bytes) {
    escape = hex_run(8);
  } else if (c == 'x') {
    escape = hex_run(2);
  } else if (IsDigit(static_cast<unsigned char>(c))) {
    for (int n = 0; n < 3 && IsDigit(static_cast<unsigned char>(At(p))); ++n) ++p;
    escape = true;
  } else if (c == '\r' && At(p + 1) == '\n') {
    NewLineAt(p + 1);
    p += 2;
    escape = true;
  } else if (c == '\n') {
    NewLineAt(p);
    p += 1;
    escape = true;
  } else if (c != '\0' && std::strchr("'\"abfrntv\\", c) != nullptr) {
    p += 1;
    escape = true;
  } else if (c == 'N' && At(p + 1) == '{') {
    uint32_t q = p + 2;
    while (q < s_.size() && s_[q] != '}' && s_[q] != '\n') ++q;
    if (At(q) == '}' && q > p + 2) {
      p = q + 1;
      escape = true;
    }
  }
  if (!escape) p = start + 1;
  Token& t = Emit(escape ? TokenKind::kEscape : TokenKind::kNotEscape, start, p);
  t.start_point = start_point;
  pos_ = p;
  return true;
}

// After the `{` of an interpolation: the code tokens of its expression, then an optional `=`,
// conversion and format specifier, then `}`.
bool Lexer::Interpolation() {
  const uint32_t start = pos_;
  ++pos_;
  Emit(TokenKind::kOp, start, pos_, kLBrace);
  const size_t outer_brackets = brackets_.size();
  brackets_.push_back('{');
  while (true) {
    if (!SkipSpaceAndExtras(false)) return false;
    if (pos_ >= s_.size()) return Decline("an f-string that is never closed");
    const char c = s_[pos_];
    if (c == '\n') {
      NewLineAt(pos_);
      ++pos_;
      continue;
    }
    const bool top = brackets_.size() == outer_brackets + 1;
    if (top && c == '}') {
      brackets_.pop_back();
      const uint32_t close = pos_++;
      Emit(TokenKind::kOp, close, pos_, kRBrace);
      return true;
    }
    if (top && c == '!' && At(pos_ + 1) != '=') {
      const char letter = At(pos_ + 1);
      if (letter < 'a' || letter > 'z') return Decline("a conversion other than !a-z in an f-string");
      Emit(TokenKind::kConversion, pos_, pos_ + 2);
      pos_ += 2;
      continue;
    }
    if (top && c == ':') {
      if (At(pos_ + 1) == '=') return Decline("`:=` right inside an f-string's braces");  // `{x:=1}`: left to tree-sitter
      const uint32_t colon = pos_++;
      Emit(TokenKind::kOp, colon, pos_, kColon);
      if (!FormatSpecifier()) return false;
      continue;
    }
    if (c == '#') return Decline("a comment inside an f-string");
    if (!CodeToken()) return false;
    if (brackets_.size() <= outer_brackets) return Decline("a closing bracket that matches no opening one");  // closed a bracket it did not open
  }
}

// After the `:` of an interpolation: text and nested interpolations until the closing `}`
// (left for Interpolation to read).
bool Lexer::FormatSpecifier() {
  uint32_t text_start = pos_;
  auto flush = [&]() {
    if (pos_ > text_start) Emit(TokenKind::kFormatText, text_start, pos_);
  };
  while (pos_ < s_.size()) {
    const char c = s_[pos_];
    if (c == '}') {
      flush();
      return true;
    }
    if (c == '{') {
      flush();
      if (At(pos_ + 1) == '{') return Decline("`{{` in a format specifier");
      if (!Interpolation()) return false;
      text_start = pos_;
      continue;
    }
    if (c == '\n' || c == '\\' || c == '"' || c == '\'') return Decline("a newline, backslash or quote in a format specifier");
    ++pos_;
  }
  return Decline("an f-string that is never closed");
}

}  // namespace

bool Tokenize(std::string_view source, std::vector<Token>& tokens, std::vector<Extra>& extras,
              Declined* declined) {
  if (source.size() >= UINT32_MAX) {
    if (declined != nullptr) *declined = {"a file of 4 GiB or more", 0};
    return false;
  }
  // CPython refuses a NUL byte anywhere in source, and tree-sitter stops reading at one.
  if (std::memchr(source.data(), '\0', source.size()) != nullptr) {
    if (declined != nullptr) *declined = {"a NUL byte", 0};
    return false;
  }
  // tree-sitter decodes a bad UTF-8 sequence as far as its lead byte claims, swallowing what
  // follows (a quote, a backslash); reviewers report such files as INPUT001 before parsing.
  if (change::FirstInvalidUtf8(source) >= 0) {
    if (declined != nullptr) *declined = {"text that is not UTF-8", 0};
    return false;
  }
  Lexer lexer(source, tokens, extras);
  if (lexer.Run()) return true;
  if (declined != nullptr) {
    *declined = {lexer.why() != nullptr ? lexer.why() : "a token the tokenizer does not take",
                 lexer.why_line()};
  }
  return false;
}

}  // namespace conclave::analysis::internal
