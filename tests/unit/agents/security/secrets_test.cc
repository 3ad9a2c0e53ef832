#include "agents/security/secrets.h"

#include <gtest/gtest.h>

namespace conclave::security {
namespace {

TEST(SecretsTest, NamesThatHoldSecrets) {
  for (const char* name : {"password", "DB_PASSWORD", "client_secret", "apiKey", "GITHUB_TOKEN",
                           "refresh_token", "SECRET_KEY", "private_key", "smtp_passwd"}) {
    EXPECT_TRUE(IsSecretName(name)) << name;
  }
}

TEST(SecretsTest, NamesAboutSecretsAreNotSecrets) {
  for (const char* name :
       {"token_url", "TOKEN_ENDPOINT", "password_field", "PASSWORD_HASH_ALGORITHM",
        "PASSWORD_HASHERS", "password_reset_timeout", "token_generator", "secret_name", "tokenizer",
        "bert_tokenized", "secretary_email", "passwordless_login", "api_key_header",
        "PASSWORD_MIN_LENGTH", "username"}) {
    EXPECT_FALSE(IsSecretName(name)) << name;
  }
}

TEST(SecretsTest, RandomLiteralsLookLikeSecrets) {
  for (const char* value :
       {"P@ssw0rd123!", "q8Zr2kLm9XvB", "Tr0ub4dor&3x", "django-insecure-5#x@k!9w^b3$z2q&m8r7v",
        "sk_test_4eC39HqLyjWDarjtT1zd", "aB3/xY9+kL2/mN8qR4tV",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU"}) {
    EXPECT_TRUE(LooksLikeSecretValue(value)) << value;
  }
}

TEST(SecretsTest, PlaceholdersPathsUrlsAndNamesAreNotSecrets) {
  for (const char* value : {"changeme",
                            "changeme123",
                            "your-api-key-here",
                            "your_secret_key_here",
                            "dummy-password",
                            "<your-token>",
                            "${VAULT_SECRET}",
                            "{{ secret }}",
                            "REPLACE_WITH_YOUR_KEY",
                            "xxxx-xxxx-xxxx",
                            "********",
                            "/run/secrets/db_password",
                            "./certs/client.key",
                            "https://oauth2.googleapis.com/token",
                            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
                            "myapp.tokens.default_token_generator",
                            "projects/shop/secrets/stripe/versions/latest",
                            "secret/data/shop/db",
                            "challengePassword",
                            "refresh_token",
                            "X-Api-Key",
                            "[A-Z]\\w*",
                            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC",

                            "hunter22",
                            "short",
                            "has spaces in it 123"}) {
    EXPECT_FALSE(LooksLikeSecretValue(value)) << value;
  }
}

TEST(SecretsTest, KnownTokenFormats) {
  EXPECT_EQ(FindKnownToken("AKIAQWERTYUIOPASDFGH").kind, "AWS access key id");
  EXPECT_EQ(FindKnownToken("key: AKIAQWERTYUIOPASDFGH").offset, 5u);
  EXPECT_EQ(FindKnownToken("xAKIAQWERTYUIOPASDFGH").kind, "");  // part of a longer word
  EXPECT_EQ(FindKnownToken("AKIAIOSFODNN7EXAMPLE").kind, "");   // AWS's documented example
  EXPECT_EQ(FindKnownToken("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA").kind,
            "private key");
  EXPECT_EQ(FindKnownToken("-----BEGIN PUBLIC KEY-----").kind, "");
  // The header alone is a parser's constant.
  EXPECT_EQ(FindKnownToken("-----BEGIN OPENSSH PRIVATE KEY-----").kind, "");
  EXPECT_EQ(FindKnownToken("-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA0Z3VS5JJ").kind,
            "private key");
  EXPECT_EQ(FindKnownToken("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED").kind,
            "private key");
  EXPECT_EQ(FindKnownToken("ghp_short").kind, "");
}

TEST(SecretsTest, MoreProviderFormats) {
  EXPECT_EQ(FindKnownToken("glpat-Xy9kLm2QwErT5uIoP8aZ").kind, "GitLab personal access token");
  EXPECT_EQ(FindKnownToken("npm_" + std::string("a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")).kind,
            "npm access token");
  EXPECT_EQ(
      FindKnownToken("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").kind,
      "SendGrid API key");
  EXPECT_EQ(FindKnownToken(
                "https://hooks.slack.com/services/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")
                .kind,
            "Slack webhook URL");
  EXPECT_EQ(FindKnownToken("django-insecure-k3#x9@w!b2$z7q&m8r^v(t0y%u+e1i*o=4n-p6s").kind,
            "Django secret key");
  // Documentation placeholders.
  EXPECT_EQ(FindKnownToken(
                "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX")
                .kind,
            "");
  EXPECT_EQ(
      FindKnownToken("MSG.ngeVfQFYQlKU0ufo8x5d1A.TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr").kind,
      "");  // part of a longer word
}

TEST(SecretsTest, RedactKeepsFourCharacters) {
  EXPECT_EQ(Redact("AKIAQWERTYUIOPASDFGH"), "AKIA…(20 characters)");
  EXPECT_EQ(Redact("ab"), "ab…(2 characters)");
}

}  // namespace
}  // namespace conclave::security
