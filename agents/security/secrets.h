// Recognizing hardcoded secrets in string literals: known credential formats (AWS, GitHub,
// GitLab, Slack tokens and webhooks, Stripe, Google, npm, PyPI, OpenAI, SendGrid, Django secret
// keys, private keys) and, for values assigned to secret-sounding names,
// Shannon entropy. Pure functions over text; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace conclave::security {

// A recognized credential format: its human name and where in the text it starts.
struct TokenMatch {
  std::string_view kind;  // "AWS access key id", "GitHub token", ...
  size_t offset = 0;
  size_t length = 0;
};

// The first known credential format in `text`, or kind empty when there is none. Documented
// placeholders (AWS's "...EXAMPLE" keys) are not matches.
TokenMatch FindKnownToken(std::string_view text);

// Shannon entropy of the bytes of `text`, in bits per byte (0 for empty text).
double ShannonEntropy(std::string_view text);

// Minimum length and entropy of a literal assigned to a secret-sounding name for it to be
// reported: 8 bytes and 3.0 bits per byte (eight distinct characters at least), which passes
// "password" and "changeme" (dictionary words, ~2.75 bits) and catches "P@ssw0rd123!" or a
// random key.
inline constexpr size_t kMinSecretLength = 8;
inline constexpr double kMinSecretEntropy = 3.0;

// Whether a variable, attribute, keyword or dict key name says it holds a secret
// ("db_password", "API_KEY", "client_secret"), excluding names of things about secrets
// ("password_field", "token_url", "TOKEN_ENDPOINT", "PASSWORD_HASH_ALGORITHM", "tokenizer").
bool IsSecretName(std::string_view name);

// Whether a literal assigned to a secret name looks like a real secret rather than a
// placeholder: long and random enough, no spaces, not a template, an environment variable
// name, a URL, a file path, a dotted Python name, a secret store's name for it (an ARN, a Vault
// or Secret Manager path), or text meant to be replaced ("your-key-here", "changeme123",
// "dummy-password").
bool LooksLikeSecretValue(std::string_view value);

// Whether a literal is the name of a secret field rather than a secret: only letters, '_' and
// '-', and a secret name itself ("refresh_token", "challengePassword", "X-Api-Key").
bool IsSecretFieldName(std::string_view value);

// The first characters of a secret and its length, for messages that must not repeat it.
std::string Redact(std::string_view secret);

}  // namespace conclave::security
