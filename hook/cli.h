// The command line: what the user typed, validated, before anything is built from it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/sink.h"

namespace leakgate::cli {

enum class Command { staged, history, scan, rules_list, rules_check, version };

struct Request {
  Command command = Command::staged;
  bool as_hook = false;  // invoked as .git/hooks/pre-commit
  std::optional<std::string> repo;
  std::optional<std::string> config;
  std::vector<std::string> paths;  // scan targets, or rule files to check
  report::Format format = report::Format::text;
  bool show_secrets = false;
  bool quiet = false;
  std::optional<bool> color;  // unset: colour when stdout is a terminal
  bool all_objects = false;
  std::optional<std::size_t> max_file_size;
};

// Exit codes, as the README documents them.
inline constexpr int kClean = 0;
inline constexpr int kFound = 1;
inline constexpr int kError = 2;

// Runs a parsed request; returns the exit code.
int run(const Request& request);

}  // namespace leakgate::cli
