// NATS subject matching, as the server does it: tokens split on '.', '*' matches exactly one
// token, '>' (last token only) matches one or more. Pure functions; thread-safe.
#pragma once

#include "absl/strings/string_view.h"

namespace conclave::bus::internal {

// Whether the literal subject `subject` is matched by `pattern`.
bool SubjectMatches(absl::string_view pattern, absl::string_view subject);

// Whether some literal subject is matched by both patterns (JetStream refuses two streams, or
// two consumers of one work queue, whose subjects overlap).
bool SubjectsOverlap(absl::string_view a, absl::string_view b);

// Whether `subject` is a well-formed literal subject: non-empty tokens, no wildcards, no spaces.
bool IsLiteralSubject(absl::string_view subject);

}  // namespace conclave::bus::internal
