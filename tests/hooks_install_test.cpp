// End-to-end: `leakgate install` and `leakgate uninstall` in every place git keeps hooks, and
// with a hook already there.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/findings.h"
#include "support/temp_repo.h"

using namespace leakgate::test;
namespace fs = std::filesystem;

namespace {

// `git rev-parse --git-path hooks`, absolute.
std::string git_hooks_dir(const TempRepo& repo, const std::string& cwd = "") {
  RunResult r = repo.git_result({"rev-parse", "--git-path", "hooks"}, {cwd, {}, ""});
  std::string p = r.out.substr(0, r.out.find('\n'));
  fs::path path =
      fs::path(p).is_absolute() ? fs::path(p) : fs::path(cwd.empty() ? repo.path() : cwd) / p;
  return fs::weakly_canonical(path).string();
}

std::string link_target(const std::string& p) {
  std::error_code ec;
  return fs::is_symlink(fs::symlink_status(p, ec)) ? fs::read_symlink(p).string() : "";
}

void write_hook(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
}

// The names in a directory, with a symlink's target or a file's bytes.
std::map<std::string, std::string> listing(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    std::string rel = fs::relative(e.path(), dir).string();
    out[rel] = e.is_symlink()        ? "-> " + fs::read_symlink(e.path()).string()
               : e.is_regular_file() ? slurp(e.path().string())
                                     : "dir";
  }
  return out;
}

const std::string kOldHook =
    "#!/bin/sh\necho ran >> \"$(git rev-parse --show-toplevel)/old-hook-ran\"\n";

}  // namespace

TEST_CASE("install links the binary as .git/hooks/pre-commit and says so") {
  TempRepo repo;
  RunResult r = repo.leakgate({"install"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  std::string hooks = git_hooks_dir(repo);
  CHECK(hooks == repo / ".git/hooks");
  CHECK(link_target(hooks + "/pre-commit") == leakgate_binary());
  CHECK(r.out == "leakgate: installed " + hooks + "/pre-commit -> " + leakgate_binary() + "\n");
  CHECK_FALSE(fs::exists(hooks + "/pre-push"));

  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "a.env"});
  CHECK(repo.git_result({"commit", "-m", "leak"}).exit_code == 1);
}

TEST_CASE("install --hook all links pre-commit, commit-msg and pre-push; twice changes nothing") {
  TempRepo repo;
  REQUIRE(repo.leakgate({"install", "--hook", "all"}).exit_code == 0);
  std::string hooks = git_hooks_dir(repo);
  for (const char* h : {"pre-commit", "commit-msg", "pre-push"}) {
    CHECK(link_target(hooks + "/" + h) == leakgate_binary());
  }
  RunResult again = repo.leakgate({"install", "--hook", "pre-push"});
  CHECK(again.exit_code == 0);
  CHECK(again.out ==
        "leakgate: already installed: " + hooks + "/pre-push -> " + leakgate_binary() + "\n");
}

TEST_CASE("install honours a relative and an absolute core.hooksPath") {
  TempRepo repo;
  repo.git({"config", "core.hooksPath", "tools/githooks"});
  RunResult r = repo.leakgate({"install"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(git_hooks_dir(repo) == repo / "tools/githooks");
  CHECK(link_target(repo / "tools/githooks/pre-commit") == leakgate_binary());
  CHECK_THAT(r.out, Catch::Contains("(core.hooksPath is tools/githooks; that is where git looks)"));
  CHECK_FALSE(fs::exists(repo / ".git/hooks/pre-commit"));

  TempDir shared;
  repo.git({"config", "core.hooksPath", shared.path()});
  REQUIRE(repo.leakgate({"install", "--hook", "commit-msg"}).exit_code == 0);
  CHECK(link_target(shared / "commit-msg") == leakgate_binary());

  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "a.env"});
  CHECK(repo.git_result({"commit", "-m", "msg " + kToken2}).exit_code == 1);
}

TEST_CASE("install from a linked worktree links into the hooks the worktrees share") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all("base");
  TempDir other;
  std::string wt = other / "wt";
  repo.git({"worktree", "add", "-q", "-b", "side", wt});

  RunResult r = repo.leakgate({"install"}, {wt, {}, ""});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(git_hooks_dir(repo, wt) == repo / ".git/hooks");
  CHECK(link_target(repo / ".git/hooks/pre-commit") == leakgate_binary());
}

TEST_CASE("install in a work tree whose .git is a file links into the real git directory") {
  TempDir dir;
  std::string gitdir = dir / "elsewhere.git";
  TempRepo repo({"--separate-git-dir", gitdir});
  REQUIRE(fs::is_regular_file(repo / ".git"));

  REQUIRE(repo.leakgate({"install"}).exit_code == 0);
  CHECK(git_hooks_dir(repo) == gitdir + "/hooks");
  CHECK(link_target(gitdir + "/hooks/pre-commit") == leakgate_binary());
  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "a.env"});
  CHECK(repo.git_result({"commit", "-m", "leak"}).exit_code == 1);
}

TEST_CASE("install refuses to overwrite a hook that is not leakgate's, and changes nothing") {
  TempRepo repo;
  std::string hook = repo / ".git/hooks/pre-commit";
  write_hook(hook, kOldHook);

  RunResult r = repo.leakgate({"install", "--hook", "all"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "leakgate: nothing was installed:\n  " + hook +
                     " exists and is not leakgate's (another program)\n"
                     "  --chain keeps a hook and runs it after leakgate; --force replaces it "
                     "(kept under " +
                     repo /
                         ".git/hooks/leakgate-backup/).\n"
                         "  With the pre-commit framework, add leakgate to .pre-commit-config.yaml "
                         "instead.\n");
  CHECK(slurp(hook) == kOldHook);
  CHECK_FALSE(fs::exists(repo / ".git/hooks/commit-msg"));
}

TEST_CASE("install refuses the pre-commit framework's hook and points to its config") {
  TempRepo repo;
  write_hook(repo / ".git/hooks/pre-commit",
             "#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\n");
  RunResult r = repo.leakgate({"install"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err,
             Catch::Contains("exists and is not leakgate's (the pre-commit framework's hook)"));
  CHECK_THAT(r.err, Catch::Contains("add leakgate to .pre-commit-config.yaml"));
}

TEST_CASE("install --chain keeps the old hook and runs it after leakgate") {
  TempRepo repo;
  std::string hooks = repo / ".git/hooks";
  write_hook(hooks + "/pre-commit", kOldHook);

  RunResult r = repo.leakgate({"install", "--chain"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "leakgate: chained " + hooks +
                     "/pre-commit: runs leakgate, then the previous hook (kept as " + hooks +
                     "/leakgate-chained/pre-commit)\n");
  CHECK(slurp(hooks + "/leakgate-chained/pre-commit") == kOldHook);

  repo.write("a.txt", "a\n");
  repo.git({"add", "a.txt"});
  RunResult ok = repo.git_result({"commit", "-q", "-m", "clean"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(repo.read("old-hook-ran") == "ran\n");

  repo.write("b.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "b.env"});
  RunResult blocked = repo.git_result({"commit", "-m", "leak"});
  CHECK(blocked.exit_code == 1);
  CHECK_THAT(blocked.err, Catch::Contains("b.env:1:7: clickup-personal-token"));
  CHECK(repo.read("old-hook-ran") == "ran\n");  // leakgate failed first
}

TEST_CASE("a chained pre-push hook gets git's input too, and its failure stops the push") {
  TempRepo repo;
  TempDir dir;
  repo.git({"init", "-q", "--bare", dir / "remote.git"});
  repo.git({"remote", "add", "origin", dir / "remote.git"});
  repo.write("a.txt", "a\n");
  std::string head = repo.commit_all("a");
  std::string seen = dir / "seen";
  write_hook(repo / ".git/hooks/pre-push", "#!/bin/sh\ncat > '" + seen + "'\nexit 3\n");
  REQUIRE(repo.leakgate({"install", "--hook", "pre-push", "--chain"}).exit_code == 0);

  RunResult r = repo.git_result({"push", "origin", "main"});
  CHECK(r.exit_code != 0);
  CHECK(slurp(seen) ==
        "refs/heads/main " + head + " refs/heads/main " + std::string(40, '0') + "\n");
  CHECK(repo.git({"--git-dir", dir / "remote.git", "rev-parse", "-q", "--verify", "main"}, true)
            .empty());
}

TEST_CASE("install --force replaces a hook, keeps it, and uninstall puts it back") {
  TempRepo repo;
  std::string hooks = repo / ".git/hooks";
  write_hook(hooks + "/pre-commit", kOldHook);
  auto before = listing(hooks);

  RunResult r = repo.leakgate({"install", "--force"});
  REQUIRE(r.exit_code == 0);
  CHECK(link_target(hooks + "/pre-commit") == leakgate_binary());
  CHECK(slurp(hooks + "/leakgate-backup/pre-commit") == kOldHook);

  RunResult u = repo.leakgate({"uninstall"});
  CHECK(u.exit_code == 0);
  CHECK(u.out == "leakgate: removed " + hooks + "/pre-commit; put the previous hook back\n");
  CHECK(listing(hooks) == before);
}

TEST_CASE("uninstall removes exactly what install made and leaves other hooks alone") {
  TempRepo repo;
  std::string hooks = repo / ".git/hooks";
  write_hook(hooks + "/pre-commit", kOldHook);
  write_hook(hooks + "/post-commit", "#!/bin/sh\n");
  auto before = listing(hooks);
  REQUIRE(repo.leakgate({"install", "--hook", "all", "--chain"}).exit_code == 0);
  CHECK(listing(hooks) != before);

  RunResult u = repo.leakgate({"uninstall"});
  INFO(u.err);
  CHECK(u.exit_code == 0);
  CHECK(u.out == "leakgate: removed " + hooks +
                     "/pre-commit; put the previous hook back\n"
                     "leakgate: removed " +
                     hooks +
                     "/commit-msg\n"
                     "leakgate: removed " +
                     hooks + "/pre-push\n");
  CHECK(listing(hooks) == before);

  RunResult again = repo.leakgate({"uninstall"});
  CHECK(again.out ==
        "leakgate: left " + hooks + "/pre-commit alone: it is another program, not leakgate\n");
  CHECK(listing(hooks) == before);
}
