// Config: a repository's `.leakgate.toml` (or --config FILE).
//
//   extend = true                  # start from the built-in rules (default)
//   disable = ["generic-api-key"]  # built-in or own rule ids to turn off
//   max_file_size = "64MB"         # larger files and blobs are skipped, and said so
//
//   [allow]                        # never report these
//   paths = ["tests/data/**"]
//   secrets = ['^AKIA[0-9A-Z]{12}TEST$']
//   lines = ['fixture']
//   stopwords = ["dummy"]
//
//   [[ignore]]                     # one known secret, by fingerprint (optionally one path)
//   fingerprint = "0a1b2c3d4e5f60718293a4b5"
//   path = "docs/**"
//
//   [override.generic-api-key]     # tune a rule without copying it
//   entropy = 4.2
//   confidence = "low"
//   allow = { stopwords = ["localhost"] }
//
//   [[rules]]                      # own rules, the same format as the built-in ones
//   id = "acme-key" ...
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/scanner.h"
#include "rules/catalogue.h"

namespace leakgate::config {

inline constexpr std::size_t kDefaultMaxFileSize = std::size_t(64) << 20;

struct Override {
  std::optional<double> entropy;
  std::optional<rules::Confidence> confidence;
  rules::Allowlist allow;  // added to the rule's own
};

struct Config {
  std::string source;  // the file it came from, or empty for defaults
  bool extend = true;
  std::vector<std::string> disable;
  std::size_t max_file_size = kDefaultMaxFileSize;
  rules::Allowlist allow;
  std::vector<engine::Ignore> ignores;
  std::map<std::string, Override> overrides;
  rules::Catalogue rules;
};

Result<Config> parse(std::string_view toml_text, std::string_view source);
// Reads a file; a missing file is an error (the caller decides whether one is expected).
Result<Config> load(const std::string& path);

// The rules to run: the built-in catalogue (when extended), the config's own rules, less the
// disabled ones, with overrides applied.
Result<rules::Catalogue> effective_rules(const Config& config);

// A digest of everything that decides what a blob's findings are: the rules, the allowlists,
// the ignored fingerprints and leakgate's version. A scan cache is valid only under it.
std::string ruleset_digest(const std::vector<rules::Rule>& rules, const Config& config,
                           std::string_view version);

}  // namespace leakgate::config
