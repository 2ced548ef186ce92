// Builds the real objects (configuration, rules, matcher, scanner, sink) from a Request and
// runs the source it names.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/private_file.h"
#include "base/text.h"
#include "cli.h"
#include "config/baseline.h"
#include "config/config.h"
#include "engine/lint.h"
#include "git/history.h"
#include "git/scan_cache.h"
#include "git/push.h"
#include "git/repo.h"
#include "git/staged.h"
#include "input/message.h"
#include "input/paths.h"
#include "report/purge.h"
#include "setup.h"

#ifndef LEAKGATE_VERSION
#define LEAKGATE_VERSION "0.0.0"
#endif

namespace leakgate::cli {
namespace {

int fail(const Error& e) {
  fmt::print(stderr, "leakgate: {}\n", e.message);
  return kError;
}

// The configuration (see setup.h), with the ignore file's entries added.
Result<config::Config> find_config(const Request& r, git_repository* repo) {
  auto cfg = cli::find_config(r.config, repo);
  if (!cfg) return cfg;
  auto ignores = find_ignore_file(repo);
  if (!ignores) return ignores.error();
  for (auto& i : ignores->ignores()) cfg->ignores.push_back(std::move(i));
  return cfg;
}

std::string read_stdin() {
  std::string text;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) text.append(buf, n);
  return text;
}

// What a blocked hook prints: why, what to do, and how to skip the check once.
void print_blocked(const Request& r, const report::Summary& summary) {
  std::size_t n = summary.findings;
  std::string secrets = fmt::format("{} secret{}", n, n == 1 ? "" : "s");
  const char* it = n == 1 ? "it" : "them";
  std::string ignore;
  for (const auto& fp : summary.fingerprints) ignore += " " + fp;
  if (r.command == Command::staged) {
    fmt::print(stderr,
               "leakgate: commit blocked: {} in the staged changes.\n"
               "  Remove {} from the staged files (git restore --staged, or edit and git add),\n"
               "  and rotate any secret that was ever pushed.\n",
               secrets, it);
  } else if (r.command == Command::commit_msg) {
    fmt::print(stderr,
               "leakgate: commit blocked: {} in the commit message.\n"
               "  Take {} out of the message and commit again; rotate any secret that was ever\n"
               "  pushed.\n",
               secrets, it);
  } else {
    fmt::print(stderr,
               "leakgate: push blocked: {} in the commits being pushed.\n"
               "  Rewrite those commits without {} (git rebase -i; git commit --amend for the "
               "last one),\n  and rotate each secret: your local history holds it.\n",
               secrets, it);
  }
  fmt::print(stderr,
             "  A false positive: add 'leakgate:allow' on its line, or ignore it for good:\n"
             "    leakgate ignore{}\n"
             "  To skip this check once: git {} --no-verify (SKIP=leakgate under the pre-commit "
             "framework)\n",
             ignore, r.command == Command::pre_push ? "push" : "commit");
}

report::Options sink_options(const Request& r, std::string mode, git_repository* repo) {
  report::Options o;
  o.show_secrets = r.show_secrets;
  o.quiet = r.quiet;
  o.mode = std::move(mode);
  o.tool_version = LEAKGATE_VERSION;
  if (!repo) {
    o.root = std::filesystem::current_path().string();
  } else if (const char* wd = git_repository_workdir(repo)) {
    o.root = wd;
  }
  // A report written to a file is for tools; the summary beside it goes to stderr.
  bool text = r.format == report::Format::text;
  bool tty = !r.report && ::isatty(STDOUT_FILENO) == 1;
  o.color = r.color.value_or(tty && !std::getenv("NO_COLOR")) && text;
  o.grouped = tty && text;
  o.text_summary = r.report.has_value();
  return o;
}

// Writes the purge plan and prints what to do with it: on stdout, or on stderr when stdout
// carries a machine-readable report.
int purge_plan(const Request& r, git_repository* repo, const report::PurgePlan& plan,
               bool complete) {
  std::FILE* to = r.format == report::Format::text || r.report ? stdout : stderr;
  if (plan.empty()) {
    fmt::print(to, "leakgate: no secrets found, nothing to purge; {} was not written\n",
               *r.purge_plan);
    return kClean;
  }
  if (Status s = plan.write(*r.purge_plan); !s) return fail(s.error());
  const char* wd = git_repository_workdir(repo);
  std::string dir = wd ? wd : git_repository_path(repo);
  if (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::error_code ec;
  std::string path = std::filesystem::absolute(*r.purge_plan, ec).string();
  fmt::print(to, "\n{}", plan.instructions({ec ? *r.purge_plan : path, dir, complete}));
  std::fflush(to);
  return kClean;
}

const char* mode_name(Command c) {
  switch (c) {
    case Command::staged: return "staged";
    case Command::history: return "history";
    case Command::commit_msg: return "commit-msg";
    case Command::pre_push: return "pre-push";
    default: return "scan";
  }
}

// A progress line on stderr, only for a person watching: stderr is a terminal and the user
// did not ask for quiet. Redrawn at most ten times a second; cleared when the scan ends.
std::function<void(const git::HistoryProgress&)> progress_line(const Request& r) {
  if (r.quiet || ::isatty(STDERR_FILENO) != 1) return {};
  auto start = std::chrono::steady_clock::now();
  auto last = start - std::chrono::seconds(1);
  return [start, last](const git::HistoryProgress& p) mutable {
    auto now = std::chrono::steady_clock::now();
    bool end = p.done >= p.total;
    if (now - last < std::chrono::milliseconds(100) && !end) return;
    last = now;
    double elapsed = std::chrono::duration<double>(now - start).count();
    std::string line;
    if (std::string_view(p.phase) == "scanning blobs") {
      double rate = elapsed > 0 ? double(p.done) / elapsed : 0;
      double eta = rate > 0 ? double(p.total - std::min(p.done, p.total)) / rate : 0;
      line = fmt::format("{}: {} of {} ({}/s), {:.0f}s elapsed, {:.0f}s left", p.phase,
                         format_size(p.done), format_size(p.total), format_size(std::size_t(rate)),
                         elapsed, eta);
    } else {
      line = fmt::format("{}: {} of {} objects, {:.0f}s elapsed", p.phase, p.done, p.total, elapsed);
    }
    fmt::print(stderr, "\r\033[K{}{}", line, end ? "\r\033[K" : "");
    std::fflush(stderr);
  };
}

git::HistoryOptions history_options(const Request& r, const config::Config& cfg,
                                    const engine::Matcher& matcher, std::size_t max_size,
                                    git_repository* repo) {
  git::HistoryOptions o;
  o.max_blob_size = max_size;
  o.all_objects = r.all_objects;
  o.include = r.include;
  o.exclude = r.exclude;
  o.since = r.since;
  o.progress = progress_line(r);
  if (r.cache) {
    o.cache_path = git::ScanCache::default_path(repo);
    o.cache_digest = config::ruleset_digest(matcher.rules(), cfg, LEAKGATE_VERSION);
  }
  return o;
}

// --timings: where the time went, one line on stderr.
void print_timings(const engine::ScanStats& stats, double seconds) {
  std::string line;
  for (const auto& [phase, ms] : stats.timings) {
    line += fmt::format("{}{} {:.2f}", line.empty() ? "" : ", ", phase, ms);
  }
  fmt::print(stderr, "leakgate timings (ms): {}; total {:.2f}\n", line, seconds * 1000);
}

int scan(const Request& r) {
  auto start = std::chrono::steady_clock::now();
  engine::ScanStats setup;
  engine::Laps laps(setup);
  std::optional<git::Library> lib;
  git::RepoPtr repo;
  if (r.command != Command::scan) {
    lib.emplace(/*verify_hashes=*/r.command != Command::history);
    laps.lap("libgit2 init");
    auto opened = git::open_repository(r.repo);
    if (!opened) return fail(opened.error());
    repo = std::move(*opened);
    laps.lap("open repository");
  }
  auto cfg = find_config(r, repo.get());
  if (!cfg) return fail(cfg.error());
  auto catalogue = config::effective_rules(*cfg);
  if (!catalogue) return fail(catalogue.error());
  // A user's own rules are compiled now, so that a bad pattern is reported before scanning.
  engine::Matcher matcher(std::move(catalogue->rules()));
  for (std::size_t i = 0; i < matcher.rules().size(); ++i) {
    if (matcher.rules()[i].origin.rfind("builtin:", 0) == 0) continue;
    if (Status s = matcher.compile(i); !s) return fail(s.error());
  }
  auto scanner = engine::Scanner::create(matcher, cfg->allow, cfg->ignores);
  if (!scanner) return fail(scanner.error());
  std::size_t max_size = r.max_file_size.value_or(cfg->max_file_size);
  std::optional<config::Baseline> baseline;
  std::size_t known = 0;
  if (r.baseline) {
    auto loaded = config::Baseline::load(*r.baseline);
    if (!loaded) return fail(loaded.error());
    baseline = std::move(*loaded);
  }

  FilePtr report_file;
  if (r.report) {
    auto file = create_private_file(*r.report);
    if (!file) return fail(file.error());
    report_file = std::move(*file);
  }
  laps.lap("configuration and rules");
  report::Summary summary;
  summary.stats.timings = std::move(setup.timings);
  report::PurgePlan plan;
  auto sink = report::make_sink(r.format, sink_options(r, mode_name(r.command), repo.get()),
                                report_file ? report_file.get() : stdout, stderr);
  auto emit = [&](engine::Finding&& f) {
    if (baseline && baseline->contains(f.fingerprint)) {
      ++known;
      return;
    }
    summary.add(f);
    if (r.purge_plan) plan.add(f);
    sink->finding(f);
  };
  Status status;
  switch (r.command) {
    case Command::staged:
      status = git::scan_staged(repo.get(), {max_size, r.paths}, *scanner, emit, summary.stats);
      break;
    case Command::commit_msg:
      status = input::scan_commit_message(r.paths.front(), *scanner, emit, summary.stats);
      break;
    case Command::pre_push: {
      auto updates = git::parse_push_updates(read_stdin());
      status = updates ? git::scan_push(repo.get(), *updates, {max_size}, *scanner, emit,
                                        summary.stats)
                       : Status(updates.error());
      break;
    }
    case Command::history:
      status = git::scan_history(repo.get(), history_options(r, *cfg, matcher, max_size, repo.get()),
                                 *scanner, emit, summary.stats);
      break;
    default:
      status = input::scan_paths(r.paths, {max_size}, *scanner, emit, summary.stats);
      break;
  }
  if (!status) summary.stats.errors.push_back(status.error().message);
  if (known > 0) {
    summary.stats.notes.push_back(fmt::format("{} known secret{} in {} not reported", known,
                                              known == 1 ? "" : "s", *r.baseline));
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  engine::Laps output(summary.stats);
  sink->finish(summary);
  output.lap("output");
  if (report_file) {
    Status closed = close_private_file(std::move(report_file), *r.report);
    if (!closed) return fail(closed.error());
  }
  if (r.purge_plan) {
    if (int rc = purge_plan(r, repo.get(), plan, summary.stats.errors.empty()); rc != kClean) {
      return rc;
    }
  }

  if (r.timings) {
    print_timings(summary.stats,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  bool hook_mode = r.command == Command::staged || r.command == Command::commit_msg ||
                   r.command == Command::pre_push;
  if (hook_mode && summary.findings > 0 && !r.quiet) print_blocked(r, summary);
  if (summary.findings > 0) return kFound;
  if (!summary.stats.errors.empty()) {
    if (r.quiet || r.format != report::Format::text) {
      fmt::print(stderr, "leakgate: the scan is incomplete: {}\n", summary.stats.errors.front());
    }
    return kError;
  }
  return kClean;
}

int rules_list(const Request& r) {
  auto cfg = find_config(r, nullptr);
  if (!cfg) return fail(cfg.error());
  auto catalogue = config::effective_rules(*cfg);
  if (!catalogue) return fail(catalogue.error());
  if (r.format == report::Format::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& rule : catalogue->rules()) {
      out.push_back({{"id", rule.id},
                     {"name", rule.name},
                     {"confidence", rules::to_string(rule.confidence)},
                     {"keywords", rule.keywords},
                     {"entropy", rule.entropy},
                     {"pattern", rule.pattern},
                     {"references", rule.references},
                     {"remediation", rule.remediation}});
    }
    fmt::print("{}\n", out.dump(2));
    return kClean;
  }
  for (const auto& rule : catalogue->rules()) {
    fmt::print("{:<40} {:<6} {}\n", rule.id, rules::to_string(rule.confidence), rule.name);
  }
  return kClean;
}

int rules_check(const Request& r) {
  std::vector<std::pair<std::string, Result<rules::Catalogue>>> sets;
  if (r.paths.empty()) {
    sets.emplace_back("built-in rules", rules::Catalogue::builtin());
  }
  for (const auto& path : r.paths) {
    auto cfg = config::load(path);
    if (!cfg) {
      sets.emplace_back(path, cfg.error());
    } else {
      sets.emplace_back(path, std::move(cfg->rules));
    }
  }
  int rc = kClean;
  for (auto& [name, catalogue] : sets) {
    if (!catalogue) {
      fmt::print(stderr, "{}\n", catalogue.error().message);
      rc = kFound;
      continue;
    }
    engine::LintOptions options;
    options.require_remediation = r.paths.empty();
    auto problems = engine::lint(*catalogue, options);
    for (const auto& p : problems) fmt::print(stderr, "{}\n", p);
    fmt::print("{}: {} rules, {} problems\n", name, catalogue->rules().size(), problems.size());
    if (!problems.empty()) rc = kFound;
  }
  return rc;
}

}  // namespace

int run(const Request& r) {
  switch (r.command) {
    case Command::version: fmt::print("leakgate {}\n", LEAKGATE_VERSION); return kClean;
    case Command::rules_list: return rules_list(r);
    case Command::rules_check: return rules_check(r);
    default: return scan(r);
  }
}

}  // namespace leakgate::cli
