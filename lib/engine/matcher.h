// Matcher: finds every rule's secrets in a byte range.
//
//   Matcher m(catalogue.rules());
//   std::vector<Match> found;
//   if (Status s = m.scan(text, found); !s) fail(s.error());
//
// A keyword prefilter decides which rules run and where: a rule's RE2 runs only on the lines
// around an occurrence of one of its keywords, and is compiled the first time that happens,
// so a hook pays only for the rules whose keywords occur in what it reads. A pattern that does
// not compile is an error from scan(), never a silent miss.
//
// Immutable after construction apart from that lazy compilation, which is guarded per rule:
// one Matcher may be shared by many threads. Not copyable: compiled programs are big.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "rules/rule.h"

namespace leakgate::engine {

struct Match {
  std::uint32_t rule;         // index into rules()
  std::size_t begin, end;     // the secret: the rule's capture group
  std::size_t match_begin, match_end;  // the whole match
};

class Matcher {
 public:
  explicit Matcher(std::vector<rules::Rule> rules);
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  const std::vector<rules::Rule>& rules() const;

  // Appends the matches in `text`, ordered by rule, then offset.
  Status scan(std::string_view text, std::vector<Match>& out) const;

  // Compiles rule i now (normally it happens on first use); the error says why it failed.
  Status compile(std::size_t i) const;
  // How many rules have been compiled so far (for the hook's own timing breakdown).
  std::size_t compiled_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leakgate::engine
