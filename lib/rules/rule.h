// Rule: one kind of secret, as plain data. Rules come from TOML (built in, or a user's file)
// and are checked by engine/lint.h; the Matcher compiles them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakgate::rules {

enum class Confidence { low, medium, high };
std::string_view to_string(Confidence c);
std::optional<Confidence> parse_confidence(std::string_view s);

struct Example {
  std::string text;
  std::optional<std::string> secret;  // when set, the capture must equal it
};

// Values and paths a rule (or the whole configuration) does not report.
struct Allowlist {
  std::vector<std::string> paths;      // globs
  std::vector<std::string> secrets;    // RE2 patterns, searched in the secret
  std::vector<std::string> lines;      // RE2 patterns, searched in the secret's line
  std::vector<std::string> stopwords;  // case-insensitive substrings of the secret
  bool empty() const {
    return paths.empty() && secrets.empty() && lines.empty() && stopwords.empty();
  }
};

struct Rule {
  std::string id;
  std::string name;
  std::string pattern;  // RE2; its single capture group is the secret
  std::vector<std::string> keywords;  // case-insensitive literals for the prefilter
  double entropy = 0;                 // minimum bits per byte of the secret
  Confidence confidence = Confidence::medium;
  std::size_t context = 0;  // bytes a match may reach beyond the keyword's lines
  std::vector<std::string> references;
  std::string remediation;
  std::vector<Example> examples;
  std::vector<std::string> negative_examples;
  Allowlist allow;
  std::string origin;  // where it was defined, "file.toml:12", for messages
};

}  // namespace leakgate::rules
