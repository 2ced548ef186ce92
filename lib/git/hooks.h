// Git hooks: where a repository keeps them, what is installed there, and installing leakgate
// as symlinks to its binary (the name a hook is run under tells the binary what to do).
//
//   auto dir = git::hooks_dir(repo);                  // `git rev-parse --git-path hooks`
//   auto done = git::install_hooks(dir->path, {binary, {"pre-commit"}});
//
// An existing hook that is not leakgate's is never overwritten silently: install refuses and
// changes nothing, unless asked to chain (the old hook is kept under leakgate-chained/ and runs
// after leakgate) or to force (it is kept under leakgate-backup/). Uninstall removes exactly
// what install made and puts a kept hook back.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "git/repo.h"

namespace leakgate::git {

inline constexpr std::array<std::string_view, 3> kHookNames = {"pre-commit", "commit-msg",
                                                               "pre-push"};

struct HooksDir {
  std::string path;        // absolute
  std::string configured;  // core.hooksPath as configured; empty when unset
};

// The directory git runs hooks from: core.hooksPath (relative to the top of the work tree, or
// to the git directory of a bare repository) or the hooks directory of the common git
// directory, which linked worktrees share.
Result<HooksDir> hooks_dir(git_repository* repo);

enum class HookKind {
  none,            // no hook
  leakgate_link,   // a symlink to a leakgate binary
  leakgate_chain,  // leakgate's script that runs leakgate, then a kept hook
  framework,       // the pre-commit framework's script
  other,           // anything else
};

struct HookState {
  HookKind kind = HookKind::none;
  std::string path;
  std::string target;  // a symlink's target
  bool executable = false;
  bool dangling = false;  // a symlink whose target does not exist
};

HookState inspect_hook(const std::string& dir, std::string_view name);

struct InstallOptions {
  std::string binary;              // absolute path of the leakgate binary
  std::vector<std::string> hooks;  // names from kHookNames
  bool chain = false;
  bool force = false;
};

// Returns one line per hook saying what was done.
Result<std::vector<std::string>> install_hooks(const std::string& dir,
                                               const InstallOptions& options);
Result<std::vector<std::string>> uninstall_hooks(const std::string& dir,
                                                 const std::vector<std::string>& hooks);

}  // namespace leakgate::git
