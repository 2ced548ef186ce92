// End-to-end with the real pre-commit framework: leakgate's .pre-commit-hooks.yaml, installed
// with `pre-commit install` and no leakgate binary anywhere (the hook builds one from the
// hook's clone on first use and caches it there), tried with `pre-commit try-repo`, and run
// with `pre-commit run --all-files`. The hook repository is this source tree's files, tracked
// and untracked, committed into a temporary repository. Slow: it builds leakgate once.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/findings.h"
#include "support/temp_repo.h"

using namespace leakgate::test;
namespace fs = std::filesystem;

namespace {

// This source tree as a hook repository: every file git would not ignore, committed.
void copy_sources(const TempRepo& to) {
  RunResult files =
      run({"git", "-C", LEAKGATE_SOURCE_DIR, "ls-files", "-z", "-co", "--exclude-standard"},
          {"", {{"GIT_DIR", ""}, {"GIT_WORK_TREE", ""}, {"GIT_INDEX_FILE", ""}}, ""});
  REQUIRE(files.exit_code == 0);
  std::size_t pos = 0;
  while (pos < files.out.size()) {
    std::size_t end = files.out.find('\0', pos);
    std::string rel = files.out.substr(pos, end - pos);
    pos = end + 1;
    fs::path from = fs::path(LEAKGATE_SOURCE_DIR) / rel;
    if (!fs::is_regular_file(fs::symlink_status(from))) continue;  // deleted, or a link
    fs::create_directories((fs::path(to.path()) / rel).parent_path());
    fs::copy_file(from, fs::path(to.path()) / rel, fs::copy_options::overwrite_existing);
  }
  to.commit_all("leakgate");
}

std::string find_cached_binary(const std::string& pre_commit_home) {
  for (const auto& e : fs::directory_iterator(pre_commit_home)) {
    fs::path bin = e.path() / ".cache/pre-commit-hook/leakgate";
    if (fs::exists(bin)) return bin.string();
  }
  return "";
}

}  // namespace

TEST_CASE("the pre-commit framework builds the hook on first use and blocks staged tokens") {
  TempRepo source;
  copy_sources(source);
  TempDir home;
  std::map<std::string, std::string> env = {{"PRE_COMMIT_HOME", home / "pre-commit"},
                                            {"LEAKGATE_BUILD_JOBS", "2"},
                                            {"PRE_COMMIT_COLOR", "never"}};
  RunOptions in_user{"", env, ""};

  TempRepo user;
  user.write(".pre-commit-config.yaml", "repos:\n- repo: " + source.path() +
                                            "\n  rev: " + source.head() +
                                            "\n  hooks:\n  - id: leakgate\n"
                                            "  - id: leakgate-commit-msg\n");
  user.write("README.md", "# app\n");
  user.commit_all("start");
  REQUIRE(run({"pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "commit-msg"},
              {user.path(), env, ""})
              .exit_code == 0);

  // First use: no binary anywhere; the hook builds one inside its clone.
  user.write("deploy.env", "TOKEN=" + kToken1 + "\n");
  user.git({"add", "deploy.env"});
  std::string before = user.head();
  RunResult first = user.git_result({"commit", "-m", "deploy"}, in_user);
  INFO(first.out << first.err);
  CHECK(first.exit_code == 1);
  CHECK(user.head() == before);
  CHECK_THAT(first.out + first.err, Catch::Contains("building leakgate from"));
  CHECK_THAT(first.out + first.err,
             Catch::Contains("deploy.env:1:7: clickup-personal-token: " + kToken1Redacted));
  std::string cached = find_cached_binary(home / "pre-commit");
  REQUIRE_FALSE(cached.empty());

  // Later runs reuse the cached binary.
  user.write("deploy.env", "TOKEN=${CLICKUP_TOKEN}\n");
  user.git({"add", "deploy.env"});
  RunResult clean = user.git_result({"commit", "-q", "-m", "deploy"}, in_user);
  INFO(clean.out << clean.err);
  CHECK(clean.exit_code == 0);
  CHECK((clean.out + clean.err).find("building") == std::string::npos);

  // The commit-msg hook.
  user.write("b.txt", "b\n");
  user.git({"add", "b.txt"});
  RunResult msg = user.git_result({"commit", "-m", "token " + kToken2}, in_user);
  CHECK(msg.exit_code == 1);
  CHECK_THAT(msg.out + msg.err, Catch::Contains("commit blocked: 1 secret in the commit message"));

  // SKIP=leakgate is the framework's own escape hatch.
  RunOptions skip = in_user;
  skip.env["SKIP"] = "leakgate,leakgate-commit-msg";
  RunResult skipped = user.git_result({"commit", "-q", "-m", "token " + kToken2}, skip);
  INFO(skipped.out << skipped.err);
  CHECK(skipped.exit_code == 0);

  // --all-files checks the staged content of every tracked file, not nothing.
  user.write("old.env", "TOKEN=" + kToken3 + "\n");
  user.git({"add", "old.env"});
  user.git({"commit", "-q", "--no-verify", "-m", "past the hook"});
  RunResult nothing_staged = run({"pre-commit", "run", "leakgate"}, {user.path(), env, ""});
  CHECK(nothing_staged.exit_code == 0);
  RunResult all = run({"pre-commit", "run", "leakgate", "--all-files"}, {user.path(), env, ""});
  CHECK(all.exit_code == 1);
  CHECK_THAT(all.out + all.err, Catch::Contains("old.env:1:7: clickup-personal-token"));

  // try-repo, with the build cached above (try-repo clones into a new temporary store).
  TempRepo tried;
  tried.write("a.env", "TOKEN=" + kToken4 + "\n");
  tried.git({"add", "a.env"});
  std::map<std::string, std::string> try_env = env;
  try_env["LEAKGATE_HOOK_CACHE"] = fs::path(cached).parent_path().string();
  RunResult blocked =
      run({"pre-commit", "try-repo", source.path(), "leakgate"}, {tried.path(), try_env, ""});
  INFO(blocked.out << blocked.err);
  CHECK(blocked.exit_code == 1);
  CHECK_THAT(blocked.out, Catch::Contains("a.env:1:7: clickup-personal-token"));
  CHECK(blocked.out.find("building") == std::string::npos);
  tried.write("a.env", "TOKEN=none\n");
  tried.git({"add", "a.env"});
  RunResult passed =
      run({"pre-commit", "try-repo", source.path(), "leakgate"}, {tried.path(), try_env, ""});
  INFO(passed.out << passed.err);
  CHECK(passed.exit_code == 0);
  CHECK_THAT(passed.out, Catch::Contains("Passed"));

  // leakgate-system runs the leakgate on PATH.
  tried.write("a.env", "TOKEN=" + kToken4 + "\n");
  tried.git({"add", "a.env"});
  std::map<std::string, std::string> path_env = env;
  path_env["PATH"] = fs::path(leakgate_binary()).parent_path().string() + ":" + std::getenv("PATH");
  RunResult system = run({"pre-commit", "try-repo", source.path(), "leakgate-system"},
                         {tried.path(), path_env, ""});
  INFO(system.out << system.err);
  CHECK(system.exit_code == 1);
  CHECK_THAT(system.out, Catch::Contains("a.env:1:7: clickup-personal-token"));

  // A change to the hook's sources is rebuilt before the next run (a failing run shows it).
  fs::path clone = fs::path(cached).parent_path().parent_path().parent_path();
  std::string stamp = slurp((fs::path(cached).parent_path() / "sources.sha256").string());
  std::ofstream(clone / "hook/main.cpp", std::ios::app) << "// changed\n";
  user.write("c.env", "TOKEN=" + kToken5 + "\n");
  user.git({"add", "c.env"});
  RunResult rebuilt = user.git_result({"commit", "-q", "-m", "after a change"}, in_user);
  INFO(rebuilt.out << rebuilt.err);
  CHECK(rebuilt.exit_code == 1);
  CHECK_THAT(rebuilt.out + rebuilt.err, Catch::Contains("building leakgate from"));
  CHECK_THAT(rebuilt.out + rebuilt.err, Catch::Contains("c.env:1:7: clickup-personal-token"));
  CHECK(slurp((fs::path(cached).parent_path() / "sources.sha256").string()) != stamp);
}
