// The commit message source: the file git hands the commit-msg hook. A token pasted into a
// message leaks as surely as one in a file. Everything from git's scissors line on is left out:
// `git commit -v` puts the staged diff there (the pre-commit check covers it) and git strips it.
#pragma once

#include <string>

#include "base/result.h"
#include "engine/scanner.h"
#include "engine/stats.h"

namespace leakgate::input {

Status scan_commit_message(const std::string& path, const engine::Scanner& scanner,
                           const engine::FindingFn& emit, engine::ScanStats& stats);

// The part of a message git keeps from the scissors line: the text before it.
std::string_view before_scissors(std::string_view message);

}  // namespace leakgate::input
