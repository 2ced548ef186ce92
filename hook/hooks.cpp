// The binary as a git hook: under the name pre-commit it scans what is staged, as commit-msg the
// message file git names, as pre-push the commits git is about to push. `leakgate hook NAME` does
// the same under any name (leakgate's chain scripts use it).
#include "git/hooks.h"

#include <fmt/format.h>

#include <cstdlib>
#include <memory>

#include "cli.h"
#include "commands.h"

namespace leakgate::cli {
namespace {

// SKIP=leakgate (a comma-separated list, the pre-commit framework's convention) skips the check.
bool skipped_by_env() {
  const char* skip = std::getenv("SKIP");
  if (!skip) return false;
  std::string_view list(skip);
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "leakgate") return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool is_hook_name(std::string_view name) {
  for (std::string_view h : git::kHookNames) {
    if (h == name) return true;
  }
  return false;
}

int run_hook(std::string_view name, const std::vector<std::string>& args) {
  if (skipped_by_env()) {
    fmt::print(stderr, "leakgate: {} check skipped (SKIP={})\n", name, std::getenv("SKIP"));
    return kClean;
  }
  Request r;
  r.as_hook = true;
  if (name == "pre-commit") {
    // Git runs pre-commit with no arguments; extra ones are not ours to interpret.
    r.command = Command::staged;
  } else if (name == "commit-msg") {
    if (args.empty()) {
      fmt::print(stderr, "leakgate: commit-msg: git names the message file as the argument\n");
      return kError;
    }
    r.command = Command::commit_msg;
    r.paths = {args.front()};
  } else {
    r.command = Command::pre_push;  // the arguments (remote name and URL) are not needed
  }
  return run(r);
}

void add_hook_command(CLI::App& app, Action& action) {
  struct Args {
    std::string name;
    std::vector<std::string> rest;
  };
  auto a = std::make_shared<Args>();
  CLI::App* hook = app.add_subcommand(
      "hook", "Act as the git hook NAME (pre-commit, commit-msg or pre-push), as a symlink does");
  hook->add_option("name", a->name, "The hook")
      ->required()
      ->check(CLI::IsMember({"pre-commit", "commit-msg", "pre-push"}));
  hook->add_option("args", a->rest, "The hook's arguments, as git passes them");
  hook->callback([a, &action] { action = [a] { return run_hook(a->name, a->rest); }; });
}

}  // namespace leakgate::cli
