// `leakgate baseline create|update FILE`: records the secrets found now, so that
// `--baseline FILE` reports only new ones.
#include "config/baseline.h"

#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "cli.h"
#include "commands.h"
#include "git/history.h"
#include "git/tracked.h"
#include "input/paths.h"
#include "setup.h"

namespace leakgate::cli {
namespace {

struct BaselineArgs {
  std::string file;
  std::optional<std::string> repo, config;
  std::vector<std::string> paths;
  bool update = false;
};

int fail(const Error& e) {
  fmt::print(stderr, "leakgate: {}\n", e.message);
  return kError;
}

// The findings of everything a baseline covers: with paths, those files; in a repository, the
// tracked files and all of history.
Result<config::Baseline> current_findings(const BaselineArgs& a) {
  bool in_git = a.paths.empty();
  auto engine = ScanEngine::open(a.repo, a.config, {in_git, true});
  if (!engine) return engine.error();
  const auto& e = **engine;
  config::Baseline found;
  engine::ScanStats stats;
  auto add = [&](engine::Finding&& f) { found.add(f); };
  if (in_git) {
    LEAKGATE_TRY(git::scan_tracked(e.repo.get(), {e.max_size}, *e.scanner, add, stats));
    git::HistoryOptions history;
    history.max_blob_size = e.max_size;
    LEAKGATE_TRY(git::scan_history(e.repo.get(), history, *e.scanner, add, stats));
  } else {
    LEAKGATE_TRY(input::scan_paths(a.paths, {e.max_size}, *e.scanner, add, stats));
  }
  if (!stats.errors.empty()) {
    return make_error("the scan is incomplete, so no baseline was written: {}",
                      stats.errors.front());
  }
  return found;
}

int write_baseline(const BaselineArgs& a) {
  std::error_code ec;
  bool exists = std::filesystem::exists(a.file, ec);
  if (!a.update && exists) {
    return fail(
        make_error("{} already exists; `leakgate baseline update {}` rewrites it", a.file, a.file));
  }
  std::optional<config::Baseline> old;
  if (a.update && exists) {
    auto loaded = config::Baseline::load(a.file);
    if (!loaded) return fail(loaded.error());
    old = std::move(*loaded);
  }
  git::Library lib;
  auto found = current_findings(a);
  if (!found) return fail(found.error());
  if (Status s = found->save(a.file); !s) return fail(s.error());

  std::size_t added = 0, kept = 0, gone = 0;
  for (const auto& e : found->entries()) {
    (old && old->entries().count(e) ? kept : added) += 1;
  }
  if (old) {
    for (const auto& e : old->entries()) gone += found->entries().count(e) ? 0 : 1;
  }
  if (old) {
    fmt::print("leakgate: {}: {} new, {} kept, {} gone\n", a.file, added, kept, gone);
  } else {
    fmt::print("leakgate: {}: {} secret{} recorded\n", a.file, added, added == 1 ? "" : "s");
  }
  return kClean;
}

}  // namespace

void add_baseline_command(CLI::App& app, Action& action) {
  CLI::App* cmd = app.add_subcommand(
      "baseline", "Record the secrets found now, so that --baseline FILE reports only new ones");
  cmd->require_subcommand(1);
  for (bool update : {false, true}) {
    auto a = std::make_shared<BaselineArgs>();
    a->update = update;
    CLI::App* sub = cmd->add_subcommand(
        update ? "update" : "create",
        update ? "Rewrite FILE with the secrets found now (and say what changed)"
               : "Write FILE with the secrets found now (refuses to overwrite it)");
    sub->add_option("file", a->file, "The baseline file (JSON)")->required();
    sub->add_option("paths", a->paths,
                    "Files or directories to scan (default: the repository's tracked files and "
                    "its whole history)");
    sub->add_option("--repo", a->repo, "Repository (default: the current one)");
    sub->add_option("--config", a->config, "Configuration file (default: .leakgate.toml)");
    sub->callback([a, &action] { action = [a] { return write_baseline(*a); }; });
  }
}

}  // namespace leakgate::cli
