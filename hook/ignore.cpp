// `leakgate ignore`: adds fingerprints to .leakgateignore, or lists the entries that match
// nothing any more.
#include <fmt/format.h>

#include <memory>

#include "cli.h"
#include "commands.h"
#include "git/history.h"
#include "git/tracked.h"
#include "setup.h"

namespace leakgate::cli {
namespace {

struct IgnoreArgs {
  std::optional<std::string> repo, config;
  std::vector<std::string> fingerprints;
  std::string path, reason;
  bool unused = false, history = false;
};

int fail(const Error& e) {
  fmt::print(stderr, "leakgate: {}\n", e.message);
  return kError;
}

int add_entries(const IgnoreArgs& a) {
  auto repo = git::open_repository(a.repo);
  if (!repo) return fail(repo.error());
  std::string file = ignore_file_path(repo->get());
  if (file.empty()) {
    return fail(make_error("{}: a bare repository has no work tree; add entries to {} in a clone",
                           git_repository_path(repo->get()), config::kIgnoreFileName));
  }
  auto existing = config::IgnoreFile::load(file);
  if (!existing) return fail(existing.error());
  std::vector<std::string> lines;
  for (const auto& fp : a.fingerprints) {
    if (!config::is_fingerprint(fp)) {
      return fail(
          make_error("'{}' is not a fingerprint (16 to 64 lower-case hex digits, as "
                     "leakgate prints them)",
                     fp));
    }
    if (existing->contains(fp, a.path)) {
      fmt::print("leakgate: {} is already ignored{}\n", fp,
                 a.path.empty() ? "" : fmt::format(" under {}", a.path));
      continue;
    }
    lines.push_back(config::format_ignore_line({fp, a.path}, a.reason));
  }
  if (lines.empty()) return kClean;
  if (Status s = config::append_ignore_lines(file, lines); !s) return fail(s.error());
  fmt::print("leakgate: added {} entr{} to {}\n", lines.size(), lines.size() == 1 ? "y" : "ies",
             file);
  return kClean;
}

// Entries that no finding in the tracked files (and, with --history, in history) matches.
int list_unused(const IgnoreArgs& a) {
  auto engine = ScanEngine::open(a.repo, a.config, {true, false});
  if (!engine) return fail(engine.error());
  git_repository* repo = (*engine)->repo.get();
  auto file = find_ignore_file(repo);
  if (!file) return fail(file.error());
  const auto& scanner = *(*engine)->scanner;
  std::vector<engine::Finding> found;
  engine::ScanStats stats;
  auto keep = [&](engine::Finding&& f) { found.push_back(std::move(f)); };
  Status s = git::scan_tracked(repo, {(*engine)->max_size}, scanner, keep, stats);
  git::HistoryOptions history;
  history.max_blob_size = (*engine)->max_size;
  if (s && a.history) s = git::scan_history(repo, history, scanner, keep, stats);
  if (!s) return fail(s.error());
  if (!stats.errors.empty())
    return fail(make_error("the scan is incomplete: {}", stats.errors.front()));

  std::string where = ignore_file_path(repo);
  if (where.empty()) where = fmt::format("HEAD:{}", config::kIgnoreFileName);
  std::size_t unused = 0;
  for (const auto& e : file->entries()) {
    bool used = std::any_of(found.begin(), found.end(), [&](const engine::Finding& f) {
      return config::ignore_applies(e.ignore, f);
    });
    if (used) continue;
    ++unused;
    fmt::print("{}:{}: {}\n", where, e.line, config::format_ignore_line(e.ignore, e.comment));
  }
  std::string scope = a.history ? "the tracked files or history" : "the tracked files";
  if (unused == 0) {
    fmt::print(stderr, "leakgate: every entry of {} matches a secret in {}\n",
               config::kIgnoreFileName, scope);
    return kClean;
  }
  fmt::print(stderr, "leakgate: {} entr{} match nothing in {} any more; remove {}\n", unused,
             unused == 1 ? "y" : "ies", scope, unused == 1 ? "it" : "them");
  return kFound;
}

}  // namespace

void add_ignore_command(CLI::App& app, Action& action) {
  auto a = std::make_shared<IgnoreArgs>();
  CLI::App* cmd = app.add_subcommand(
      "ignore", "Ignore secrets by fingerprint in .leakgateignore, or list unused entries");
  cmd->add_option("fingerprints", a->fingerprints, "Fingerprints, as leakgate prints them");
  cmd->add_option("--path", a->path, "Ignore only under paths matching this glob");
  cmd->add_option("--reason", a->reason, "Why: written as the entry's comment");
  cmd->add_option("--repo", a->repo, "Repository (default: the current one)");
  cmd->add_option("--config", a->config, "Configuration file (default: .leakgate.toml)");
  CLI::Option* unused =
      cmd->add_flag("--unused", a->unused,
                    "List entries that match no secret in the tracked files; exit 1 if any");
  cmd->add_flag("--history", a->history, "With --unused: history counts too")->needs(unused);
  cmd->callback([a, &action] {
    if (a->unused && !a->fingerprints.empty()) {
      throw CLI::ValidationError("--unused", "takes no fingerprints");
    }
    if (!a->unused && a->fingerprints.empty()) {
      throw CLI::ValidationError("fingerprints", "give at least one fingerprint, or --unused");
    }
    action = [a] {
      git::Library lib;
      return a->unused ? list_unused(*a) : add_entries(*a);
    };
  });
}

}  // namespace leakgate::cli
