// IgnoreFile: a repository's `.leakgateignore`, one known secret a line, by fingerprint.
//
//   # comment
//   3f2a9c0d1e4b5a6978c0d1e2              # anywhere
//   0a1b2c3d4e5f60718293a4b5 tests/**     # only under tests/ (a path glob)
//
// A fingerprint is a hash of rule id and secret, never of where the secret is: an entry keeps
// working as lines move and the file is edited around the secret, and stops working when a
// different secret takes its place. Parsing is strict (a typo is an error with file and line),
// so that an entry never silently fails to apply.
//
//   auto file = config::IgnoreFile::load(".leakgateignore");
//   scanner = Scanner::create(matcher, allow, file->ignores());
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "engine/finding.h"
#include "engine/scanner.h"

namespace leakgate::config {

inline constexpr const char* kIgnoreFileName = ".leakgateignore";

class IgnoreFile {
 public:
  struct Entry {
    engine::Ignore ignore;
    std::string comment;
    std::size_t line = 0;  // 1-based line in the file
  };

  // Parses the text of an ignore file; `source` names it in messages.
  static Result<IgnoreFile> parse(std::string_view text, std::string_view source);
  // Reads a file; a missing file is an empty list, not an error.
  static Result<IgnoreFile> load(const std::string& path);

  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<engine::Ignore> ignores() const;

  // True when an entry with this fingerprint and path glob (empty: anywhere) exists.
  bool contains(std::string_view fingerprint, std::string_view path) const;

 private:
  std::vector<Entry> entries_;
};

// True when `text` has the shape of a fingerprint: 16 to 64 lower-case hex digits.
bool is_fingerprint(std::string_view text);

// True when the entry applies to the finding: the same fingerprint, and the path glob (if any)
// matches the finding's path.
bool ignore_applies(const engine::Ignore& ignore, const engine::Finding& finding);

// One line of an ignore file: "<fingerprint>[ <path>][  # <comment>]".
std::string format_ignore_line(const engine::Ignore& ignore, std::string_view comment);

// Appends lines to the file at `path`, creating it with a header comment when absent and
// adding a newline first when its last line has none.
Status append_ignore_lines(const std::string& path, const std::vector<std::string>& lines);

}  // namespace leakgate::config
