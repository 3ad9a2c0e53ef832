// The tokenizer of Conclave's Python parser (python_parser.h): the whole file into one vector of
// tokens, with NEWLINE, INDENT and DEDENT where tree-sitter-python's external scanner puts them,
// strings split into the pieces that grammar names (string_start, escape sequences, `{{`,
// interpolations, string_end), and comments and line continuations set aside as extras. It
// declines (Tokenize returns false) anything valid Python 3 does not hold or that the parser
// leaves to tree-sitter: bad indentation, an unterminated string or bracket, a stray character,
// non-ASCII identifiers, backticks. Not thread-safe; one per parse.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace conclave::analysis::internal {

enum class TokenKind : uint8_t {
  kEnd,
  kNewline,
  kIndent,
  kDedent,
  kName,  // an identifier or keyword; Token::op is its keyword (kNoOp for a plain name)
  kInteger,
  kFloat,
  kOp,  // punctuation, operators; Token::op says which
  kStringStart,
  kStringText,  // literal text of a string (hidden in the tree, part of string_content)
  kEscape,      // escape_sequence
  kNotEscape,   // a backslash that starts no escape sequence (the grammar's anonymous "\")
  kEscapeInterpolation,  // `{{` or `}}` in an f-string
  kStringEnd,
  kConversion,  // `!r` in an interpolation
  kFormatText,  // literal text of a format specifier (hidden)
};

// Operators, punctuation and keywords, in the order of kOpNames.
enum Op : uint16_t {
  // clang-format off
  kLParen, kRParen, kLBracket, kRBracket, kLBrace, kRBrace, kComma, kColon, kSemicolon, kDot,
  kEllipsis, kAssign, kArrow, kWalrus, kAt, kPlus, kMinus, kStar, kSlash, kPercent, kPower,
  kFloorDiv, kLShift, kRShift, kAmp, kPipe, kCaret, kTilde, kLess, kGreater, kLessEq,
  kGreaterEq, kEq, kNotEq, kPlusEq, kMinusEq, kStarEq, kSlashEq, kPercentEq, kPowerEq,
  kFloorDivEq, kLShiftEq, kRShiftEq, kAmpEq, kPipeEq, kCaretEq, kAtEq,
  // Keywords.
  kFalse, kNone, kTrue, kAnd, kAs, kAssert, kAsync, kAwait, kBreak, kClass, kContinue, kDef,
  kDel, kElif, kElse, kExcept, kFinally, kFor, kFrom, kGlobal, kIf, kImport, kIn, kIs, kLambda,
  kNonlocal, kNot, kOr, kPass, kRaise, kReturn, kTry, kWhile, kWith, kYield,
  // Soft keywords: names everywhere except where the grammar gives them a meaning.
  kPrint, kExec, kMatch, kCase, kType, kFuture,
  kOpCount,
  kNoOp = 0xFFFF,
  // clang-format on
};
inline constexpr Op kFirstKeyword = kFalse;
inline constexpr Op kFirstSoftKeyword = kPrint;

// The grammar's name of each Op (the text of its anonymous node).
extern const char* const kOpNames[kOpCount];

struct Token {
  TokenKind kind = TokenKind::kEnd;
  uint16_t op = kNoOp;
  uint32_t start = 0, end = 0;
  TSPoint start_point = {0, 0}, end_point = {0, 0};
  uint32_t extras_before = 0;  // extras (comments, line continuations) that precede this token
};

// A comment or a line continuation.
struct Extra {
  bool comment = true;  // false: line_continuation
  uint32_t start = 0, end = 0;
  TSPoint start_point = {0, 0}, end_point = {0, 0};
};

// One character of indentation as tree-sitter-python's scanner measures it: a space adds 1, a
// tab 8, a form feed or carriage return resets to 0. False, `indent` unchanged, for any other
// character.
inline bool AddIndentation(char c, uint32_t& indent) {
  switch (c) {
    case ' ':
      ++indent;
      return true;
    case '\t':
      indent += 8;
      return true;
    case '\f':
    case '\r':
      indent = 0;
      return true;
    default:
      return false;
  }
}

// Why a file was declined: what, and on which 1-based line (0 when not one line's).
struct Declined {
  const char* what = nullptr;
  uint32_t line = 0;
};

// Tokenizes `source` into `tokens` (ending with one kEnd) and `extras`. False when the file
// holds something the parser leaves to tree-sitter, with the reason in `declined` if not null.
bool Tokenize(std::string_view source, std::vector<Token>& tokens, std::vector<Extra>& extras,
              Declined* declined = nullptr);

}  // namespace conclave::analysis::internal
