#include "agents/security/secrets.h"

#include <array>
#include <cctype>
#include <cmath>

namespace conclave::security {
namespace {

enum class Charset {
  kUpperDigit,
  kAlnum,
  kAlnumUnderscore,
  kAlnumDash,
  kAlnumDashUnderscore,
  kAlnumDashUnderscoreDot,  // SendGrid: SG.<22>.<43>
  kAlnumSlash,              // Slack webhook paths: T…/B…/…
  kDjangoKey,               // get_random_secret_key(): a-z 0-9 !@#$%^&*(-_=+)
};

bool InCharset(unsigned char c, Charset set) {
  switch (set) {
    case Charset::kUpperDigit:
      return std::isupper(c) || std::isdigit(c);
    case Charset::kAlnum:
      return std::isalnum(c);
    case Charset::kAlnumUnderscore:
      return std::isalnum(c) || c == '_';
    case Charset::kAlnumDash:
      return std::isalnum(c) || c == '-';
    case Charset::kAlnumDashUnderscore:
      return std::isalnum(c) || c == '-' || c == '_';
    case Charset::kAlnumDashUnderscoreDot:
      return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    case Charset::kAlnumSlash:
      return std::isalnum(c) || c == '/';
    case Charset::kDjangoKey:
      return std::islower(c) || std::isdigit(c) ||
             std::string_view("!@#$%^&*(-_=+)").find(static_cast<char>(c)) !=
                 std::string_view::npos;
  }
  return false;
}

// A token format: a prefix, then at least `min_body` (at most `max_body`) characters of a set.
struct TokenFormat {
  std::string_view kind;
  std::string_view prefix;
  Charset body;
  size_t min_body;
  size_t max_body;
};

constexpr std::array<TokenFormat, 20> kFormats = {{
    {"AWS access key id", "AKIA", Charset::kUpperDigit, 16, 16},
    {"AWS temporary access key id", "ASIA", Charset::kUpperDigit, 16, 16},
    {"GitHub personal access token", "ghp_", Charset::kAlnum, 36, 255},
    {"GitHub OAuth token", "gho_", Charset::kAlnum, 36, 255},
    {"GitHub app token", "ghs_", Charset::kAlnum, 36, 255},
    {"GitHub refresh token", "ghr_", Charset::kAlnum, 36, 255},
    {"GitHub fine-grained token", "github_pat_", Charset::kAlnumUnderscore, 22, 255},
    {"Slack bot token", "xoxb-", Charset::kAlnumDash, 10, 255},
    {"Slack user token", "xoxp-", Charset::kAlnumDash, 10, 255},
    {"Stripe live secret key", "sk_live_", Charset::kAlnum, 16, 255},
    {"Stripe live restricted key", "rk_live_", Charset::kAlnum, 16, 255},
    {"Google API key", "AIza", Charset::kAlnumDashUnderscore, 35, 35},
    {"GitLab personal access token", "glpat-", Charset::kAlnumDashUnderscore, 20, 255},
    {"npm access token", "npm_", Charset::kAlnum, 36, 36},
    {"PyPI API token", "pypi-AgEIcHlwaS5vcmc", Charset::kAlnumDashUnderscore, 50, 1024},
    {"OpenAI project API key", "sk-proj-", Charset::kAlnumDashUnderscore, 40, 255},
    {"SendGrid API key", "SG.", Charset::kAlnumDashUnderscoreDot, 60, 80},
    {"Slack webhook URL", "https://hooks.slack.com/services/", Charset::kAlnumSlash, 40, 120},
    {"Django secret key", "django-insecure-", Charset::kDjangoKey, 30, 80},
    {"private key", "-----BEGIN ", Charset::kUpperDigit, 0, 0},  // checked by MatchPrivateKey
}};

size_t BodyLength(std::string_view text, size_t from, Charset set) {
  size_t n = 0;
  while (from + n < text.size() && InCharset(static_cast<unsigned char>(text[from + n]), set)) ++n;
  return n;
}

// "-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----" followed by key
// material: PEM headers (Proc-Type: ...) or base64 ("MIIE...", DER's opening) once line breaks,
// written or escaped, are skipped. The header alone is a parser's constant, not a key.
bool MatchPrivateKey(std::string_view text, size_t at) {
  const size_t end = text.find("-----", at + 11);
  if (end == std::string_view::npos || end - at > 64) return false;
  const std::string_view label = text.substr(at + 11, end - at - 11);
  if (label.find("PRIVATE KEY") == std::string_view::npos) return false;
  size_t i = end + 5;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text[i] == '\\' && i + 1 < text.size() &&
               (text[i + 1] == 'n' || text[i + 1] == 'r')) {
      i += 2;
    } else {
      break;
    }
  }
  const std::string_view rest = text.substr(std::min(i, text.size()));
  if (rest.starts_with("Proc-Type:")) return true;
  size_t base64 = 0;
  while (base64 < rest.size()) {
    const unsigned char c = static_cast<unsigned char>(rest[base64]);
    if (!std::isalnum(c) && c != '+' && c != '/' && c != '=') break;
    ++base64;
  }
  return base64 >= 4;
}

// AWS's "...EXAMPLE" keys and the X-filled tokens of other providers' documentation.
bool IsDocumentedPlaceholder(std::string_view token) {
  return token.find("EXAMPLE") != std::string_view::npos ||
         token.find("example") != std::string_view::npos ||
         token.find("XXXXXXXX") != std::string_view::npos ||
         token.find("xxxxxxxx") != std::string_view::npos;
}

// "your-api-key-here", "changeme123", "<redacted>", "xxxx-xxxx": text meant to be replaced.
bool IsPlaceholder(std::string_view value) {
  std::string lower(value);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 17> kMarkers = {
      "your",    "here",  "changeme", "change_me", "change-me", "placeholder",
      "replace", "dummy", "example",  "sample",    "redacted",  "xxxx",
      "***",     "todo",  "fixme",    "insert",    "fake"};
  for (std::string_view marker : kMarkers) {
    if (lower.find(marker) != std::string::npos) return true;
  }
  return false;
}

// A dotted Python name such as "django.contrib.auth.hashers.PBKDF2PasswordHasher" or
// "myapp.tokens.default_token_generator": a class or setting, not a secret. A JWT also has
// dots, but its first segment ("eyJ...") is base64 and longer than a name's.
bool IsDottedName(std::string_view value) {
  if (value.starts_with("eyJ") || value.find('.') == std::string_view::npos) return false;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find('.', start);
    if (end == std::string_view::npos) end = value.size();
    const std::string_view segment = value.substr(start, end - start);
    if (segment.empty() || segment.size() > 40 ||
        !(std::isalpha(static_cast<unsigned char>(segment[0])) || segment[0] == '_')) {
      return false;
    }
    for (unsigned char c : segment) {
      if (!std::isalnum(c) && c != '_') return false;
    }
    start = end + 1;
  }
  return true;
}

// Where a secret is stored rather than the secret: an AWS ARN, or a lower-case path of three or
// more segments such as a Vault path ("secret/data/shop/db") or a GCP Secret Manager name
// ("projects/shop/secrets/stripe/versions/latest"). Base64 keys with '/' have upper case too.
bool IsResourceName(std::string_view value) {
  if (value.starts_with("arn:")) return true;
  int segments = 1;
  for (unsigned char c : value) {
    if (c == '/') {
      ++segments;
    } else if (!(std::islower(c) || std::isdigit(c) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return segments >= 3;
}

// A regular expression or glob: r"[A-Z]\w*", "^sk_.*$".
bool IsPattern(std::string_view value) {
  for (std::string_view meta :
       {"\\w", "\\d", "\\s", "\\b", "[A-Z", "[a-z", "[0-9", "[^", "(?", ".*", ".+"}) {
    if (value.find(meta) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

// "refresh_token", "challengePassword", "X-Api-Key": letters naming a secret field, used as a
// key or label. Real secrets have digits or symbols (or are long random letter strings without
// a secret word in them).
bool IsSecretFieldName(std::string_view value) {
  for (unsigned char c : value) {
    if (!std::isalpha(c) && c != '_' && c != '-') return false;
  }
  return IsSecretName(value);
}

TokenMatch FindKnownToken(std::string_view text) {
  for (const TokenFormat& format : kFormats) {
    for (size_t at = text.find(format.prefix); at != std::string_view::npos;
         at = text.find(format.prefix, at + 1)) {
      if (format.prefix == "-----BEGIN ") {
        if (MatchPrivateKey(text, at)) return {format.kind, at, text.size() - at};
        continue;
      }
      // The token must not continue a longer word on the left.
      if (at > 0 && std::isalnum(static_cast<unsigned char>(text[at - 1]))) continue;
      const size_t start = at + format.prefix.size();
      const size_t body = BodyLength(text, start, format.body);
      if (body < format.min_body || body > format.max_body) continue;
      const std::string_view token = text.substr(at, format.prefix.size() + body);
      if (IsDocumentedPlaceholder(token)) continue;
      return {format.kind, at, token.size()};
    }
  }
  return {};
}

double ShannonEntropy(std::string_view text) {
  if (text.empty()) return 0;
  std::array<int, 256> counts{};
  for (unsigned char c : text) ++counts[c];
  double entropy = 0;
  const double n = static_cast<double>(text.size());
  for (int count : counts) {
    if (count == 0) continue;
    const double p = count / n;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

bool IsSecretName(std::string_view name) {
  std::string lower;
  lower.reserve(name.size());
  for (unsigned char c : name) lower += static_cast<char>(std::tolower(c));
  static constexpr std::array<std::string_view, 12> kSecretWords = {
      "password", "passwd",     "passphrase",  "secret",   "token",      "api_key",
      "apikey",   "access_key", "private_key", "auth_key", "credential", "pwd"};
  // Names of things about a secret: where it lives, how it is checked, what it looks like.
  static constexpr std::array<std::string_view, 42> kAboutSecrets = {
      "_url",       "_uri",        "_path",      "_file",       "_field",   "_name",
      "_header",    "_type",       "_env",       "_prefix",     "_var",     "_len",
      "_id",        "_endpoint",   "_algorithm", "_algo",       "_hasher",  "_hashers",
      "_scheme",    "_pattern",    "_regex",     "_template",   "_label",   "_message",
      "_length",    "_policy",     "_validator", "_validators", "_backend", "_class",
      "_generator", "_serializer", "_format",    "_mode",       "_dir",     "_param",
      "_expiry",    "_ttl",        "_timeout",   "_lifetime",   "_age",     "_hint"};
  // Words that contain a secret word without meaning one.
  static constexpr std::array<std::string_view, 3> kNotSecrets = {"tokeniz", "secretary",
                                                                  "passwordless"};
  bool secret = false;
  for (std::string_view word : kSecretWords) {
    if (lower.find(word) != std::string::npos) secret = true;
  }
  if (!secret) return false;
  for (std::string_view word : kNotSecrets) {
    if (lower.find(word) != std::string::npos) return false;
  }
  for (std::string_view suffix : kAboutSecrets) {
    if (lower.ends_with(suffix)) return false;
  }
  return true;
}

bool LooksLikeSecretValue(std::string_view value) {
  if (value.size() < kMinSecretLength) return false;
  bool env_name = true;
  for (unsigned char c : value) {
    if (std::isspace(c)) return false;
    if (!(std::isupper(c) || std::isdigit(c) || c == '_')) env_name = false;
  }
  if (env_name) return false;  // "DB_PASSWORD": the name of where the secret lives
  for (std::string_view templ : {"${", "{{", "<", "%(", "$(", "/", "./", "~/"}) {
    if (value.starts_with(templ)) return false;  // templates and file paths
  }
  if (value.find("://") != std::string_view::npos) return false;  // a URL, e.g. a token endpoint
  if (IsPlaceholder(value) || IsDottedName(value) || IsResourceName(value) ||
      IsSecretFieldName(value) || IsPattern(value)) {
    return false;
  }
  return ShannonEntropy(value) >= kMinSecretEntropy;
}

std::string Redact(std::string_view secret) {
  std::string out(secret.substr(0, std::min<size_t>(4, secret.size())));
  out += "…(";
  out += std::to_string(secret.size());
  out += " characters)";
  return out;
}

}  // namespace conclave::security
