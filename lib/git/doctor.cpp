#include "git/doctor.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "base/text.h"
#include "git/history.h"
#include "git/hooks.h"

namespace leakgate::git {
namespace {

namespace fs = std::filesystem;

// What must never be committed, and a file name each pattern covers (to ask git's ignore rules).
struct Sensitive {
  const char* pattern;
  const char* probe;
};
constexpr std::array<Sensitive, 4> kSensitive = {{
    {".env", ".env"},
    {".env.local", ".env.local"},
    {".env.*.local", ".env.production.local"},
    {"*.pem", "leakgate-doctor-probe.pem"},
}};

bool sensitive_name(std::string_view path) {
  std::size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (const Sensitive& s : kSensitive) {
    if (glob_match(s.pattern, name)) return true;
  }
  return false;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

DoctorCheck hooks_path_check(const HooksDir& dir) {
  DoctorCheck c{"core.hooksPath", true, "", {}};
  std::error_code ec;
  if (dir.configured.empty()) {
    c.detail = fmt::format("not set; hooks live in {}", dir.path);
  } else if (fs::is_directory(dir.path, ec)) {
    c.detail = fmt::format("{} (exists)", dir.configured);
  } else {
    c.ok = false;
    c.detail = fmt::format("{} does not exist: git runs no hooks at all", dir.configured);
    c.fixes = {"git config --unset core.hooksPath   (back to .git/hooks)",
               fmt::format("or: mkdir -p '{}' && leakgate install", dir.path)};
  }
  return c;
}

bool framework_runs_leakgate(git_repository* repo) {
  const char* wd = git_repository_workdir(repo);
  if (!wd) return false;
  std::string config = read_text(fs::path(wd) / ".pre-commit-config.yaml");
  return config.find("id: leakgate") != std::string::npos;
}

DoctorCheck hook_check(git_repository* repo, const HooksDir& dir) {
  DoctorCheck c{"pre-commit hook", false, "", {}};
  HookState s = inspect_hook(dir.path, "pre-commit");
  std::vector<std::string> others;
  for (std::string_view name : {"commit-msg", "pre-push"}) {
    HookState o = inspect_hook(dir.path, name);
    bool ours = o.kind == HookKind::leakgate_link || o.kind == HookKind::leakgate_chain;
    others.push_back(fmt::format("{} {}", name, ours ? "installed" : "not installed"));
  }
  std::string also = fmt::format(" ({}, {})", others[0], others[1]);
  const std::vector<std::string> install = {
      "leakgate install   (or add the leakgate hook to .pre-commit-config.yaml)"};
  switch (s.kind) {
    case HookKind::none:
      c.detail = "none: nothing checks commits for secrets" + also;
      c.fixes = install;
      return c;
    case HookKind::leakgate_link:
      if (s.dangling) {
        c.detail = fmt::format("links to {}, which does not exist", s.target);
        c.fixes = {"leakgate install   (links the leakgate you run)"};
        return c;
      }
      c.detail = fmt::format("leakgate (symlink to {}){}", s.target, also);
      break;
    case HookKind::leakgate_chain:
      c.detail = "leakgate, chained with the previous hook" + also;
      break;
    case HookKind::framework:
      if (!framework_runs_leakgate(repo)) {
        c.detail = "the pre-commit framework, but .pre-commit-config.yaml has no leakgate hook";
        c.fixes = {"add the leakgate hook to .pre-commit-config.yaml (see docs/hooks.md)"};
        return c;
      }
      c.detail = "leakgate, through the pre-commit framework" + also;
      break;
    default:
      c.detail = fmt::format("{} does not run leakgate", s.path);
      c.fixes = {"leakgate install --chain   (keeps that hook and runs it after leakgate)"};
      return c;
  }
  if (!s.executable) {
    c.detail = fmt::format("{} is not executable: git skips it", s.path);
    c.fixes = {fmt::format("chmod +x '{}'", s.path)};
    return c;
  }
  c.ok = true;
  return c;
}

Result<DoctorCheck> gitignore_check(git_repository* repo) {
  DoctorCheck c{".gitignore", true, "", {}};
  if (git_repository_is_bare(repo)) {
    c.detail = "a bare repository: no work tree to protect";
    return c;
  }
  std::vector<std::string> missing;
  for (const Sensitive& s : kSensitive) {
    int ignored = 0;
    if (git_ignore_path_is_ignored(&ignored, repo, s.probe) < 0) {
      return last_error("cannot read the ignore rules");
    }
    if (!ignored) missing.push_back(s.pattern);
  }
  if (missing.empty()) {
    c.detail = "covers .env, .env.local, .env.*.local and *.pem";
    return c;
  }
  c.ok = false;
  std::string list;
  for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
  c.detail = fmt::format("does not cover {}", list);
  std::string lines;
  for (const auto& m : missing) lines += fmt::format(" '{}'", m);
  c.fixes = {fmt::format("printf '%s\\n'{} >> .gitignore", lines)};
  return c;
}

Result<DoctorCheck> tracked_check(git_repository* repo) {
  DoctorCheck c{"tracked secrets files", true, "", {}};
  std::vector<std::string> found;
  if (git_repository_is_bare(repo)) {
    c.detail = "a bare repository: no index";
    return c;
  }
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) < 0) return last_error("cannot read the index");
  IndexPtr index(raw);
  for (std::size_t i = 0; i < git_index_entrycount(index.get()); ++i) {
    const git_index_entry* e = git_index_get_byindex(index.get(), i);
    if (git_index_entry_stage(e) == 0 && sensitive_name(e->path)) found.push_back(e->path);
  }
  if (found.empty()) {
    c.detail = "no .env, .env.local, .env.*.local or *.pem file is tracked";
    return c;
  }
  c.ok = false;
  std::string list;
  constexpr std::size_t kListed = 5;
  for (std::size_t i = 0; i < found.size() && i < kListed; ++i) {
    list += (i ? ", " : "") + found[i];
  }
  if (found.size() > kListed) list += fmt::format(" and {} more", found.size() - kListed);
  c.detail = fmt::format("{} tracked: {}", found.size() == 1 ? "one file is" : "files are", list);
  c.fixes = {
      fmt::format("git rm --cached -- '{}'   (keeps your copy; rotate what it holds, "
                  "history still has it)",
                  found.front())};
  return c;
}

Result<DoctorCheck> history_check(git_repository* repo, const engine::Scanner& scanner,
                                  const DoctorOptions& options) {
  DoctorCheck c{"history", true, "", {}};
  engine::ScanStats stats;
  std::size_t findings = 0;
  std::set<std::string> commits;
  HistoryOptions sweep;
  sweep.max_blob_size = options.max_blob_size;
  LEAKGATE_TRY(scan_history(
      repo, sweep, scanner,
      [&](engine::Finding&& f) {
        ++findings;
        commits.insert(f.origin.commit);
      },
      stats));
  if (findings == 0) {
    c.detail =
        fmt::format("no secrets in {} commit{}", stats.commits, stats.commits == 1 ? "" : "s");
    if (!stats.errors.empty()) {
      c.ok = false;
      c.detail += fmt::format(", but {} objects could not be read", stats.errors.size());
      c.fixes = {"leakgate history   (names what could not be read)"};
    }
    return c;
  }
  c.ok = false;
  c.detail = fmt::format("{} secret{} in {} commit{}", findings, findings == 1 ? "" : "s",
                         commits.size(), commits.size() == 1 ? "" : "s");
  c.fixes = {"leakgate history   (shows each one); rotate every secret it lists",
             "then: leakgate ignore FINGERPRINT, or leakgate baseline create FILE"};
  return c;
}

}  // namespace

Result<std::vector<DoctorCheck>> doctor(git_repository* repo, const engine::Scanner& scanner,
                                        const DoctorOptions& options) {
  auto dir = hooks_dir(repo);
  if (!dir) return dir.error();
  std::vector<DoctorCheck> checks;
  checks.push_back(hooks_path_check(*dir));
  checks.push_back(hook_check(repo, *dir));
  auto ignored = gitignore_check(repo);
  if (!ignored) return ignored.error();
  checks.push_back(std::move(*ignored));
  auto tracked = tracked_check(repo);
  if (!tracked) return tracked.error();
  checks.push_back(std::move(*tracked));
  auto history = history_check(repo, scanner, options);
  if (!history) return history.error();
  checks.push_back(std::move(*history));
  return checks;
}

}  // namespace leakgate::git
