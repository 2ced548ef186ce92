// Scanner: a Matcher plus the filters that decide what a match means, turning chunks into
// findings.
//
//   auto scanner = Scanner::create(matcher, config.allow, config.ignores);
//   scanner->scan(chunk, [&](Finding&& f) { sink.finding(f); });
//
// Filters, in order: the rule's minimum entropy, the placeholder test, the configuration's and
// the rule's allowlists (path, secret, line, stopword), inline `leakgate:allow` comments, and
// ignored fingerprints. Where two findings overlap, the one from the more confident rule wins.
// Immutable after create(); safe to share between threads if the Matcher is.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "engine/chunk.h"
#include "engine/finding.h"
#include "engine/matcher.h"
#include "rules/rule.h"

namespace leakgate::engine {

// An ignored secret: its fingerprint, optionally only at paths matching a glob.
struct Ignore {
  std::string fingerprint;
  std::string path;  // empty: anywhere
};

using FindingFn = std::function<void(Finding&&)>;
// Called, when asked for, with each candidate a filter dropped and that filter's reason.
using SuppressedFn = std::function<void(Finding&&, std::string_view reason)>;

class Scanner {
 public:
  static Result<Scanner> create(const Matcher& matcher, const rules::Allowlist& allow,
                                std::vector<Ignore> ignores = {});
  ~Scanner();
  Scanner(Scanner&&) noexcept;
  Scanner& operator=(Scanner&&) noexcept;

  const Matcher& matcher() const;

  // True when the configuration allowlists the whole path (no need to read it).
  bool path_allowed(std::string_view path) const;

  Status scan(const Chunk& chunk, const FindingFn& emit,
              const SuppressedFn* suppressed = nullptr) const;

 private:
  struct Impl;
  explicit Scanner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Inline allow markers: `leakgate:allow` on the line itself, `leakgate:allow-next-line` on the
// line before. The markers of gitleaks (`gitleaks:allow`) and detect-secrets
// (`pragma: allowlist secret`) are honoured too, so a migrating project keeps its annotations.
bool inline_allowed(std::string_view line, std::string_view previous_line);

}  // namespace leakgate::engine
