// Lint: checks rules against the engine: ids, patterns, and every example and negative example.
// It backs `leakgate rules check`, the loading of a user's rule file, and the unit tests of the
// built-in catalogue.
#pragma once

#include <string>
#include <vector>

#include "rules/catalogue.h"

namespace leakgate::engine {

struct LintOptions {
  bool require_examples = true;     // built-in rules must carry both kinds of example
  bool require_remediation = true;  // ... and say how to rotate the secret
};

// One message per problem, each naming the rule and where it was defined. Empty when clean.
std::vector<std::string> lint(const rules::Catalogue& catalogue, const LintOptions& options = {});

}  // namespace leakgate::engine
