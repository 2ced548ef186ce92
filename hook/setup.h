// What the commands that scan share: finding a repository's configuration and ignore file, and
// building the scanner from them.
//
//   auto engine = cli::ScanEngine::open(repo_flag, config_flag);
//   git::scan_tracked(engine->repo.get(), {engine->max_size}, *engine->scanner, emit, stats);
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "config/ignore_file.h"
#include "engine/matcher.h"
#include "engine/scanner.h"
#include "git/repo.h"

namespace leakgate::cli {

// The configuration: `path` when given, else .leakgate.toml in the work tree (in HEAD's tree for
// a bare repository), else in the current directory for scans outside git, else the defaults.
Result<config::Config> find_config(const std::optional<std::string>& path, git_repository* repo);

// Where the ignore file is: the top of the work tree, or the current directory outside git.
// Empty for a bare repository, whose ignore file is read from HEAD.
std::string ignore_file_path(git_repository* repo);

// The ignore file's entries (none when there is no file).
Result<config::IgnoreFile> find_ignore_file(git_repository* repo);

// A repository (optional), its configuration and the scanner built from them. The scanner
// refers to the matcher, so neither moves: the engine is held by pointer.
struct ScanEngine {
  git::RepoPtr repo;
  config::Config config;
  std::unique_ptr<engine::Matcher> matcher;
  std::optional<engine::Scanner> scanner;
  std::size_t max_size = config::kDefaultMaxFileSize;

  struct Options {
    bool open_repo = true;        // false: files outside git, configuration from the current dir
    bool use_ignore_file = true;  // false: without the ignore file's entries
  };
  // Opens the repository (`repo_path`, else the current one) and builds the scanner from its
  // configuration. A git::Library must be alive.
  static Result<std::unique_ptr<ScanEngine>> open(const std::optional<std::string>& repo_path,
                                                  const std::optional<std::string>& config_path,
                                                  Options options);
};

}  // namespace leakgate::cli
