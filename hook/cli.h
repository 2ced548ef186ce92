// The command line: what the user typed, validated, before anything is built from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/sink.h"

namespace leakgate::cli {

enum class Command { staged, history, scan, commit_msg, pre_push, rules_list, rules_check, version };

struct Request {
  Command command = Command::staged;
  bool as_hook = false;  // invoked by git as a hook (pre-commit, commit-msg, pre-push)
  std::optional<std::string> repo;
  std::optional<std::string> config;
  // scan targets, rule files to check, staged paths (pre-commit framework), the message file
  std::vector<std::string> paths;
  report::Format format = report::Format::text;
  bool show_secrets = false;
  bool quiet = false;
  std::optional<bool> color;  // unset: colour when stdout is a terminal
  bool all_objects = false;
  std::optional<std::size_t> max_file_size;
  std::optional<std::string> report;      // write the report here (0600) instead of stdout
  std::optional<std::string> purge_plan;  // history: write a filter-repo replacements file
  std::optional<std::string> baseline;    // report only findings not in this baseline file
  // history scope: revisions to sweep (--branch, the B of A..B), revisions already known (A)
  std::vector<std::string> include, exclude;
  std::int64_t since = 0;  // history: skip blobs whose commit is older (seconds since the epoch)
  bool cache = false;      // history: keep clean blob ids in the git directory between sweeps
  bool timings = false;    // print where the time went, on stderr
};

// Exit codes, as the README documents them.
inline constexpr int kClean = 0;
inline constexpr int kFound = 1;
inline constexpr int kError = 2;

// Runs a parsed request; returns the exit code.
int run(const Request& request);

}  // namespace leakgate::cli
