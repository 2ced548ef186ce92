// End-to-end: `leakgate staged` and the pre-commit hook, run as git runs them, in repositories
// made by real git.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/findings.h"
#include "support/temp_repo.h"

using namespace leakgate::test;
namespace fs = std::filesystem;

namespace {

// Installs the binary as the repository's pre-commit hook, the way install scripts do: a
// symlink whose name makes it act as `leakgate staged`.
void install_hook(const TempRepo& repo) {
  fs::path hooks = fs::path(repo.path()) / ".git" / "hooks";
  fs::create_directories(hooks);
  fs::create_symlink(leakgate_binary(), hooks / "pre-commit");
}

void write_file(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

bool has_head(const TempRepo& repo) {
  return repo.git_result({"rev-parse", "--verify", "-q", "HEAD"}).exit_code == 0;
}

RunResult staged_json(const TempRepo& repo) {
  return repo.leakgate({"staged", "--format", "json"});
}

}  // namespace

TEST_CASE("a staged token blocks a real git commit through the pre-commit symlink, redacted") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  install_hook(repo);
  std::string before = repo.head();
  repo.write("config/app.env", "DEBUG=1\nCLICKUP_TOKEN=" + kToken1 + "\n");
  repo.git({"add", "config/app.env"});

  RunResult r = repo.git_result({"commit", "-m", "add config"});

  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(repo.head() == before);
  const std::string all = r.out + r.err;
  CHECK(all.find(kToken1) == std::string::npos);
  CHECK_THAT(all,
             Catch::Contains("config/app.env:2:15: clickup-personal-token: " + kToken1Redacted));
  CHECK_THAT(all, Catch::Contains("commit blocked"));
}

TEST_CASE("the very first commit of a repository is checked against the empty tree") {
  TempRepo repo;
  install_hook(repo);
  repo.write("token.txt", kToken2 + "\n");
  repo.git({"add", "token.txt"});

  RunResult r = repo.git_result({"commit", "-m", "first"});

  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK_FALSE(has_head(repo));
  CHECK((r.out + r.err).find(kToken2) == std::string::npos);

  RunResult j = staged_json(repo);
  CHECK(j.exit_code == 1);
  auto found = findings_of(report(j));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "token.txt");
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 1);
  CHECK(secret_of(found[0]) == kToken2Redacted);
}

TEST_CASE("a clean commit passes through the hook and is created") {
  TempRepo repo;
  install_hook(repo);
  repo.write("README.md", "# hello\n");
  repo.git({"add", "README.md"});

  RunResult r = repo.git_result({"commit", "-q", "-m", "first"});

  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(has_head(repo));
}

TEST_CASE("staged reports rule, path, line, column, redacted secret and fingerprint in JSON") {
  TempRepo repo;
  repo.write("a.txt", "one\n");
  repo.commit_all("base");
  repo.write("src/settings.py", "import os\n\nTOKEN = \"" + kToken1 + "\"  # for the API\n");
  repo.git({"add", "."});

  RunResult r = staged_json(repo);

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 1);
  CHECK(found[0]["rule"] == kClickUp);
  CHECK(found[0]["path"] == "src/settings.py");
  CHECK(found[0]["line"] == 3);
  CHECK(found[0]["column"] == 10);
  CHECK(found[0]["secret"] == kToken1Redacted);
  CHECK(found[0]["redacted"] == true);
  CHECK(found[0]["fingerprint"].get<std::string>().size() == 24);
  CHECK_FALSE(found[0].contains("commit"));
  CHECK(j["summary"]["mode"] == "staged");
  CHECK(j["summary"]["complete"] == true);
  CHECK(r.out.find(kToken1) == std::string::npos);
  CHECK(r.err.find(kToken1) == std::string::npos);
}

TEST_CASE("the show-secrets flag: prints the staged secret in full") {
  TempRepo repo;
  repo.write("a.env", "K=" + kToken1 + "\n");
  repo.git({"add", "a.env"});

  RunResult r = repo.leakgate({"staged", "--format", "json", "--show-secrets"});

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["secret"] == kToken1);
  CHECK(found[0]["redacted"] == false);
}

TEST_CASE("an unstaged token does not block, neither through git nor from staged") {
  TempRepo repo;
  repo.write("app.env", "DEBUG=1\n");
  repo.write("notes.txt", "notes\n");
  repo.commit_all("base");
  install_hook(repo);
  std::string before = repo.head();
  repo.write("app.env", "DEBUG=1\nTOKEN=" + kToken1 + "\n");  // edited, not added
  repo.write("notes.txt", "notes\nmore notes\n");
  repo.git({"add", "notes.txt"});

  RunResult j = staged_json(repo);
  CHECK(j.exit_code == 0);
  CHECK(findings_of(report(j)).empty());

  RunResult r = repo.git_result({"commit", "-q", "-m", "notes only"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(repo.head() != before);
}

TEST_CASE("a staged edit is scanned, not the work tree's later edit of the same file") {
  TempRepo repo;
  repo.write("app.env", "DEBUG=1\n");
  repo.commit_all("base");
  repo.write("app.env", "DEBUG=1\nTOKEN=" + kToken1 + "\n");
  repo.git({"add", "app.env"});
  repo.write("app.env", "DEBUG=1\n");  // the work tree no longer holds it; the index does

  RunResult r = staged_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "app.env");
  CHECK(found[0]["line"] == 2);
  CHECK(found[0]["column"] == 7);
}

TEST_CASE("deleting a line that holds a token does not block") {
  TempRepo repo;
  repo.write("app.env", "A=1\nTOKEN=" + kToken1 + "\nB=2\n");
  repo.commit_all("leaky base");
  install_hook(repo);
  repo.write("app.env", "A=1\nB=2\n");
  repo.git({"add", "app.env"});

  CHECK(staged_json(repo).exit_code == 0);
  RunResult r = repo.git_result({"commit", "-q", "-m", "remove the token"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("deleting a whole file that holds a token does not block") {
  TempRepo repo;
  repo.write("app.env", "TOKEN=" + kToken1 + "\n");
  repo.write("keep.txt", "keep\n");
  repo.commit_all("leaky base");
  repo.git({"rm", "-q", "app.env"});

  RunResult r = staged_json(repo);

  CHECK(r.exit_code == 0);
  CHECK(findings_of(report(r)).empty());
}

TEST_CASE("an unchanged line holding a token does not block an edit elsewhere in its file") {
  TempRepo repo;
  repo.write("app.env", "A=1\nTOKEN=" + kToken1 + "\nB=2\n");
  repo.commit_all("leaky base");
  repo.write("app.env", "A=1\nTOKEN=" + kToken1 + "\nB=3\nC=4\n");
  repo.git({"add", "app.env"});

  RunResult r = staged_json(repo);

  CHECK(r.exit_code == 0);
  CHECK(findings_of(report(r)).empty());
}

TEST_CASE("only the added line is reported when a file already holds another token") {
  TempRepo repo;
  repo.write("app.env", "A=1\nOLD=" + kToken1 + "\nB=2\n");
  repo.commit_all("leaky base");
  repo.write("app.env", "A=1\nOLD=" + kToken1 + "\nB=2\nNEW=" + kToken2 + "\n");
  repo.git({"add", "app.env"});

  RunResult r = staged_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["line"] == 4);
  CHECK(found[0]["column"] == 5);
  CHECK(found[0]["secret"] == kToken2Redacted);
}

TEST_CASE("a pure rename of a file holding a token does not block") {
  TempRepo repo;
  repo.write("old/name.env", "TOKEN=" + kToken1 + "\n");
  repo.commit_all("leaky base");
  install_hook(repo);
  fs::create_directories(repo / "new");
  repo.git({"mv", "old/name.env", "new/name.env"});

  CHECK(staged_json(repo).exit_code == 0);
  RunResult r = repo.git_result({"commit", "-q", "-m", "move"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("a rename with an edit reports only the lines the edit adds") {
  TempRepo repo;
  std::string body = "TOKEN=" + kToken1 + "\n";
  for (int i = 0; i < 20; ++i) body += "setting_" + std::to_string(i) + "=value\n";
  repo.write("name.env", body);
  repo.commit_all("leaky base");
  repo.git({"mv", "name.env", "renamed.env"});

  SECTION("a clean edit does not block") {
    repo.write("renamed.env", body + "extra=1\n");
    repo.git({"add", "renamed.env"});
    RunResult r = staged_json(repo);
    CHECK(r.exit_code == 0);
    CHECK(findings_of(report(r)).empty());
  }
  SECTION("an added token is reported at its line in the new path") {
    repo.write("renamed.env", body + "NEW=" + kToken2 + "\n");
    repo.git({"add", "renamed.env"});
    RunResult r = staged_json(repo);
    CHECK(r.exit_code == 1);
    auto found = findings_of(report(r));
    REQUIRE(found.size() == 1);
    CHECK(found[0]["path"] == "renamed.env");
    CHECK(found[0]["line"] == 22);
    CHECK(found[0]["secret"] == kToken2Redacted);
  }
}

TEST_CASE("a mode change of a file holding a token does not block") {
  TempRepo repo;
  repo.write("run.sh", "TOKEN=" + kToken1 + "\n");
  repo.commit_all("leaky base");
  fs::permissions(repo / "run.sh", fs::perms::owner_exec, fs::perm_options::add);
  repo.git({"add", "run.sh"});
  REQUIRE(repo.git({"diff", "--cached", "--name-only"}) == "run.sh");

  RunResult r = staged_json(repo);

  CHECK(r.exit_code == 0);
  CHECK(findings_of(report(r)).empty());
}

TEST_CASE("placeholders and look-alike keys in staged files do not block") {
  TempRepo repo;
  install_hook(repo);
  repo.write(".env.example",
             "CLICKUP_TOKEN=pk_XXXXXXXX_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"
             "CLICKUP_API_TOKEN=${CLICKUP_API_TOKEN}\n"
             "CLICKUP_TOKEN=pk_NEW_TOKEN_HERE\n");
  repo.write("web/views.py", "class Detail(DetailView):\n    pk_url_kwarg = 'slug'\n");
  repo.write("web/pay.js",
             "const stripe = Stripe('pk_live_51HqLyjWDarjtT1zdp7dcXbT1zdp7dcXbT1zd');\n"
             "const test = 'pk_test_TYooMQauvdEDq54NiTphI7jx';\n");
  repo.git({"add", "."});

  RunResult j = staged_json(repo);
  CHECK(j.exit_code == 0);
  CHECK(findings_of(report(j)).empty());

  RunResult r = repo.git_result({"commit", "-q", "-m", "templates"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(has_head(repo));
}

TEST_CASE("git commit -- path checks the temporary index git makes for that path") {
  TempRepo repo;
  repo.write("tracked.env", "DEBUG=1\n");
  repo.write("other.txt", "other\n");
  repo.commit_all("base");
  install_hook(repo);
  std::string before = repo.head();

  SECTION("a token in the named path's work tree copy blocks, though nothing is staged") {
    repo.write("tracked.env", "DEBUG=1\nTOKEN=" + kToken1 + "\n");
    REQUIRE(repo.git({"diff", "--cached", "--name-only"}).empty());

    RunResult r = repo.git_result({"commit", "-m", "msg", "--", "tracked.env"});

    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(repo.head() == before);
    CHECK_THAT(r.out + r.err, Catch::Contains("tracked.env:2:7: clickup-personal-token"));
    CHECK((r.out + r.err).find(kToken1) == std::string::npos);
  }
  SECTION("a token staged in another path is not part of that commit and does not block") {
    repo.write("staged.env", "TOKEN=" + kToken1 + "\n");
    repo.git({"add", "staged.env"});
    repo.write("other.txt", "other\nedited\n");

    RunResult r = repo.git_result({"commit", "-q", "-m", "msg", "--", "other.txt"});

    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(repo.head() != before);
    CHECK(repo.git({"show", "--name-only", "--format=", "HEAD"}) == "other.txt");
  }
}

TEST_CASE("git commit -a checks the work tree edits it stages into a temporary index") {
  TempRepo repo;
  repo.write("tracked.env", "DEBUG=1\n");
  repo.commit_all("base");
  install_hook(repo);
  std::string before = repo.head();
  repo.write("tracked.env", "DEBUG=1\nTOKEN=" + kToken1 + "\n");

  RunResult r = repo.git_result({"commit", "-a", "-m", "all"});

  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(repo.head() == before);
  CHECK_THAT(r.out + r.err, Catch::Contains("tracked.env:2:7: clickup-personal-token"));
}

TEST_CASE("GIT_INDEX_FILE names the index to scan") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.commit_all("base");
  std::string alt = repo / ".git/alt-index";
  repo.git_result({"read-tree", "HEAD"}, {"", {{"GIT_INDEX_FILE", alt}}, ""});
  repo.write("leak.env", "TOKEN=" + kToken1 + "\n");
  RunResult add = repo.git_result({"add", "leak.env"}, {"", {{"GIT_INDEX_FILE", alt}}, ""});
  REQUIRE(add.exit_code == 0);

  RunResult main_index = staged_json(repo);
  CHECK(main_index.exit_code == 0);

  RunResult r = repo.leakgate({"staged", "--format", "json"}, {"", {{"GIT_INDEX_FILE", alt}}, ""});
  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "leak.env");
}

TEST_CASE("GIT_DIR and GIT_WORK_TREE name the repository when run from elsewhere") {
  TempRepo repo;
  repo.write("a.txt", "a\n");
  repo.write(".leakgate.toml", "[allow]\npaths = [\"fixtures/**\"]\n");
  repo.commit_all("base");
  repo.write("fixtures/fake.env", "TOKEN=" + kToken2 + "\n");
  repo.write("real.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "."});
  TempDir elsewhere;

  RunResult r = repo.leakgate(
      {"staged", "--format", "json"},
      {elsewhere.path(), {{"GIT_DIR", repo / ".git"}, {"GIT_WORK_TREE", repo.path()}}, ""});

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);  // the work tree's .leakgate.toml allowlists fixtures/
  CHECK(found[0]["path"] == "real.env");
  CHECK(found[0]["secret"] == kToken1Redacted);
}

TEST_CASE("the repo flag: names the repository to scan") {
  TempRepo repo;
  repo.write("real.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "."});
  TempDir elsewhere;

  RunResult r = repo.leakgate({"staged", "--repo", repo.path(), "--format", "json"},
                              {elsewhere.path(), {}, ""});

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "real.env");
}

TEST_CASE("a binary named pre-commit behaves as leakgate staged and ignores arguments") {
  TempRepo repo;
  install_hook(repo);
  repo.write("a.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "a.env"});

  RunOptions o;
  o.cwd = repo.path();
  o.env = {{"GIT_DIR", ""}, {"GIT_WORK_TREE", ""}, {"GIT_INDEX_FILE", ""}};
  RunResult r = run({repo / ".git/hooks/pre-commit", "--format", "json"}, o);

  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "a.env:1:7: clickup-personal-token: " + kToken1Redacted + "\n");
}

TEST_CASE("an allowlisted path in .leakgate.toml does not block a commit") {
  TempRepo repo;
  repo.write(".leakgate.toml", "[allow]\npaths = [\"tests/data/**\"]\n");
  repo.commit_all("config");
  install_hook(repo);
  repo.write("tests/data/fixture.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "."});

  RunResult j = staged_json(repo);
  CHECK(j.exit_code == 0);
  nlohmann::json rep = report(j);
  CHECK(findings_of(rep).empty());
  REQUIRE(rep["summary"]["skipped"].size() == 1);
  CHECK(rep["summary"]["skipped"][0]["what"] == "tests/data/fixture.env");
  CHECK(rep["summary"]["skipped"][0]["reason"] == "allowlisted path");

  RunResult r = repo.git_result({"commit", "-q", "-m", "fixture"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("leakgate:allow on the line of a staged token lets the commit through") {
  TempRepo repo;
  repo.write("a.env", "TOKEN=" + kToken1 + "  # leakgate:allow\n");
  repo.git({"add", "a.env"});

  RunResult r = staged_json(repo);

  CHECK(r.exit_code == 0);
  CHECK(findings_of(report(r)).empty());
}

TEST_CASE("nothing staged is clean, in an empty repository too") {
  TempRepo repo;
  RunResult r = staged_json(repo);
  CHECK(r.exit_code == 0);
  nlohmann::json j = report(r);
  CHECK(j["findings"].empty());
  CHECK(j["summary"]["findings"] == 0);
  CHECK(j["summary"]["files"] == 0);
}

TEST_CASE("staged outside any repository is an error with exit 2 and one line") {
  TempDir dir;
  RunOptions o;
  o.cwd = dir.path();
  o.env = {{"GIT_DIR", ""},
           {"GIT_WORK_TREE", ""},
           {"GIT_INDEX_FILE", ""},
           {"GIT_CEILING_DIRECTORIES", fs::path(dir.path()).parent_path().string()}};
  RunResult r = run_leakgate({"staged"}, o);

  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  auto lines = lines_of(r.err);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::StartsWith("leakgate: ") && Catch::Contains("not a git repository"));
}

TEST_CASE("a staged blob missing from the object database makes staged exit 2, not 0") {
  TempRepo repo;
  repo.write("a.txt", "plain text\n");
  repo.git({"add", "a.txt"});
  std::string blob = repo.git({"rev-parse", ":a.txt"});
  fs::remove(repo / (".git/objects/" + blob.substr(0, 2) + "/" + blob.substr(2)));

  RunResult r = staged_json(repo);

  CHECK(r.exit_code == 2);
  nlohmann::json j = report(r);
  CHECK(j["summary"]["complete"] == false);
  REQUIRE(j["summary"]["errors"].size() == 1);
  CHECK_THAT(j["summary"]["errors"][0].get<std::string>(), Catch::StartsWith("a.txt: "));
}

TEST_CASE("staged run from a subdirectory names paths from the top and reads the top's config") {
  TempRepo repo;
  repo.write(".leakgate.toml", "[allow]\npaths = [\"sub/fixtures/**\"]\n");
  repo.commit_all("config");
  repo.write("sub/fixtures/fake.env", "TOKEN=" + kToken2 + "\n");
  repo.write("sub/deeper/real.env", "TOKEN=" + kToken1 + "\n");
  repo.git({"add", "."});

  RunResult r = repo.leakgate({"staged", "--format", "json"}, {repo / "sub/deeper", {}, ""});

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["path"] == "sub/deeper/real.env");
}

TEST_CASE("a staged token blocks a commit in a linked worktree") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  TempDir parent;
  std::string wt = parent / "wt";
  repo.git({"worktree", "add", "-q", "-b", "side", wt});
  install_hook(repo);  // hooks are shared by every worktree
  std::string before = repo.git({"rev-parse", "side"});
  write_file(wt + "/wt.env", "TOKEN=" + kToken1 + "\n");
  REQUIRE(repo.git_result({"add", "wt.env"}, {wt, {}, ""}).exit_code == 0);

  RunResult r = repo.git_result({"commit", "-m", "in the worktree"}, {wt, {}, ""});

  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(repo.git({"rev-parse", "side"}) == before);
  CHECK_THAT(r.out + r.err,
             Catch::Contains("wt.env:1:7: clickup-personal-token: " + kToken1Redacted));
}
