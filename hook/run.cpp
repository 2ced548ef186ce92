// Builds the real objects (configuration, rules, matcher, scanner, sink) from a Request and
// runs the source it names.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "config/config.h"
#include "engine/lint.h"
#include "git/history.h"
#include "git/repo.h"
#include "git/staged.h"
#include "input/paths.h"

#ifndef LEAKGATE_VERSION
#define LEAKGATE_VERSION "0.0.0"
#endif

namespace leakgate::cli {
namespace {

constexpr const char* kConfigName = ".leakgate.toml";

int fail(const Error& e) {
  fmt::print(stderr, "leakgate: {}\n", e.message);
  return kError;
}

// The configuration: --config, else .leakgate.toml in the work tree (or in HEAD's tree for a
// bare repository), else in `dir` for scans outside git, else the defaults.
Result<config::Config> find_config(const Request& r, git_repository* repo) {
  if (r.config) return config::load(*r.config);
  if (repo) {
    if (const char* wd = git_repository_workdir(repo)) {
      std::string path = std::string(wd) + kConfigName;
      if (std::filesystem::exists(path)) return config::load(path);
      return config::Config{};
    }
    if (auto text = git::read_from_head(repo, kConfigName)) {
      return config::parse(*text, fmt::format("HEAD:{}", kConfigName));
    }
    return config::Config{};
  }
  if (std::filesystem::exists(kConfigName)) return config::load(kConfigName);
  return config::Config{};
}

report::Options sink_options(const Request& r, std::string mode) {
  report::Options o;
  o.show_secrets = r.show_secrets;
  o.quiet = r.quiet;
  o.mode = std::move(mode);
  bool tty = ::isatty(STDOUT_FILENO) == 1 && !std::getenv("NO_COLOR");
  o.color = r.color.value_or(tty) && r.format == report::Format::text;
  return o;
}

const char* mode_name(Command c) {
  switch (c) {
    case Command::staged: return "staged";
    case Command::history: return "history";
    default: return "scan";
  }
}

int scan(const Request& r) {
  auto start = std::chrono::steady_clock::now();
  std::optional<git::Library> lib;
  git::RepoPtr repo;
  if (r.command != Command::scan) {
    lib.emplace();
    auto opened = git::open_repository(r.repo);
    if (!opened) return fail(opened.error());
    repo = std::move(*opened);
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

  report::Summary summary;
  auto sink = report::make_sink(r.format, sink_options(r, mode_name(r.command)), stdout, stderr);
  auto emit = [&](engine::Finding&& f) {
    ++summary.findings;
    sink->finding(f);
  };
  Status status;
  switch (r.command) {
    case Command::staged:
      status = git::scan_staged(repo.get(), {max_size}, *scanner, emit, summary.stats);
      break;
    case Command::history:
      status = git::scan_history(repo.get(), {max_size, r.all_objects}, *scanner, emit,
                                 summary.stats);
      break;
    default:
      status = input::scan_paths(r.paths, {max_size}, *scanner, emit, summary.stats);
      break;
  }
  if (!status) summary.stats.errors.push_back(status.error().message);
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sink->finish(summary);

  if (r.command == Command::staged && summary.findings > 0 && !r.quiet) {
    fmt::print(stderr,
               "leakgate: commit blocked: {} secret{} in the staged changes.\n"
               "  Remove {} from the staged files (git restore --staged, or edit and git add),\n"
               "  and rotate any secret that was ever pushed. A false positive: add "
               "'leakgate:allow' on its line.\n"
               "  To skip this check once: git commit --no-verify\n",
               summary.findings, summary.findings == 1 ? "" : "s",
               summary.findings == 1 ? "it" : "them");
  }
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
