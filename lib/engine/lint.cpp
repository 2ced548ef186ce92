#include "engine/lint.h"

#include <re2/re2.h>

#include "engine/scanner.h"

namespace leakgate::engine {
namespace {

bool valid_id(const std::string& id) {
  static const RE2 kId("[a-z0-9][a-z0-9-]*[a-z0-9]");
  return RE2::FullMatch(id, kId);
}

// Scans `text` with a matcher holding only `rule`; returns the secrets found.
Result<std::vector<std::string>> secrets_in(const Scanner& scanner, const std::string& text) {
  std::vector<std::string> found;
  Chunk chunk{text, "", {}};
  LEAKGATE_TRY(scanner.scan(chunk, [&](Finding&& f) { found.push_back(std::move(f.secret)); }));
  return found;
}

void lint_rule(const rules::Rule& rule, const LintOptions& options,
               std::vector<std::string>& problems) {
  auto problem = [&](const std::string& what) {
    problems.push_back(fmt::format("{}: rule '{}': {}", rule.origin, rule.id, what));
  };
  if (!valid_id(rule.id)) problem("id must be lower-case letters, digits and dashes");
  for (const auto& k : rule.keywords) {
    if (k.size() < 2) problem(fmt::format("keyword '{}' is too short to prefilter", k));
  }
  if (options.require_remediation && rule.remediation.empty()) {
    problem("needs 'remediation' (where to revoke or rotate it)");
  }
  if (options.require_examples && rule.examples.empty()) problem("needs 'examples'");
  if (options.require_examples && rule.negative_examples.empty()) {
    problem("needs 'negative_examples'");
  }

  Matcher matcher({rule});
  if (Status s = matcher.compile(0); !s) {
    problems.push_back(s.error().message);
    return;
  }
  auto scanner = Scanner::create(matcher, {});
  if (!scanner) {
    problems.push_back(scanner.error().message);
    return;
  }
  for (std::size_t i = 0; i < rule.examples.size(); ++i) {
    const rules::Example& e = rule.examples[i];
    auto found = secrets_in(*scanner, e.text);
    if (!found) {
      problems.push_back(found.error().message);
      return;
    }
    if (found->empty()) {
      problem(fmt::format("example {} does not match: {}", i + 1, e.text));
    } else if (e.secret && std::find(found->begin(), found->end(), *e.secret) == found->end()) {
      problem(fmt::format("example {} captures '{}', not '{}'", i + 1, found->front(), *e.secret));
    }
  }
  for (std::size_t i = 0; i < rule.negative_examples.size(); ++i) {
    auto found = secrets_in(*scanner, rule.negative_examples[i]);
    if (found && !found->empty()) {
      problem(fmt::format("negative example {} matches ('{}'): {}", i + 1, found->front(),
                          rule.negative_examples[i]));
    }
  }
}

}  // namespace

std::vector<std::string> lint(const rules::Catalogue& catalogue, const LintOptions& options) {
  std::vector<std::string> problems;
  for (const rules::Rule& rule : catalogue.rules()) lint_rule(rule, options, problems);
  return problems;
}

}  // namespace leakgate::engine
