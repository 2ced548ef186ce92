// leakgate: the command line. Parses argv (or acts as a git hook when invoked under a hook's
// name), then hands a Request to cli::run. No scanning logic lives here.
#include <cstdio>
#include <exception>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "base/text.h"
#include "cli.h"
#include "commands.h"

namespace {

using leakgate::cli::Command;
using leakgate::cli::Request;

std::string_view basename(std::string_view argv0) {
  std::size_t slash = argv0.rfind('/');
  return slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
}

void add_output_flags(CLI::App* app, Request& r, std::string& format) {
  app->add_flag("--timings", r.timings, "Print where the time went (milliseconds), on stderr");
  std::vector<std::string> formats(std::begin(leakgate::report::kFormatNames),
                                   std::end(leakgate::report::kFormatNames));
  app->add_option("--format", format, "Output format: text, json, jsonl, sarif, csv or junit")
      ->check(CLI::IsMember(formats));
  app->add_option("--report", r.report,
                  "Write the report to FILE (mode 0600, never through a symlink); the summary "
                  "still goes to stderr");
  CLI::Option* show =
      app->add_flag("--show-secrets", r.show_secrets, "Print secrets in full (default: redacted)");
  app->add_flag_callback(
         "--redact", [] {}, "Redact secrets in every format, the line snippets too (the default)")
      ->excludes(show);
  app->add_flag("-q,--quiet", r.quiet, "Print findings only, no summary");
  app->add_option("--config", r.config, "Configuration file (default: .leakgate.toml)");
  app->add_flag_function(
      "--color{true},--no-color{false}", [&r](std::int64_t n) { r.color = n > 0; },
      "Force colour on or off (default: when stdout is a terminal)");
}

void add_size_flag(CLI::App* app, Request& r, const char* name, const char* help) {
  app->add_option_function<std::string>(
      name,
      [&r, name](const std::string& text) {
        std::size_t n = 0;
        if (!leakgate::parse_size(text, n)) {
          throw CLI::ValidationError(name, "expects a size such as 64MB, 512k or 1000000");
        }
        r.max_file_size = n;
      },
      help);
}

int parse_and_run(int argc, char** argv) {
  Request r;
  std::string_view self = basename(argv[0]);
  if (leakgate::cli::is_hook_name(self)) {
    return leakgate::cli::run_hook(self, std::vector<std::string>(argv + 1, argv + argc));
  }

  CLI::App app{"leakgate: stops secrets before they are committed, and finds the ones that were."};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every command");
  std::string format = "text";

  CLI::App* staged = app.add_subcommand("staged", "Scan what is staged for the next commit");
  staged->add_option("--repo", r.repo, "Repository (default: $GIT_DIR or the current one)");
  staged->add_option("paths", r.paths,
                     "Only these paths; one without a staged change is checked whole, as staged");
  add_output_flags(staged, r, format);
  add_size_flag(staged, r, "--max-file-size", "Skip larger files (default 64MB)");

  CLI::App* commit_msg = app.add_subcommand("commit-msg", "Scan a commit message file");
  commit_msg->add_option("file", r.paths, "The message file git names")->required();
  add_output_flags(commit_msg, r, format);

  CLI::App* pre_push = app.add_subcommand(
      "pre-push", "Scan the commits a push sends (git's pre-push lines on standard input)");
  pre_push->add_option("--repo", r.repo, "Repository (default: $GIT_DIR or the current one)");
  pre_push->allow_extras();  // git's remote name and URL
  add_output_flags(pre_push, r, format);
  add_size_flag(pre_push, r, "--max-file-size", "Skip larger files (default 64MB)");

  CLI::App* history = app.add_subcommand("history", "Sweep everything history can reach");
  history->add_option("--repo", r.repo, "Repository (default: the current one)");
  history->add_flag("--all-objects", r.all_objects, "Also scan objects no ref reaches");
  history->add_option("--purge-plan", r.purge_plan,
                      "Write a git filter-repo --replace-text file for every secret found, and "
                      "print how to use it");
  add_output_flags(history, r, format);
  add_size_flag(history, r, "--max-blob-size", "Skip larger blobs (default 64MB)");
  history->add_option("--branch", r.include, "Sweep only the history of this ref (repeatable)");
  history->add_option_function<std::string>(
      "--since",
      [&r](const std::string& text) {
        auto t = leakgate::parse_date(text);
        if (!t) throw CLI::ValidationError("--since", "expects a date: 2024-01-31, 2024-01-31T12:00:00Z or @1706700000");
        r.since = *t;
      },
      "Skip blobs introduced by commits older than this date");
  history->add_flag("--cache", r.cache,
                    "Remember blobs found clean (in the git directory) and skip them next time");
  history->add_option_function<std::string>(
      "range",
      [&r](const std::string& range) {
        std::size_t dots = range.find("..");
        if (dots == std::string::npos) {
          r.include.push_back(range);
          return;
        }
        if (range.find("...") != std::string::npos) {
          throw CLI::ValidationError("range", "A...B is not supported; use A..B");
        }
        std::string a = range.substr(0, dots), b = range.substr(dots + 2);
        r.exclude.push_back(a.empty() ? "HEAD" : a);
        r.include.push_back(b.empty() ? "HEAD" : b);
      },
      "A revision range A..B: only what B brings that A does not have");

  CLI::App* scan = app.add_subcommand("scan", "Scan files, directories, or - for standard input");
  scan->add_option("paths", r.paths, "Files and directories; - reads standard input")->required();
  add_output_flags(scan, r, format);
  add_size_flag(scan, r, "--max-file-size", "Skip larger files (default 64MB)");

  CLI::App* rules = app.add_subcommand("rules", "List or check rules");
  rules->require_subcommand(1);
  CLI::App* list = rules->add_subcommand("list", "List the rules in force");
  list->add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
  list->add_option("--config", r.config, "Configuration file (default: .leakgate.toml)");
  CLI::App* check = rules->add_subcommand("check", "Check rule files (default: the built-in rules)");
  check->add_option("files", r.paths, "Rule files (TOML with [[rules]])");

  for (CLI::App* cmd : {staged, history, scan, commit_msg, pre_push}) {
    cmd->add_option("--baseline", r.baseline, "Report only secrets not in this baseline file");
  }
  leakgate::cli::Action action;
  leakgate::cli::add_install_commands(app, action);
  leakgate::cli::add_ignore_command(app, action);
  leakgate::cli::add_baseline_command(app, action);
  leakgate::cli::add_doctor_command(app, action);
  leakgate::cli::add_hook_command(app, action);
  app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "leakgate: {}\n", e.what());
    return leakgate::cli::kError;
  }

  if (action) return action();
  if (staged->parsed()) r.command = Command::staged;
  if (commit_msg->parsed()) r.command = Command::commit_msg;
  if (pre_push->parsed()) r.command = Command::pre_push;
  if (history->parsed()) r.command = Command::history;
  if (scan->parsed()) r.command = Command::scan;
  if (list->parsed()) r.command = Command::rules_list;
  if (check->parsed()) r.command = Command::rules_check;
  if (app.got_subcommand("version")) r.command = Command::version;
  r.format = *leakgate::report::parse_format(format);
  return leakgate::cli::run(r);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return parse_and_run(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "leakgate: internal error: {}\n", e.what());
    return leakgate::cli::kError;
  }
}
