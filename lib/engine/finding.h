// Finding: a secret that passed every filter, with its location and, for history, its origin.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"

namespace leakgate::engine {

// Where a blob entered history.
struct Provenance {
  std::string commit;  // 40 hex; empty when no commit holds the blob (a dangling blob)
  std::string author, email, date;  // date in ISO 8601
  std::string blob;
  bool reachable = true;
  std::size_t versions = 1;  // blobs at this path that hold the same secret (later edits)
  std::vector<std::string> refs;  // refs that reach the commit
  std::vector<std::string> tips;  // branch tips whose files still hold the secret
};

// A byte range [begin, end).
struct TextSpan {
  std::size_t begin = 0, end = 0;
};

struct Finding {
  const rules::Rule* rule = nullptr;
  std::string secret;
  std::string path;
  std::size_t line = 0, column = 0;  // 1-based; column counts bytes
  std::string line_text;             // the line the secret starts on, at most a few hundred bytes
  std::size_t line_offset = 0;       // where line_text starts in its line (long lines are clipped)
  // Every part of line_text that a rule matched as a secret: this finding's, and any other on
  // the same line, so that a report can show the line without revealing any of them.
  std::vector<TextSpan> line_secrets;
  std::string fingerprint;           // from rule and secret only: stable as lines move
  Provenance origin;                 // filled by the history source
  bool from_history = false;
};

// A short hash of rule id and secret: identifies the secret without revealing it.
std::string fingerprint(std::string_view rule_id, std::string_view secret);

}  // namespace leakgate::engine
