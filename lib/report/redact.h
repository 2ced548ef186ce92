// Redaction: what the reports print instead of a secret.
#pragma once

#include <string>
#include <string_view>

#include "engine/finding.h"

namespace leakgate::report {

// A short prefix and the length: "pk_5260…(43 chars)". The prefix is at most a sixth of the
// secret and at most 8 bytes, so what is printed never narrows a random secret usefully.
std::string redact(std::string_view secret);

// `line` with every occurrence of `secret` replaced by redact(secret).
std::string redact_in(std::string_view line, std::string_view secret);

// The finding's line as a report shows it: with show_secrets, as it is; otherwise with every
// secret on it redacted (each span in f.line_secrets, the finding's own secret wherever it
// occurs, and the part of a secret that a clipped or multi-line snippet holds).
std::string snippet(const engine::Finding& f, bool show_secrets);

}  // namespace leakgate::report
