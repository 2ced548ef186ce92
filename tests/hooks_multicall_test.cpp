// End-to-end: one binary, three hooks. Under the name pre-commit it checks what is staged, as
// commit-msg the message, as pre-push only the commits a push sends; each is run here by real
// git through the symlinks `leakgate install` makes.
#include <catch2/catch.hpp>

#include "support/findings.h"
#include "support/temp_repo.h"

using namespace leakgate::test;

namespace {

const std::string kZero(40, '0');

void install(const TempRepo& repo, const std::string& hook) {
  RunResult r = repo.leakgate({"install", "--hook", hook});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// A repository with a bare remote `origin` that holds main's first commit.
struct Pushing {
  TempDir dir;
  std::string remote = dir / "remote.git";
  TempRepo repo;
  Pushing() {
    repo.git({"init", "-q", "--bare", remote});
    repo.git({"remote", "add", "origin", remote});
    repo.write("README.md", "# app\n");
    repo.commit_all("start");
    repo.git({"push", "-q", "origin", "main"});
    install(repo, "pre-push");
  }
  std::string remote_head(const std::string& branch) const {
    return repo.git({"--git-dir", remote, "rev-parse", "-q", "--verify", branch}, true);
  }
};

RunResult pre_push_json(const TempRepo& repo, const std::string& lines) {
  return repo.leakgate({"pre-push", "--format", "json", "origin", "url"}, {"", {}, lines});
}

}  // namespace

TEST_CASE("commit-msg blocks a token pasted into the commit message") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all("start");
  install(repo, "commit-msg");
  std::string before = repo.head();
  repo.write("a.txt", "b\n");
  repo.git({"add", "a.txt"});

  RunResult r = repo.git_result({"commit", "-m", "use token " + kToken1 + " for now"});

  CHECK(r.exit_code == 1);
  CHECK(repo.head() == before);
  CHECK_THAT(r.err, Catch::Contains(".git/COMMIT_EDITMSG:1:11: clickup-personal-token: " +
                                    kToken1Redacted));
  CHECK_THAT(r.err, Catch::Contains("commit blocked: 1 secret in the commit message"));
  CHECK((r.out + r.err).find(kToken1) == std::string::npos);

  RunResult ok = repo.git_result({"commit", "-q", "-m", "a clean message"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
}

TEST_CASE("commit-msg leaves out what git cuts at the scissors line (git commit -v's diff)") {
  TempRepo repo;
  repo.write("msg",
             "subject\n\n# ------------------------ >8 ------------------------\n"
             "diff --git a/x b/x\n+TOKEN=" +
                 kToken1 + "\n");
  CHECK(repo.leakgate({"commit-msg", "msg"}).exit_code == 0);
  repo.write("msg",
             "subject " + kToken2 + "\n# ------------------------ >8 ------------------------\n");
  RunResult r = repo.leakgate({"commit-msg", "--format", "json", "msg"});
  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "msg");
  CHECK(found[0]["secret"] == kToken2Redacted);
}

TEST_CASE("pre-push passes a clean push and blocks one whose new commit holds a token") {
  Pushing p;
  p.repo.write("b.txt", "b\n");
  std::string clean = p.repo.commit_all("clean");
  RunResult ok = p.repo.git_result({"push", "-q", "origin", "main"});
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(p.remote_head("main") == clean);

  p.repo.write("deploy.env", "TOKEN=" + kToken1 + "\n");
  std::string leak = p.repo.commit_all("deploy");
  RunResult blocked = p.repo.git_result({"push", "origin", "main"});
  CHECK(blocked.exit_code != 0);
  CHECK(p.remote_head("main") == clean);
  CHECK_THAT(blocked.out + blocked.err,
             Catch::Contains("deploy.env:1:7: clickup-personal-token: " + kToken1Redacted +
                             " (commit " + leak.substr(0, 12)));
  CHECK_THAT(blocked.err, Catch::Contains("push blocked: 1 secret in the commits being pushed"));
}

TEST_CASE("pre-push scans only the commits the remote does not have") {
  Pushing p;
  p.repo.write("old.env", "TOKEN=" + kToken1 + "\n");
  p.repo.commit_all("pushed past the hook");
  REQUIRE(p.repo.git_result({"push", "-q", "--no-verify", "origin", "main"}).exit_code == 0);
  p.repo.write("c.txt", "c\n");
  std::string next = p.repo.commit_all("clean");

  RunResult direct = pre_push_json(
      p.repo, "refs/heads/main " + next + " refs/heads/main " + p.remote_head("main") + "\n");
  CHECK(direct.exit_code == 0);
  auto j = report(direct);
  CHECK(j["summary"]["files"] == 1);
  CHECK(j["summary"]["notes"] ==
        nlohmann::json::array({"1 commit that the remote does not have checked"}));
  RunResult r = p.repo.git_result({"push", "-q", "origin", "main"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("pre-push on a new branch checks only the commits no remote-tracking ref has") {
  Pushing p;
  p.repo.git({"fetch", "-q", "origin"});
  p.repo.git({"switch", "-q", "-c", "feature"});
  p.repo.write("f.env", "TOKEN=" + kToken2 + "\n");
  std::string leak = p.repo.commit_all("feature");

  RunResult direct =
      pre_push_json(p.repo, "refs/heads/feature " + leak + " refs/heads/feature " + kZero + "\n");
  CHECK(direct.exit_code == 1);
  auto j = report(direct);
  auto found = findings_of(j);
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == leak);
  CHECK(found[0]["path"] == "f.env");
  CHECK(j["summary"]["notes"] ==
        nlohmann::json::array({"1 commit that the remote does not have checked"}));
  CHECK(p.repo.git_result({"push", "origin", "feature"}).exit_code != 0);
  CHECK(p.remote_head("feature").empty());
}

TEST_CASE("pre-push checks a force push's replacement commits") {
  Pushing p;
  p.repo.write("a.txt", "a\n");
  std::string old = p.repo.commit_all("a");
  REQUIRE(p.repo.git_result({"push", "-q", "origin", "main"}).exit_code == 0);
  p.repo.write("a.txt", "a\nTOKEN=" + kToken3 + "\n");
  p.repo.git({"add", "a.txt"});
  p.repo.git({"commit", "-q", "--amend", "--no-verify", "--no-edit"});
  std::string amended = p.repo.head();

  RunResult direct =
      pre_push_json(p.repo, "refs/heads/main " + amended + " refs/heads/main " + old + "\n");
  CHECK(direct.exit_code == 1);
  auto found = findings_of(report(direct));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == amended);
  CHECK(found[0]["line"] == 2);
  CHECK(p.repo.git_result({"push", "--force", "origin", "main"}).exit_code != 0);
  CHECK(p.remote_head("main") == old);
}

TEST_CASE("pre-push deleting a branch scans nothing") {
  Pushing p;
  p.repo.git({"switch", "-q", "-c", "old"});
  p.repo.write("x.env", "TOKEN=" + kToken1 + "\n");
  std::string leak = p.repo.commit_all("leak");
  REQUIRE(p.repo.git_result({"push", "-q", "--no-verify", "origin", "old"}).exit_code == 0);

  RunResult direct = pre_push_json(p.repo, "(delete) " + kZero + " refs/heads/old " + leak + "\n");
  CHECK(direct.exit_code == 0);
  auto j = report(direct);
  CHECK(j["summary"]["files"] == 0);
  CHECK(j["summary"]["notes"] ==
        nlohmann::json::array({"refs/heads/old: deleted on the remote; nothing to scan"}));
  RunResult r = p.repo.git_result({"push", "-q", "origin", ":old"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(p.remote_head("old").empty());
}

TEST_CASE("pre-push reports malformed input as an error, exit 2") {
  Pushing p;
  RunResult r = p.repo.leakgate({"pre-push"}, {"", {}, "not a push line\n"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("pre-push: cannot read 'not a push line'"));
}

TEST_CASE("git hook run pre-commit runs the linked hook") {
  TempRepo repo;
  install(repo, "pre-commit");
  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "a.env"});
  RunResult blocked = repo.git_result({"hook", "run", "pre-commit"});
  CHECK(blocked.exit_code == 1);
  CHECK_THAT(blocked.err, Catch::Contains("a.env:1:7: clickup-personal-token"));

  repo.write("a.env", "TOKEN=none\n");
  repo.git({"add", "a.env"});
  CHECK(repo.git_result({"hook", "run", "pre-commit"}).exit_code == 0);
}

TEST_CASE("SKIP=leakgate and git commit --no-verify let a commit through, and SKIP says so") {
  TempRepo repo;
  install(repo, "all");
  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "a.env"});

  RunResult skipped =
      repo.git_result({"commit", "-q", "-m", "skip"}, {"", {{"SKIP", "flake8,leakgate"}}, ""});
  INFO(skipped.err);
  CHECK(skipped.exit_code == 0);
  CHECK_THAT(skipped.err,
             Catch::Contains("leakgate: pre-commit check skipped (SKIP=flake8,leakgate)"));

  repo.write("b.env", "TOKEN=" + kToken2 + "\n");
  repo.git({"add", "b.env"});
  CHECK(repo.git_result({"commit", "-q", "-m", "blocked"}).exit_code == 1);
  CHECK(repo.git_result({"commit", "-q", "--no-verify", "-m", "no-verify"}).exit_code == 0);
}

TEST_CASE("leakgate hook NAME acts as the hook of that name") {
  TempRepo repo;
  repo.write("m", "token " + kToken1 + "\n");
  CHECK(repo.leakgate({"hook", "commit-msg", "m"}).exit_code == 1);
  CHECK(repo.leakgate({"hook", "pre-commit"}).exit_code == 0);
  CHECK(repo.leakgate({"hook", "pre-push"}, {"", {}, ""}).exit_code == 0);
}

TEST_CASE("staged with paths checks those only: added lines where staged, else the whole file") {
  TempRepo repo;
  repo.write("old.env", "TOKEN=" + kToken1 + "\n");
  repo.write("edited.env", "A=" + kToken2 + "\n");
  repo.commit_all("base");
  repo.write("edited.env", "A=" + kToken2 + "\nB=" + kToken3 + "\n");
  repo.write("unlisted.env", "TOKEN=" + kToken4 + "\n");
  repo.write("sub/keep.txt", "x\n");
  repo.git({"add", "."});

  RunResult r = repo.leakgate({"staged", "--format", "json", "old.env", "edited.env", "gone.txt"});
  CHECK(r.exit_code == 1);
  auto j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 2);
  CHECK(found[0]["path"] == "edited.env");
  CHECK(found[0]["line"] == 2);  // the unchanged line 1 is not new
  CHECK(found[1]["path"] == "old.env");  // no staged change: checked whole
  CHECK(j["summary"]["skipped"] ==
        nlohmann::json::array({{{"what", "gone.txt"}, {"reason", "not in the index"}}}));

  RunResult sub = repo.leakgate({"staged", "--format", "json", "../old.env"},
                                {repo / "sub", {}, ""});  // relative to the current directory
  CHECK(findings_of(report(sub)).size() == 1);
}
