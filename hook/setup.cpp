#include "setup.h"

#include <filesystem>

namespace leakgate::cli {
namespace {

constexpr const char* kConfigName = ".leakgate.toml";

}  // namespace

Result<config::Config> find_config(const std::optional<std::string>& path, git_repository* repo) {
  if (path) return config::load(*path);
  if (repo) {
    if (const char* wd = git_repository_workdir(repo)) {
      std::string file = std::string(wd) + kConfigName;
      if (std::filesystem::exists(file)) return config::load(file);
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

std::string ignore_file_path(git_repository* repo) {
  if (!repo) return config::kIgnoreFileName;
  const char* wd = git_repository_workdir(repo);
  return wd ? std::string(wd) + config::kIgnoreFileName : std::string();
}

Result<config::IgnoreFile> find_ignore_file(git_repository* repo) {
  std::string path = ignore_file_path(repo);
  if (!path.empty()) return config::IgnoreFile::load(path);
  if (auto text = git::read_from_head(repo, config::kIgnoreFileName)) {
    return config::IgnoreFile::parse(*text, fmt::format("HEAD:{}", config::kIgnoreFileName));
  }
  return config::IgnoreFile{};
}

Result<std::unique_ptr<ScanEngine>> ScanEngine::open(const std::optional<std::string>& repo_path,
                                                     const std::optional<std::string>& config_path,
                                                     Options options) {
  auto e = std::make_unique<ScanEngine>();
  if (options.open_repo) {
    auto opened = git::open_repository(repo_path);
    if (!opened) return opened.error();
    e->repo = std::move(*opened);
  }
  auto cfg = find_config(config_path, e->repo.get());
  if (!cfg) return cfg.error();
  e->config = std::move(*cfg);
  if (options.use_ignore_file) {
    auto ignores = find_ignore_file(e->repo.get());
    if (!ignores) return ignores.error();
    for (auto& i : ignores->ignores()) e->config.ignores.push_back(std::move(i));
  }
  auto catalogue = config::effective_rules(e->config);
  if (!catalogue) return catalogue.error();
  e->matcher = std::make_unique<engine::Matcher>(std::move(catalogue->rules()));
  for (std::size_t i = 0; i < e->matcher->rules().size(); ++i) {
    if (e->matcher->rules()[i].origin.rfind("builtin:", 0) == 0) continue;
    if (Status s = e->matcher->compile(i); !s) return s.error();
  }
  auto scanner = engine::Scanner::create(*e->matcher, e->config.allow, e->config.ignores);
  if (!scanner) return scanner.error();
  e->scanner.emplace(std::move(*scanner));
  e->max_size = e->config.max_file_size;
  return e;
}

}  // namespace leakgate::cli
