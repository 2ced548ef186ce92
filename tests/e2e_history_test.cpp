// End-to-end: `leakgate history`, in repositories made by real git: every ref, each blob once,
// each finding attributed to the commit and path that introduced it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/findings.h"
#include "support/temp_repo.h"

using namespace leakgate::test;
namespace fs = std::filesystem;

namespace {

RunResult history_json(const TempRepo& repo, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"history", "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return repo.leakgate(args);
}

// Commits what is staged as someone else, at another time, to tell commits apart by author.
std::string commit_as(const TempRepo& repo, const std::string& message, const std::string& name,
                      const std::string& email, const std::string& date) {
  repo.git({"add", "-A"});
  RunResult r = repo.git_result(
      {"commit", "-q", "--no-verify", "-m", message},
      {"",
       {{"GIT_AUTHOR_NAME", name}, {"GIT_AUTHOR_EMAIL", email}, {"GIT_AUTHOR_DATE", date}},
       ""});
  REQUIRE(r.exit_code == 0);
  return repo.head();
}

std::string object_file(const TempRepo& repo, const std::string& id) {
  return repo / (".git/objects/" + id.substr(0, 2) + "/" + id.substr(2));
}

}  // namespace

TEST_CASE("history attributes a token added and later deleted to the commit that added it") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("secret.env", "A=1\nTOKEN=" + kToken1 + "\n");
  std::string added = commit_as(repo, "add secret", "Grace Hopper", "grace@example.test",
                                "2024-06-02T09:30:00+02:00");
  std::string blob = repo.git({"rev-parse", added + ":secret.env"});
  repo.git({"rm", "-q", "secret.env"});
  repo.git({"commit", "-q", "--no-verify", "-m", "remove secret"});
  repo.write("README.md", "# app\nmore\n");
  repo.commit_all("later");

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 1);
  CHECK(found[0]["rule"] == kClickUp);
  CHECK(found[0]["path"] == "secret.env");
  CHECK(found[0]["line"] == 2);
  CHECK(found[0]["column"] == 7);
  CHECK(found[0]["commit"] == added);
  CHECK(found[0]["author"] == "Grace Hopper");
  CHECK(found[0]["email"] == "grace@example.test");
  CHECK(found[0]["date"] == "2024-06-02T09:30:00+02:00");
  CHECK(found[0]["blob"] == blob);
  CHECK(found[0]["reachable"] == true);
  CHECK(found[0]["secret"] == kToken1Redacted);
  CHECK(j["summary"]["mode"] == "history");
  CHECK(j["summary"]["commits"] == 4);
  CHECK(j["summary"]["complete"] == true);
  CHECK(r.out.find(kToken1) == std::string::npos);
  CHECK(r.err.find(kToken1) == std::string::npos);
}

TEST_CASE("history prints dates in ISO 8601 with the author's own offset") {
  TempRepo repo;
  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  commit_as(repo, "west", "Ada Tester", "ada@example.test", "2024-01-31T23:15:07-05:30");

  RunResult r = history_json(repo);

  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["date"] == "2024-01-31T23:15:07-05:30");
}

TEST_CASE("history finds a token that only a tag reaches") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.git({"checkout", "-q", "-b", "release"});
  repo.write("deploy/prod.env", "TOKEN=" + kToken2 + "\n");
  std::string tagged = repo.commit_all("release config");

  SECTION("an annotated tag") { repo.git({"tag", "-a", "v1.0", "-m", "release"}); }
  SECTION("a lightweight tag") { repo.git({"tag", "v1.0"}); }

  repo.git({"checkout", "-q", "main"});
  repo.git({"branch", "-q", "-D", "release"});
  REQUIRE(repo.git({"branch", "--contains", tagged}).empty());

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == tagged);
  CHECK(found[0]["path"] == "deploy/prod.env");
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 7);
  CHECK(found[0]["reachable"] == true);
}

TEST_CASE("history finds a token that only refs/stash reaches") {
  TempRepo repo;
  repo.write("app.env", "A=1\n");
  repo.commit_all("base");
  repo.write("app.env", "A=1\nTOKEN=" + kToken3 + "\n");
  repo.git({"stash", "-q"});
  REQUIRE(repo.read("app.env") == "A=1\n");
  std::string stash = repo.git({"rev-parse", "refs/stash"});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == stash);
  CHECK(found[0]["path"] == "app.env");
  CHECK(found[0]["line"] == 2);
  CHECK(found[0]["column"] == 7);
}

TEST_CASE("history finds a token in a git note") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  std::string annotated = repo.commit_all("start");
  repo.git({"notes", "add", "-m", "deployed with TOKEN=" + kToken4, annotated});
  std::string notes = repo.git({"rev-parse", "refs/notes/commits"});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == notes);
  CHECK(found[0]["path"] == annotated);  // a note is stored under the id of what it annotates
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 21);
}

TEST_CASE("history finds a token in any ref, not only branches, tags, stash and notes") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.git({"checkout", "-q", "-b", "pr"});
  repo.write("ci.env", "TOKEN=" + kToken5 + "\n");
  std::string pr = repo.commit_all("pull request head");
  repo.git({"update-ref", "refs/pull/7/head", pr});
  repo.git({"checkout", "-q", "main"});
  repo.git({"branch", "-q", "-D", "pr"});

  RunResult r = history_json(repo);

  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == pr);
  CHECK(found[0]["path"] == "ci.env");
}

TEST_CASE("history attributes a token that a merge commit itself adds to the merge") {
  TempRepo repo;
  repo.write("base.txt", "base\n");
  repo.commit_all("base");
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("feature.txt", "feature\n");
  repo.commit_all("feature work");
  repo.git({"checkout", "-q", "main"});
  repo.write("main.txt", "main\n");
  repo.commit_all("main work");
  repo.git({"merge", "-q", "--no-ff", "--no-commit", "feature"});
  repo.write("evil.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "evil.env"});
  repo.git({"commit", "-q", "--no-verify", "-m", "merge feature"});
  std::string merge = repo.head();
  REQUIRE(repo.git({"rev-list", "--parents", "-n", "1", "HEAD"}).size() == 3 * 40 + 2);

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == merge);
  CHECK(found[0]["path"] == "evil.env");
}

TEST_CASE("history attributes a token in a renamed file to the original path and commit") {
  TempRepo repo;
  repo.write("creds.env", "TOKEN=" + kToken2 + "\n");
  std::string added = repo.commit_all("add creds");
  fs::create_directories(repo / "config");
  repo.git({"mv", "creds.env", "config/creds.env"});
  repo.git({"commit", "-q", "--no-verify", "-m", "move creds"});
  repo.write("README.md", "# app\n");
  repo.commit_all("later");

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == added);
  CHECK(found[0]["path"] == "creds.env");
  CHECK(found[0]["line"] == 1);
}

TEST_CASE("history scans a blob once however many commits and paths hold it") {
  TempRepo repo;
  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  std::string first = repo.commit_all("add");
  repo.write("copy/b.env", "TOKEN=" + kToken1 + "\n");
  repo.commit_all("copy");
  for (int i = 0; i < 3; ++i) {
    repo.write("counter.txt", std::to_string(i) + "\n");
    repo.commit_all("bump");
  }

  RunResult r = history_json(repo);

  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == first);
  CHECK(found[0]["path"] == "a.env");
  CHECK(j["summary"]["commits"] == 5);
  CHECK(j["summary"]["files"] == 4);  // a.env's blob and counter.txt's three
}

TEST_CASE("history reports each token of a file at its own line and column") {
  TempRepo repo;
  repo.write("multi.env", "ONE=" + kToken1 + "\n\n  two: " + kToken2 + "\n");
  std::string c = repo.commit_all("two tokens");

  RunResult r = history_json(repo);

  auto found = findings_of(report(r));
  REQUIRE(found.size() == 2);
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 5);
  CHECK(found[0]["secret"] == kToken1Redacted);
  CHECK(found[1]["line"] == 3);
  CHECK(found[1]["column"] == 8);
  CHECK(found[1]["secret"] == kToken2Redacted);
  CHECK(found[0]["commit"] == c);
  CHECK(found[1]["commit"] == c);
  CHECK(found[0]["fingerprint"] != found[1]["fingerprint"]);
}

TEST_CASE("the all-objects flag: finds a token in a commit a reset --hard left dangling") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("leak.env", "TOKEN=" + kToken1 + "\n");
  std::string dangling = repo.commit_all("oops");
  repo.git({"reset", "-q", "--hard", "HEAD~1"});
  REQUIRE_FALSE(fs::exists(repo / "leak.env"));

  RunResult plain = history_json(repo);
  CHECK(plain.exit_code == 0);
  CHECK(findings_of(report(plain)).empty());

  RunResult r = history_json(repo, {"--all-objects"});
  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == dangling);
  CHECK(found[0]["path"] == "leak.env");
  CHECK(found[0]["reachable"] == false);
  CHECK(found[0]["author"] == "Ada Tester");
  CHECK(found[0]["date"] == kTestDate);
}

TEST_CASE("the all-objects flag: finds a token in a blob that no commit holds") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("never-committed.env", "TOKEN=" + kToken2 + "\n");
  repo.git({"add", "never-committed.env"});
  std::string blob = repo.git({"rev-parse", ":never-committed.env"});
  repo.git({"rm", "-q", "--cached", "never-committed.env"});

  RunResult plain = history_json(repo);
  CHECK(plain.exit_code == 0);

  RunResult r = history_json(repo, {"--all-objects"});
  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"].is_null());
  CHECK(found[0]["blob"] == blob);
  CHECK(found[0]["reachable"] == false);
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 7);
}

TEST_CASE("history finds a token in a blob a tag points at directly") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("loose.env", "TOKEN=" + kToken3 + "\n");
  std::string blob = repo.git({"hash-object", "-w", "loose.env"});
  fs::remove(repo / "loose.env");
  repo.git({"tag", "blob-tag", blob});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"].is_null());
  CHECK(found[0]["blob"] == blob);
  CHECK(found[0]["path"] == "refs/tags/blob-tag");
  CHECK(found[0]["reachable"] == true);
}

TEST_CASE("history skips paths that .leakgate.toml allowlists") {
  TempRepo repo;
  repo.write(".leakgate.toml", "[allow]\npaths = [\"tests/data/**\"]\n");
  repo.write("tests/data/fixture.env", "TOKEN=" + kToken1 + "\n");
  repo.write("src/real.env", "TOKEN=" + kToken2 + "\n");
  repo.commit_all("fixtures");

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "src/real.env");
}

TEST_CASE("history of a clean repository, or of an empty one, exits 0") {
  TempRepo repo;
  SECTION("empty") {
    RunResult r = history_json(repo);
    CHECK(r.exit_code == 0);
    CHECK(report(r)["summary"]["commits"] == 0);
  }
  SECTION("clean") {
    repo.write("README.md", "CLICKUP_TOKEN=${CLICKUP_API_TOKEN}\n");
    repo.commit_all("start");
    RunResult r = history_json(repo);
    CHECK(r.exit_code == 0);
    CHECK(findings_of(report(r)).empty());
  }
}

TEST_CASE("history text output names commit, author and date, and not the secret") {
  TempRepo repo;
  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  std::string c = repo.commit_all("add");

  RunResult r = repo.leakgate({"history"});

  CHECK(r.exit_code == 1);
  CHECK(r.out == "a.env:1:7: clickup-personal-token: " + kToken1Redacted + " (commit " +
                     c.substr(0, 12) + " Ada Tester <ada@example.test> 2024-05-01, still in main)\n");
  CHECK(r.err.find(kToken1) == std::string::npos);
}

TEST_CASE("history of a missing directory exits 2 with a one-line error") {
  TempDir dir;
  std::string missing = dir / "no-such-repo";
  RunResult r = run_leakgate({"history", "--repo", missing});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  auto lines = lines_of(r.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "leakgate: " + missing + ": no such directory");
}

TEST_CASE("history of a directory that is not a repository exits 2 with a one-line error") {
  TempDir dir;
  SECTION("no .git at all") {}
  SECTION("a .git file that points nowhere") {
    std::ofstream(dir / ".git") << "gitdir: " << (dir / "nowhere") << "\n";
  }
  SECTION("a .git file of garbage") { std::ofstream(dir / ".git") << "garbage\n"; }
  RunOptions o;
  o.env = {{"GIT_DIR", ""},
           {"GIT_CEILING_DIRECTORIES", fs::path(dir.path()).parent_path().string()}};
  RunResult r = run_leakgate({"history", "--repo", dir.path()}, o);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  auto lines = lines_of(r.err);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::StartsWith("leakgate: " + dir.path()));
}

TEST_CASE("history of a repository with a missing blob exits 2 and names the blob") {
  TempRepo repo;
  repo.write("a.txt", "plain\n");
  std::string c = repo.commit_all("start");
  std::string blob = repo.git({"rev-parse", c + ":a.txt"});
  fs::remove(object_file(repo, blob));

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 2);
  nlohmann::json j = report(r);
  CHECK(j["summary"]["complete"] == false);
  REQUIRE(j["summary"]["errors"].size() == 1);
  CHECK_THAT(j["summary"]["errors"][0].get<std::string>(), Catch::Contains(blob));
  auto lines = lines_of(r.err);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0],
             Catch::StartsWith("leakgate: the scan is incomplete: ") && Catch::Contains(blob));
}

TEST_CASE("history of a repository with a corrupt commit object exits 2") {
  TempRepo repo;
  repo.write("a.txt", "plain\n");
  std::string c = repo.commit_all("start");
  fs::path object = object_file(repo, c);
  fs::permissions(object, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(object, std::ios::binary | std::ios::trunc) << "this is not zlib data";

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 2);
  CHECK(report(r)["summary"]["complete"] == false);
}

TEST_CASE("history of a repository with a ref naming a missing commit exits 2") {
  TempRepo repo;
  repo.write("a.txt", "plain\n");
  repo.commit_all("start");
  std::ofstream(repo / ".git/refs/heads/broken") << std::string(40, 'e') << "\n";

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 2);
  nlohmann::json j = report(r);
  CHECK(j["summary"]["complete"] == false);
  CHECK_THAT(j["summary"]["errors"].dump(), Catch::Contains("refs/heads/broken"));
}

TEST_CASE("history attributes a token merged from a branch to the branch's commit") {
  TempRepo repo;
  repo.write("base.txt", "base\n");
  repo.commit_all("base");
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("feature.env", "TOKEN=" + kToken2 + "\n");
  std::string feature = repo.commit_all("feature work");
  repo.git({"checkout", "-q", "main"});
  repo.write("main.txt", "main\n");
  repo.commit_all("main work");
  repo.git({"merge", "-q", "--no-ff", "--no-edit", "feature"});
  repo.git({"branch", "-q", "-D", "feature"});

  RunResult r = history_json(repo);

  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == feature);
  CHECK(found[0]["path"] == "feature.env");
}

TEST_CASE("history sweeps a bare repository and reads its config from HEAD") {
  TempRepo repo;
  repo.write(".leakgate.toml", "[allow]\npaths = [\"tests/data/**\"]\n");
  repo.write("tests/data/fixture.env", "TOKEN=" + kToken1 + "\n");
  repo.write("src/real.env", "TOKEN=" + kToken2 + "\n");
  std::string c = repo.commit_all("fixtures");
  TempDir parent;
  std::string bare = parent / "bare.git";
  repo.git({"clone", "-q", "--bare", repo.path(), bare});

  RunResult r =
      repo.leakgate({"history", "--repo", bare, "--format", "json"}, {parent.path(), {}, ""});

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "src/real.env");
  CHECK(found[0]["commit"] == c);
}

TEST_CASE("history finds a token that only a detached HEAD reaches") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.git({"checkout", "-q", "--detach"});
  repo.write("detached.env", "TOKEN=" + kToken4 + "\n");
  std::string detached = repo.commit_all("on a detached HEAD");

  RunResult r = history_json(repo);

  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == detached);
  CHECK(found[0]["path"] == "detached.env");
}

TEST_CASE("history finds a token in an untracked file stashed with stash -u") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("local.env", "TOKEN=" + kToken5 + "\n");
  repo.git({"stash", "-q", "-u"});
  REQUIRE_FALSE(fs::exists(repo / "local.env"));
  std::string untracked = repo.git({"rev-parse", "refs/stash^3"});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == untracked);
  CHECK(found[0]["path"] == "local.env");
}

TEST_CASE("history finds a token in a tree a tag points at directly") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("conf/tree.env", "TOKEN=" + kToken3 + "\n");
  repo.git({"add", "conf/tree.env"});
  std::string tree = repo.git({"write-tree"});
  repo.git({"rm", "-q", "--cached", "conf/tree.env"});
  repo.git({"tag", "tree-tag", tree});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"].is_null());
  CHECK(found[0]["path"] == "conf/tree.env");
  CHECK(found[0]["reachable"] == true);
}

TEST_CASE("the all-objects flag: finds a dangling commit's token after git gc packed it in a cruft pack") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("leak.env", "TOKEN=" + kToken1 + "\n");
  std::string dangling = repo.commit_all("oops");
  repo.git({"reset", "-q", "--hard", "HEAD~1"});
  // The fixed test dates are old, so gc expires the reflog too: nothing reaches the commit.
  repo.git({"gc", "-q", "--cruft"});
  REQUIRE_FALSE(fs::exists(object_file(repo, dangling)));  // now in a pack

  CHECK(history_json(repo).exit_code == 0);
  RunResult r = history_json(repo, {"--all-objects"});
  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == dangling);
  CHECK(found[0]["reachable"] == false);
}
