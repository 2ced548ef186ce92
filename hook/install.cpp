// `leakgate install` and `leakgate uninstall`: symlinks to this binary in the directory git runs
// hooks from.
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cli.h"
#include "commands.h"
#include "git/hooks.h"

namespace leakgate::cli {
namespace {

struct InstallArgs {
  std::optional<std::string> repo;
  std::vector<std::string> hooks;
  bool chain = false, force = false;
};

std::vector<std::string> hook_names(const std::vector<std::string>& chosen,
                                    std::vector<std::string> fallback) {
  if (chosen.empty()) return fallback;
  std::vector<std::string> out;
  for (const auto& h : chosen) {
    if (h == "all") return {git::kHookNames.begin(), git::kHookNames.end()};
    if (std::find(out.begin(), out.end(), h) == out.end()) out.push_back(h);
  }
  return out;
}

Result<git::HooksDir> open_hooks_dir(const std::optional<std::string>& repo_path) {
  auto repo = git::open_repository(repo_path);
  if (!repo) return repo.error();
  return git::hooks_dir(repo->get());
}

int install(const InstallArgs& a) {
  git::Library lib;
  auto dir = open_hooks_dir(a.repo);
  if (!dir) {
    fmt::print(stderr, "leakgate: {}\n", dir.error().message);
    return kError;
  }
  std::error_code ec;
  std::string binary = std::filesystem::canonical("/proc/self/exe", ec).string();
  if (ec) {
    fmt::print(stderr, "leakgate: cannot find my own binary: {}\n", ec.message());
    return kError;
  }
  git::InstallOptions o{binary, hook_names(a.hooks, {"pre-commit"}), a.chain, a.force};
  auto done = git::install_hooks(dir->path, o);
  if (!done) {
    fmt::print(stderr, "leakgate: {}\n", done.error().message);
    return kError;
  }
  for (const auto& line : *done) fmt::print("leakgate: {}\n", line);
  if (!dir->configured.empty()) {
    fmt::print("leakgate: (core.hooksPath is {}; that is where git looks)\n", dir->configured);
  }
  return kClean;
}

int uninstall(const InstallArgs& a) {
  git::Library lib;
  auto dir = open_hooks_dir(a.repo);
  if (!dir) {
    fmt::print(stderr, "leakgate: {}\n", dir.error().message);
    return kError;
  }
  auto done = git::uninstall_hooks(
      dir->path, hook_names(a.hooks, {git::kHookNames.begin(), git::kHookNames.end()}));
  if (!done) {
    fmt::print(stderr, "leakgate: {}\n", done.error().message);
    return kError;
  }
  for (const auto& line : *done) fmt::print("leakgate: {}\n", line);
  return kClean;
}

void add_common(CLI::App* cmd, InstallArgs& a, const char* hook_help) {
  cmd->add_option("--repo", a.repo, "Repository (default: $GIT_DIR or the current one)");
  cmd->add_option("--hook", a.hooks, hook_help)
      ->check(CLI::IsMember({"pre-commit", "commit-msg", "pre-push", "all"}));
}

}  // namespace

void add_install_commands(CLI::App& app, Action& action) {
  auto a = std::make_shared<InstallArgs>();
  CLI::App* install_cmd = app.add_subcommand(
      "install", "Link leakgate into the repository's hooks directory (core.hooksPath honoured)");
  add_common(install_cmd, *a, "pre-commit (default), commit-msg, pre-push or all; repeatable");
  CLI::Option* chain =
      install_cmd->add_flag("--chain", a->chain, "Keep an existing hook and run it after leakgate");
  install_cmd
      ->add_flag("--force", a->force,
                 "Replace an existing hook (it is kept under leakgate-backup/)")
      ->excludes(chain);
  install_cmd->callback([a, &action] { action = [a] { return install(*a); }; });

  auto u = std::make_shared<InstallArgs>();
  CLI::App* uninstall_cmd = app.add_subcommand(
      "uninstall", "Remove the hooks install made and put back the ones it kept");
  add_common(uninstall_cmd, *u, "Which hooks (default: all of leakgate's)");
  uninstall_cmd->callback([u, &action] { action = [u] { return uninstall(*u); }; });
}

}  // namespace leakgate::cli
