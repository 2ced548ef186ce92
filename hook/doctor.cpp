// `leakgate doctor`: a short checklist of a repository's secret hygiene, with fixes.
#include "git/doctor.h"

#include <fmt/format.h>

#include <memory>

#include "cli.h"
#include "commands.h"
#include "setup.h"

namespace leakgate::cli {
namespace {

struct DoctorArgs {
  std::optional<std::string> repo, config;
};

int doctor(const DoctorArgs& a) {
  git::Library lib;
  auto engine = ScanEngine::open(a.repo, a.config, {});
  if (!engine) {
    fmt::print(stderr, "leakgate: {}\n", engine.error().message);
    return kError;
  }
  git_repository* repo = (*engine)->repo.get();
  auto checks = git::doctor(repo, *(*engine)->scanner, {(*engine)->max_size});
  if (!checks) {
    fmt::print(stderr, "leakgate: {}\n", checks.error().message);
    return kError;
  }
  const char* wd = git_repository_workdir(repo);
  fmt::print("leakgate doctor: {}\n", wd ? wd : git_repository_path(repo));
  std::size_t failing = 0;
  for (const auto& c : *checks) {
    fmt::print("  [{}] {}: {}\n", c.ok ? "ok" : "!!", c.name, c.detail);
    for (const auto& fix : c.fixes) fmt::print("       fix: {}\n", fix);
    if (!c.ok) ++failing;
  }
  if (failing == 0) {
    fmt::print("all {} checks pass\n", checks->size());
    return kClean;
  }
  fmt::print("{} of {} checks need fixing\n", failing, checks->size());
  return kFound;
}

}  // namespace

void add_doctor_command(CLI::App& app, Action& action) {
  auto a = std::make_shared<DoctorArgs>();
  CLI::App* cmd = app.add_subcommand(
      "doctor", "Check hooks, .gitignore, tracked secret files and history; print fixes");
  cmd->add_option("--repo", a->repo, "Repository (default: the current one)");
  cmd->add_option("--config", a->config, "Configuration file (default: .leakgate.toml)");
  cmd->callback([a, &action] { action = [a] { return doctor(*a); }; });
}

}  // namespace leakgate::cli
