// End-to-end: where `leakgate history` says a secret came from, in the shapes real repositories
// take: merges (both parents, evil, octopus), tags of every kind, notes, shallow and partial
// clones, thousands of refs, packs beside loose objects, and a commit-graph file. Each test
// builds its repository with real git and asserts exact commits, paths, lines and exit codes.
// (tests/e2e_history_test.cpp covers the basic cases; these are the hard ones.)
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

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

// Runs `leakgate history --format json` on another repository, from inside it.
RunResult history_json_at(const TempRepo& any, const std::string& dir,
                          std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"history", "--repo", dir, "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return any.leakgate(args, {dir, {}, ""});
}

// Stages everything and commits it with both dates set, so the walk's time order is known.
std::string commit_at(const TempRepo& repo, const std::string& message, const std::string& date) {
  repo.git({"add", "-A"});
  RunResult r =
      repo.git_result({"commit", "-q", "--no-verify", "-m", message},
                      {"", {{"GIT_AUTHOR_DATE", date}, {"GIT_COMMITTER_DATE", date}}, ""});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return repo.head();
}

// Finishes a merge (or any commit in progress) with both dates set.
std::string finish_at(const TempRepo& repo, const std::string& message, const std::string& date) {
  RunResult r =
      repo.git_result({"commit", "-q", "--no-verify", "-m", message},
                      {"", {{"GIT_AUTHOR_DATE", date}, {"GIT_COMMITTER_DATE", date}}, ""});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return repo.head();
}

std::vector<std::string> parents_of(const TempRepo& repo, const std::string& commit) {
  std::vector<std::string> out;
  std::string line = repo.git({"rev-list", "--parents", "-n", "1", commit});
  for (std::size_t pos = 41; pos < line.size(); pos += 41) out.push_back(line.substr(pos, 40));
  return out;
}

std::string object_file(const std::string& git_dir, const std::string& id) {
  return git_dir + "/objects/" + id.substr(0, 2) + "/" + id.substr(2);
}

std::vector<std::string> strings(const nlohmann::json& array) {
  std::vector<std::string> out;
  for (const auto& s : array) out.push_back(s.get<std::string>());
  return out;
}

// A repository another test clones from: served over file:// with filters allowed.
void allow_filters(const TempRepo& repo) { repo.git({"config", "uploadpack.allowFilter", "true"}); }

// The (commit, path, line) of each finding, in report order: what two runs must agree on.
std::vector<std::tuple<std::string, std::string, int>> places(const nlohmann::json& j) {
  std::vector<std::tuple<std::string, std::string, int>> out;
  for (const auto& f : findings_of(j)) {
    out.emplace_back(f["commit"].is_null() ? "" : f["commit"].get<std::string>(),
                     f["path"].get<std::string>(), f["line"].get<int>());
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// One secret, many places

TEST_CASE("history gives the same token in two different files two findings with one fingerprint",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("app.env", "TOKEN=" + kToken1 + "\n");
  repo.write("config/deploy.yaml", "clickup:\n  token: " + kToken1 + "\n");
  std::string first = repo.commit_all("two files");
  repo.write("scripts/run.sh", "export CLICKUP=" + kToken1 + "\n");
  std::string second = repo.commit_all("a third");

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 3);
  CHECK(found[0]["path"] == "app.env");
  CHECK(found[0]["commit"] == first);
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 7);
  CHECK(found[1]["path"] == "config/deploy.yaml");
  CHECK(found[1]["commit"] == first);
  CHECK(found[1]["line"] == 2);
  CHECK(found[1]["column"] == 10);
  CHECK(found[2]["path"] == "scripts/run.sh");
  CHECK(found[2]["commit"] == second);
  CHECK(found[2]["line"] == 1);
  CHECK(found[2]["column"] == 16);
  CHECK(found[0]["fingerprint"] == found[1]["fingerprint"]);
  CHECK(found[0]["fingerprint"] == found[2]["fingerprint"]);
  CHECK(j["summary"]["by_rule"][kClickUp] == 3);
}

TEST_CASE(
    "history reports a token kept while its file is edited around it once, at the commit "
    "that added it",
    "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("app.env", "TOKEN=" + kToken2 + "\n");
  std::string added = commit_at(repo, "add token", "2024-05-02T10:00:00Z");
  std::string blob = repo.git({"rev-parse", added + ":app.env"});
  repo.write("app.env", "DEBUG=1\nTOKEN=" + kToken2 + "\n");
  commit_at(repo, "debug flag", "2024-05-03T10:00:00Z");
  repo.write("app.env", "DEBUG=1\nTOKEN=" + kToken2 + "\nREGION=eu\n");
  commit_at(repo, "region", "2024-05-04T10:00:00Z");
  repo.write("README.md", "# app\nmore\n");
  commit_at(repo, "docs", "2024-05-05T10:00:00Z");

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == added);
  CHECK(found[0]["path"] == "app.env");
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 7);
  CHECK(found[0]["blob"] == blob);
  CHECK(found[0]["reachable"] == true);
  REQUIRE(found[0].contains("versions"));
  CHECK(found[0]["versions"] == 3);
  CHECK(j["summary"]["by_rule"][kClickUp] == 1);
  CHECK(j["summary"]["files"] == 5);  // three versions of app.env, two of README.md
}

// A regression test: the fold of later versions once counted findings, not blobs, so one blob
// holding a token twice reported `versions: 2`.
TEST_CASE("history counts a file holding the same token twice as one version of it",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("twice.env", "A=" + kToken1 + "\nB=2\nC=" + kToken1 + "\n");
  std::string c = repo.commit_all("twice");

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);  // one finding per secret and path
  CHECK(found[0]["commit"] == c);
  CHECK(found[0]["path"] == "twice.env");
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 3);
  REQUIRE(found[0].contains("versions"));
  CHECK(found[0]["versions"] == 1);
}

TEST_CASE("history attributes a token added on two branches independently to the earlier commit",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  bool feature_first = GENERATE(true, false);
  bool same_blob = GENERATE(true, false);
  INFO("feature first: " << feature_first << ", same blob: " << same_blob);
  std::string feature_date = feature_first ? "2024-05-02T10:00:00Z" : "2024-05-04T10:00:00Z";
  std::string main_date = feature_first ? "2024-05-03T10:00:00Z" : "2024-05-02T10:00:00Z";

  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("shared.env", "TOKEN=" + kToken3 + "\n");
  std::string on_feature = commit_at(repo, "feature adds the token", feature_date);
  repo.git({"checkout", "-q", "main"});
  repo.write("shared.env",
             same_blob ? "TOKEN=" + kToken3 + "\n" : "# main\nTOKEN=" + kToken3 + "\n");
  std::string on_main = commit_at(repo, "main adds it too", main_date);
  std::string earlier = feature_first ? on_feature : on_main;

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == earlier);
  CHECK(found[0]["path"] == "shared.env");
  CHECK(found[0]["line"] == (same_blob || feature_first ? 1 : 2));
  CHECK(found[0]["blob"] == repo.git({"rev-parse", earlier + ":shared.env"}));
  REQUIRE(found[0].contains("versions"));
  CHECK(found[0]["versions"] == (same_blob ? 1 : 2));
}

// ---------------------------------------------------------------------------------------------
// Merges

TEST_CASE(
    "history attributes a token both parents of a merge hold to the parent that added it "
    "first, not to the merge",
    "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("shared.env", "TOKEN=" + kToken1 + "\n");
  std::string on_feature = commit_at(repo, "feature adds it", "2024-05-02T10:00:00Z");
  repo.git({"checkout", "-q", "main"});
  repo.write("shared.env", "TOKEN=" + kToken1 + "\n");
  std::string on_main = commit_at(repo, "main adds it", "2024-05-03T10:00:00Z");
  repo.git({"merge", "-q", "--no-ff", "--no-commit", "feature"});
  std::string merge = finish_at(repo, "merge feature", "2024-05-04T10:00:00Z");
  REQUIRE(parents_of(repo, merge) == std::vector<std::string>{on_main, on_feature});
  repo.git({"branch", "-q", "-D", "feature"});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == on_feature);  // the second parent, but the older commit
  CHECK(found[0]["path"] == "shared.env");
  CHECK(found[0]["line"] == 1);
  CHECK(j["summary"]["commits"] == 4);
}

TEST_CASE("history attributes a token an evil merge writes into a conflicted file to the merge",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("app.env", "REGION=us\n");
  repo.commit_all("base");
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("app.env", "REGION=eu\n");
  std::string feature = commit_at(repo, "eu", "2024-05-02T10:00:00Z");
  repo.git({"checkout", "-q", "main"});
  repo.write("app.env", "REGION=ap\n");
  std::string main_tip = commit_at(repo, "ap", "2024-05-03T10:00:00Z");
  RunResult conflict = repo.git_result({"merge", "-q", "--no-edit", "feature"});
  REQUIRE(conflict.exit_code != 0);  // both sides changed the line
  repo.write("app.env", "REGION=eu\nTOKEN=" + kToken2 + "\n");
  repo.git({"add", "app.env"});
  std::string merge = finish_at(repo, "merge feature", "2024-05-04T10:00:00Z");
  REQUIRE(parents_of(repo, merge) == std::vector<std::string>{main_tip, feature});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == merge);
  CHECK(found[0]["path"] == "app.env");
  CHECK(found[0]["line"] == 2);
  CHECK(found[0]["column"] == 7);
  CHECK(found[0]["blob"] == repo.git({"rev-parse", merge + ":app.env"}));
}

TEST_CASE(
    "history attributes a token a merge brings from either parent to that parent's commit, "
    "whatever the commit dates say",
    "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  // The commit that adds the token is dated after the merge that brings it (a skewed clock):
  // parents still come before children.
  repo.git({"checkout", "-q", "-b", "side"});
  std::string token_commit, merge;
  SECTION("from the second parent: a side branch merged into main") {
    repo.write("side.env", "TOKEN=" + kToken4 + "\n");
    token_commit = commit_at(repo, "side adds the token", "2024-09-01T10:00:00Z");
    repo.git({"checkout", "-q", "main"});
    repo.write("main.txt", "main\n");
    std::string main_tip = commit_at(repo, "main work", "2024-05-02T10:00:00Z");
    repo.git({"merge", "-q", "--no-ff", "--no-commit", "side"});
    merge = finish_at(repo, "merge side", "2024-05-03T10:00:00Z");
    REQUIRE(parents_of(repo, merge) == std::vector<std::string>{main_tip, token_commit});
    repo.git({"branch", "-q", "-D", "side"});
  }
  SECTION("from the first parent: main merged into a side branch") {
    repo.write("side.txt", "side\n");
    std::string side_tip = commit_at(repo, "side work", "2024-05-02T10:00:00Z");
    repo.git({"checkout", "-q", "main"});
    repo.write("side.env", "TOKEN=" + kToken4 + "\n");
    token_commit = commit_at(repo, "main adds the token", "2024-09-01T10:00:00Z");
    repo.git({"checkout", "-q", "side"});
    repo.git({"merge", "-q", "--no-ff", "--no-commit", "main"});
    merge = finish_at(repo, "merge main", "2024-05-03T10:00:00Z");
    REQUIRE(parents_of(repo, merge) == std::vector<std::string>{side_tip, token_commit});
  }

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == token_commit);
  CHECK(found[0]["commit"] != merge);
  CHECK(found[0]["path"] == "side.env");
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["date"] == "2024-09-01T10:00:00+00:00");
}

TEST_CASE("history attributes each token an octopus merge brings to the branch that added it",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  const std::vector<std::pair<std::string, std::string>> branches = {
      {"alpha", kToken1}, {"beta", kToken2}, {"gamma", kToken3}};
  std::map<std::string, std::string> tip;
  int day = 2;
  for (const auto& [name, token] : branches) {
    repo.git({"checkout", "-q", "-b", name, "main"});
    repo.write(name + "/creds.env", "TOKEN=" + token + "\n");
    tip[name] = commit_at(repo, name, fmt::format("2024-05-0{}T10:00:00Z", day++));
  }
  repo.git({"checkout", "-q", "main"});
  std::string main_tip = repo.head();
  repo.git({"merge", "-q", "--no-ff", "--no-commit", "alpha", "beta", "gamma"});
  std::string evil_token;
  SECTION("a clean octopus") {}
  SECTION("an octopus whose own tree adds a token") {
    evil_token = kToken5;
    repo.write("octopus.env", "TOKEN=" + kToken5 + "\n");
    repo.git({"add", "octopus.env"});
  }
  std::string octopus = finish_at(repo, "octopus", "2024-05-08T10:00:00Z");
  REQUIRE(parents_of(repo, octopus) ==
          std::vector<std::string>{main_tip, tip["alpha"], tip["beta"], tip["gamma"]});
  for (const auto& [name, token] : branches) repo.git({"branch", "-q", "-D", name});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == (evil_token.empty() ? 3 : 4));
  for (std::size_t i = 0; i < branches.size(); ++i) {
    const std::string& name = branches[i].first;
    CHECK(found[i]["commit"] == tip[name]);
    CHECK(found[i]["path"] == name + "/creds.env");
    CHECK(found[i]["line"] == 1);
    CHECK(found[i]["reachable"] == true);
  }
  if (!evil_token.empty()) {
    CHECK(found[3]["commit"] == octopus);
    CHECK(found[3]["path"] == "octopus.env");
  }
  CHECK(j["summary"]["commits"] == 5);
}

// ---------------------------------------------------------------------------------------------
// Tags and notes

TEST_CASE("history finds a token in a blob or tree an annotated tag points at",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  std::string expected_path, target, tag;
  SECTION("a blob") {
    repo.write("loose.env", "TOKEN=" + kToken3 + "\n");
    target = repo.git({"hash-object", "-w", "loose.env"});
    fs::remove(repo / "loose.env");
    tag = "blob-ann";
    expected_path = "refs/tags/blob-ann";
  }
  SECTION("a tree") {
    repo.write("conf/deploy/tree.env", "A=1\nTOKEN=" + kToken3 + "\n");
    repo.git({"add", "conf"});
    target = repo.git({"write-tree"});
    repo.git({"rm", "-q", "-r", "--cached", "conf"});
    fs::remove_all(repo / "conf");
    tag = "tree-ann";
    expected_path = "conf/deploy/tree.env";
  }
  repo.git({"tag", "-a", "-m", "not a commit", tag, target});
  REQUIRE(repo.git({"cat-file", "-t", "refs/tags/" + tag}) == "tag");

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"].is_null());
  CHECK(found[0]["path"] == expected_path);
  CHECK(found[0]["line"] == (expected_path == "refs/tags/blob-ann" ? 1 : 2));
  CHECK(found[0]["column"] == 7);
  CHECK(found[0]["reachable"] == true);
}

TEST_CASE("history attributes a blob that both a tag and a commit hold to the commit",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("deploy.env", "TOKEN=" + kToken1 + "\n");
  std::string c = repo.commit_all("deploy");
  std::string blob = repo.git({"rev-parse", c + ":deploy.env"});
  repo.git({"tag", "-a", "-m", "the file alone", "blob-ann", blob});
  repo.git({"tag", "blob-light", blob});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == c);
  CHECK(found[0]["path"] == "deploy.env");
  CHECK(found[0]["blob"] == blob);
}

TEST_CASE("history follows a tag of a tag to a commit that only it reaches",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.git({"checkout", "-q", "-b", "release"});
  repo.write("release.env", "TOKEN=" + kToken2 + "\n");
  std::string tagged = repo.commit_all("release");
  repo.git({"tag", "-a", "-m", "inner", "inner", tagged});
  std::string inner = repo.git({"rev-parse", "refs/tags/inner"});
  repo.git({"tag", "-a", "-m", "outer", "outer", inner});
  repo.git({"tag", "-d", "inner"});
  repo.git({"checkout", "-q", "main"});
  repo.git({"branch", "-q", "-D", "release"});
  REQUIRE(repo.git({"cat-file", "-p", "refs/tags/outer"}).find("type tag") != std::string::npos);

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == tagged);
  CHECK(found[0]["path"] == "release.env");
  CHECK(found[0]["reachable"] == true);
}

TEST_CASE("history attributes a token in a note under another notes ref to that ref's commit",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  std::string annotated = repo.commit_all("start");
  repo.git({"notes", "--ref", "review", "add", "-m", "reviewed; CLICKUP=" + kToken5, annotated});
  std::string notes = repo.git({"rev-parse", "refs/notes/review"});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == notes);
  CHECK(found[0]["path"] == annotated);
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 19);
}

TEST_CASE("history reports a note edited around its token once, at the notes commit that added it",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  std::string annotated = repo.commit_all("start");
  repo.git({"notes", "add", "-m", "TOKEN=" + kToken4, annotated});
  std::string first_notes = repo.git({"rev-parse", "refs/notes/commits"});
  repo.git({"notes", "add", "-f", "-m", "deployed\n\nTOKEN=" + kToken4, annotated});
  REQUIRE(repo.git({"rev-parse", "refs/notes/commits~1"}) == first_notes);

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == first_notes);
  CHECK(found[0]["path"] == annotated);
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 7);
  REQUIRE(found[0].contains("versions"));
  CHECK(found[0]["versions"] == 2);
}

// Regression test; this was a bug (history.cpp, attribution of note blobs): once a notes tree grows past a few hundred
// notes, git fans it out into subtrees (`18/8d03...`), and the finding's path is that storage
// path rather than the id of the annotated commit, unlike a note in a small notes tree.
TEST_CASE("history names a note by the id it annotates when the notes tree fans out",
          "[history][provenance]") {
  TempRepo repo;
  constexpr int kCommits = 300, kNoted = 150;
  std::string stream;
  for (int i = 0; i < kCommits; ++i) {
    std::string content = fmt::format("version {}\n", i);
    stream += fmt::format(
        "commit refs/heads/main\nmark :{}\ncommitter Ada Tester <ada@example.test> {} +0000\n"
        "data 4\nbump\nM 100644 inline version.txt\ndata {}\n{}\n",
        i + 1, 1714600000 + i, content.size(), content);
  }
  stream +=
      "commit refs/notes/commits\ncommitter Ada Tester <ada@example.test> 1714700000 +0000\n"
      "data 5\nnotes\n";
  for (int i = 0; i < kCommits; ++i) {
    std::string note = i == kNoted ? "TOKEN=" + kToken1 + "\n" : fmt::format("note {}\n", i);
    stream += fmt::format("N inline :{}\ndata {}\n{}\n", i + 1, note.size(), note);
  }
  REQUIRE(repo.git_result({"fast-import", "--quiet"}, {"", {}, stream}).exit_code == 0);
  std::string annotated = repo.git({"rev-parse", fmt::format("main~{}", kCommits - 1 - kNoted)});
  std::string notes = repo.git({"rev-parse", "refs/notes/commits"});
  REQUIRE(repo.git({"notes", "show", annotated}) == "TOKEN=" + kToken1);
  REQUIRE(repo.git({"ls-tree", "--name-only", notes, annotated.substr(0, 2)}) ==
          annotated.substr(0, 2));  // fanned out: a subtree per leading byte

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == notes);
  CHECK(found[0]["path"] == annotated);
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["column"] == 7);
}

// ---------------------------------------------------------------------------------------------
// Clones that hold only part of history

TEST_CASE("history of a shallow clone says history is cut off and attributes to what it holds",
          "[history][provenance]") {
  TempRepo origin;
  origin.write("old.env", "TOKEN=" + kToken1 + "\n");
  commit_at(origin, "old token", "2024-05-02T10:00:00Z");
  origin.git({"rm", "-q", "old.env"});
  commit_at(origin, "remove it", "2024-05-03T10:00:00Z");
  origin.write("keep.env", "TOKEN=" + kToken2 + "\n");
  std::string added = commit_at(origin, "kept token", "2024-05-04T10:00:00Z");
  origin.write("README.md", "# app\n");
  std::string tip = commit_at(origin, "docs", "2024-05-05T10:00:00Z");
  TempDir parent;
  std::string clone = parent / "clone";
  const std::string note = "this is a shallow clone: history before its cut-off is not scanned";

  SECTION("deep enough to hold the commit that added the token") {
    origin.git({"clone", "-q", "--depth", "2", "--no-local", "file://" + origin.path(), clone});
    REQUIRE(slurp(clone + "/.git/shallow") == added + "\n");

    RunResult r = history_json_at(origin, clone);

    CHECK(r.exit_code == 1);
    nlohmann::json j = report(r);
    auto found = findings_of(j);
    REQUIRE(found.size() == 1);  // old.env's token is before the cut-off
    CHECK(found[0]["commit"] == added);
    CHECK(found[0]["path"] == "keep.env");
    CHECK(found[0]["line"] == 1);
    CHECK(j["summary"]["commits"] == 2);
    CHECK(j["summary"]["complete"] == true);
    CHECK(strings(j["summary"]["notes"]) == std::vector<std::string>{note});
  }
  SECTION("cut off after it: the oldest commit held is the origin") {
    origin.git({"clone", "-q", "--depth", "1", "--no-local", "file://" + origin.path(), clone});

    RunResult r = history_json_at(origin, clone);

    CHECK(r.exit_code == 1);
    nlohmann::json j = report(r);
    auto found = findings_of(j);
    REQUIRE(found.size() == 1);
    CHECK(found[0]["commit"] == tip);
    CHECK(found[0]["path"] == "keep.env");
    CHECK(j["summary"]["commits"] == 1);
    CHECK(strings(j["summary"]["notes"]) == std::vector<std::string>{note});
  }
  SECTION("text output prints the note, and a clean shallow clone still exits 0") {
    origin.git({"rm", "-q", "keep.env"});
    commit_at(origin, "drop it", "2024-05-06T10:00:00Z");
    origin.git({"clone", "-q", "--depth", "1", "--no-local", "file://" + origin.path(), clone});

    RunResult r = origin.leakgate({"history", "--repo", clone}, {clone, {}, ""});

    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("note: " + note));
  }
}

TEST_CASE("history of a partial clone reports the blobs it lacks and never fetches them",
          "[history][provenance]") {
  TempRepo origin;
  allow_filters(origin);
  origin.write("old.env", "TOKEN=" + kToken1 + "\n");
  origin.write("notes.txt", "first\n");
  std::string first = commit_at(origin, "old token", "2024-05-02T10:00:00Z");
  std::string old_env = origin.git({"rev-parse", first + ":old.env"});
  std::string old_notes = origin.git({"rev-parse", first + ":notes.txt"});
  origin.git({"rm", "-q", "old.env"});
  origin.write("notes.txt", "second\n");
  commit_at(origin, "remove it", "2024-05-03T10:00:00Z");
  bool token_at_tip = GENERATE(false, true);
  std::string tip;
  if (token_at_tip) {
    origin.write("live.env", "TOKEN=" + kToken2 + "\n");
    tip = commit_at(origin, "live token", "2024-05-04T10:00:00Z");
  }
  TempDir parent;
  std::string clone = parent / "clone";
  origin.git({"clone", "-q", "--filter=blob:none", "--no-local", "file://" + origin.path(), clone});
  // Nothing could fetch what is missing now: the remote is gone.
  origin.git({"-C", clone, "remote", "set-url", "origin", "file://" + (parent / "gone")});
  auto missing = [&] {
    std::set<std::string> out;
    for (const auto& line :
         lines_of(origin.git({"-C", clone, "rev-list", "--objects", "--missing=print", "--all"}))) {
      if (!line.empty() && line[0] == '?') out.insert(line.substr(1));
    }
    return out;
  };
  REQUIRE(missing() == std::set<std::string>{old_env, old_notes});

  RunResult r = history_json_at(origin, clone);

  INFO("token at the tip: " << token_at_tip);
  nlohmann::json j = report(r);
  CHECK(j["summary"]["complete"] == false);
  std::vector<std::string> errors = strings(j["summary"]["errors"]);
  REQUIRE(errors.size() == 2);
  std::set<std::string> named;
  for (const auto& id : {old_env, old_notes}) {
    for (const auto& e : errors) {
      if (e.find(id) != std::string::npos) named.insert(id);
    }
  }
  CHECK(named == std::set<std::string>{old_env, old_notes});
  CHECK_THAT(j["summary"]["errors"].dump(), Catch::Contains("(old.env)"));
  CHECK(missing() == std::set<std::string>{old_env, old_notes});  // still missing: not fetched
  if (token_at_tip) {
    CHECK(r.exit_code == 1);
    auto found = findings_of(j);
    REQUIRE(found.size() == 1);
    CHECK(found[0]["commit"] == tip);
    CHECK(found[0]["path"] == "live.env");
  } else {
    CHECK(r.exit_code == 2);
    CHECK(findings_of(j).empty());
    CHECK_THAT(r.err, Catch::StartsWith("leakgate: the scan is incomplete: "));
  }
}

TEST_CASE("history of a partial clone without old trees exits 2 and names the trees",
          "[history][provenance]") {
  TempRepo origin;
  allow_filters(origin);
  origin.write("deploy/old.env", "TOKEN=" + kToken1 + "\n");
  std::string first = commit_at(origin, "old token", "2024-05-02T10:00:00Z");
  std::string old_root = origin.git({"rev-parse", first + "^{tree}"});
  origin.git({"rm", "-q", "-r", "deploy"});
  origin.write("README.md", "# app\n");
  commit_at(origin, "remove it", "2024-05-03T10:00:00Z");
  TempDir parent;
  std::string clone = parent / "clone";
  origin.git({"clone", "-q", "--filter=tree:0", "--no-local", "file://" + origin.path(), clone});
  origin.git({"-C", clone, "remote", "set-url", "origin", "file://" + (parent / "gone")});
  REQUIRE(origin.git_result({"-C", clone, "cat-file", "-e", old_root}).exit_code != 0);

  RunResult r = history_json_at(origin, clone);

  CHECK(r.exit_code == 2);
  nlohmann::json j = report(r);
  CHECK(findings_of(j).empty());
  CHECK(j["summary"]["complete"] == false);
  CHECK(j["summary"]["commits"] == 2);
  CHECK_THAT(j["summary"]["errors"].dump(), Catch::Contains(old_root));
}

// ---------------------------------------------------------------------------------------------
// How the repository stores what it holds

TEST_CASE("history of a repository with five thousand refs attributes each token to its commit",
          "[history][provenance]") {
  constexpr int kRefs = 5000;
  TempRepo repo;
  repo.write("README.md", "# app\n");
  std::string base = repo.commit_all("start");
  // fast-import makes the 5,000 commits, each off `base` with its own topic.txt. 4,500 refs go
  // straight into packed-refs (as `git pack-refs` writes it: making that many loose refs first
  // takes git half a minute on a slow disk), the last 500 are made loose by update-ref --stdin.
  constexpr int kPacked = 4500, kPackedToken = 1234, kLooseToken = 4802;
  std::string stream;
  for (int i = 0; i < kRefs; ++i) {
    std::string content = i == kPackedToken  ? "TOKEN=" + kToken1 + "\n"
                          : i == kLooseToken ? "TOKEN=" + kToken2 + "\n"
                                             : fmt::format("topic {}\n", i);
    stream += fmt::format(
        "commit refs/heads/scratch\nmark :{}\ncommitter Ada Tester <ada@example.test> {} +0000\n"
        "data 5\ntopic\nfrom {}\nM 100644 inline topic.txt\ndata {}\n{}\n",
        i + 1, 1714600000 + i, base, content.size(), content);
  }
  std::string marks = repo / ".git/marks";
  RunResult imported =
      repo.git_result({"fast-import", "--quiet", "--export-marks=" + marks}, {"", {}, stream});
  REQUIRE(imported.exit_code == 0);
  repo.git({"update-ref", "-d", "refs/heads/scratch"});
  std::vector<std::string> ids(kRefs);
  for (const auto& line : lines_of(slurp(marks))) {
    std::size_t space = line.find(' ');
    ids[std::stoul(line.substr(1, space - 1)) - 1] = line.substr(space + 1);
  }
  // Branches, lightweight tags and pull-request refs, in turn.
  auto ref_name = [](int i) {
    return i % 3 == 0   ? fmt::format("refs/heads/topic/{:04}", i)
           : i % 3 == 1 ? fmt::format("refs/tags/t{:04}", i)
                        : fmt::format("refs/pull/{}/head", i);
  };
  repo.git({"pack-refs", "--all"});  // main, so packed-refs exists
  std::map<std::string, std::string> packed;
  for (const auto& line : lines_of(repo.read(".git/packed-refs"))) {
    if (!line.empty() && line[0] != '#') packed[line.substr(41)] = line.substr(0, 40);
  }
  for (int i = 0; i < kPacked; ++i) packed[ref_name(i)] = ids[i];
  std::string packed_refs = "# pack-refs with: peeled fully-peeled sorted \n";
  for (const auto& [name, id] : packed) packed_refs += id + " " + name + "\n";
  repo.write(".git/packed-refs", packed_refs);
  std::string loose;
  for (int i = kPacked; i < kRefs; ++i) loose += "create " + ref_name(i) + " " + ids[i] + "\n";
  REQUIRE(repo.git_result({"update-ref", "--stdin"}, {"", {}, loose}).exit_code == 0);
  REQUIRE(lines_of(repo.git({"for-each-ref", "--format=x"})).size() == kRefs + 1);
  REQUIRE(fs::exists(repo / ".git/packed-refs"));
  REQUIRE(fs::exists(repo / (".git/" + ref_name(kLooseToken))));
  REQUIRE(repo.git({"rev-parse", ref_name(kPackedToken)}) == ids[kPackedToken]);

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 2);
  CHECK(found[0]["commit"] == ids[kPackedToken]);
  CHECK(found[0]["path"] == "topic.txt");
  CHECK(found[0]["secret"] == kToken1Redacted);
  CHECK(found[1]["commit"] == ids[kLooseToken]);
  CHECK(found[1]["path"] == "topic.txt");
  CHECK(found[1]["secret"] == kToken2Redacted);
  // Only its own ref reaches each; a tag and a pull-request ref are not branches.
  CHECK(strings(found[0]["refs"]) == std::vector<std::string>{ref_name(kPackedToken)});
  CHECK(strings(found[1]["refs"]) == std::vector<std::string>{ref_name(kLooseToken)});
  CHECK(found[0]["tips"].empty());
  CHECK(found[1]["tips"].empty());
  CHECK(j["summary"]["commits"] == kRefs + 1);
  CHECK(j["summary"]["files"] == kRefs + 1);  // README.md and 5,000 distinct topic.txt blobs
  CHECK(j["summary"]["complete"] == true);
  CHECK(j["summary"]["errors"].empty());
}

TEST_CASE("history reads packs and loose objects alike, and an object stored in both once",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("app.env", "TOKEN=" + kToken1 + "\n");
  std::string first = commit_at(repo, "token", "2024-05-02T10:00:00Z");
  std::string first_blob = repo.git({"rev-parse", first + ":app.env"});
  // A copy of the loose blob, put back after gc: the object is then in a pack and loose.
  std::string saved = slurp(object_file(repo / ".git", first_blob));
  repo.write("app.env", "# config\nTOKEN=" + kToken1 + "\n");
  commit_at(repo, "comment", "2024-05-03T10:00:00Z");
  repo.git({"gc", "-q"});
  REQUIRE_FALSE(fs::exists(object_file(repo / ".git", first)));
  // A second pack of newer history, then the duplicate, then loose commits.
  repo.write("app.env", "# config\nTOKEN=" + kToken1 + "\nMORE=1\n");
  commit_at(repo, "more", "2024-05-04T10:00:00Z");
  repo.git({"repack", "-q", "-d"});
  {
    fs::create_directories(fs::path(object_file(repo / ".git", first_blob)).parent_path());
    std::ofstream(object_file(repo / ".git", first_blob), std::ios::binary) << saved;
  }
  repo.write("late.env", "TOKEN=" + kToken3 + "\n");
  std::string late = commit_at(repo, "late token", "2024-05-05T10:00:00Z");
  repo.write("app.env", "# config v2\nTOKEN=" + kToken1 + "\nMORE=1\n");
  commit_at(repo, "edit", "2024-05-06T10:00:00Z");
  REQUIRE(fs::exists(object_file(repo / ".git", late)));
  std::size_t packs = 0;
  for (const auto& e : fs::directory_iterator(repo / ".git/objects/pack")) {
    packs += e.path().extension() == ".pack";
  }
  REQUIRE(packs == 2);
  SECTION("as they are") {}
  SECTION("with a multi-pack-index over both packs") {
    repo.git({"multi-pack-index", "write"});
    REQUIRE(fs::exists(repo / ".git/objects/pack/multi-pack-index"));
  }

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 2);
  CHECK(found[0]["commit"] == first);
  CHECK(found[0]["path"] == "app.env");
  CHECK(found[0]["line"] == 1);
  CHECK(found[0]["blob"] == first_blob);
  REQUIRE(found[0].contains("versions"));
  CHECK(found[0]["versions"] == 4);
  CHECK(found[1]["commit"] == late);
  CHECK(found[1]["path"] == "late.env");
  CHECK(j["summary"]["commits"] == 5);
  CHECK(j["summary"]["files"] == 5);  // four versions of app.env, and late.env
  CHECK(j["summary"]["complete"] == true);
}

TEST_CASE("history with a commit-graph file attributes exactly as without one",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  commit_at(repo, "start", "2024-05-01T10:00:00Z");
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("feature.env", "TOKEN=" + kToken1 + "\n");
  std::string feature = commit_at(repo, "feature", "2024-05-03T10:00:00Z");
  repo.git({"checkout", "-q", "main"});
  repo.write("main.env", "TOKEN=" + kToken2 + "\n");
  std::string on_main = commit_at(repo, "main", "2024-05-02T10:00:00Z");
  repo.git({"merge", "-q", "--no-ff", "--no-commit", "feature"});
  finish_at(repo, "merge", "2024-05-04T10:00:00Z");
  repo.git({"branch", "-q", "-D", "feature"});

  RunResult before = history_json(repo);
  REQUIRE(before.exit_code == 1);
  std::vector<std::tuple<std::string, std::string, int>> expected = {{on_main, "main.env", 1},
                                                                     {feature, "feature.env", 1}};
  REQUIRE(places(report(before)) == expected);

  SECTION("one commit-graph file, then a commit it does not cover") {
    repo.git({"commit-graph", "write", "--reachable"});
    REQUIRE(fs::exists(repo / ".git/objects/info/commit-graph"));
  }
  SECTION("a split commit-graph chain") {
    repo.git({"commit-graph", "write", "--reachable", "--split"});
    REQUIRE(fs::exists(repo / ".git/objects/info/commit-graphs/commit-graph-chain"));
  }
  repo.write("late.env", "TOKEN=" + kToken3 + "\n");
  std::string late = commit_at(repo, "late", "2024-05-05T10:00:00Z");
  expected.emplace_back(late, "late.env", 1);

  RunResult after = history_json(repo);

  CHECK(after.exit_code == 1);
  nlohmann::json j = report(after);
  CHECK(places(j) == expected);
  CHECK(j["summary"]["commits"] == 5);
  CHECK(j["summary"]["complete"] == true);
}

// Regression test; this was a bug (object_graph.cpp, parse_tree): a tree entry whose mode is written "040000" (zero-padded,
// as some old tools wrote trees; git accepts them with a warning, fsck's zeroPaddedFilemode) is
// taken for a blob, so the subtree is never walked: its secrets are missed, and the scan ends
// with "blob <tree id> (conf): missing from the object database" and exit 2.
TEST_CASE("history walks a subtree whose tree entry has a zero-padded mode",
          "[history][provenance]") {
  TempRepo repo;
  repo.write("secret.env", "TOKEN=" + kToken2 + "\n");
  std::string blob = repo.git({"hash-object", "-w", "secret.env"});
  fs::remove(repo / "secret.env");
  RunResult sub = repo.git_result({"mktree"}, {"", {}, "100644 blob " + blob + "\tsecret.env\n"});
  REQUIRE(sub.exit_code == 0);
  std::string sub_id = sub.out.substr(0, 40);
  std::string raw_tree = "040000 conf";
  raw_tree.push_back('\0');
  for (std::size_t i = 0; i < sub_id.size(); i += 2) {
    raw_tree.push_back(char(std::stoi(sub_id.substr(i, 2), nullptr, 16)));
  }
  RunResult root = repo.git_result({"hash-object", "-t", "tree", "-w", "--literally", "--stdin"},
                                   {"", {}, raw_tree});
  REQUIRE(root.exit_code == 0);
  std::string c = repo.git({"commit-tree", "-m", "old tool", root.out.substr(0, 40)});
  repo.git({"update-ref", "refs/heads/main", c});
  REQUIRE(repo.git({"ls-tree", "-r", "--name-only", "main"}) == "conf/secret.env");

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  CHECK(j["summary"]["errors"].empty());
  auto found = findings_of(j);
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == c);
  CHECK(found[0]["path"] == "conf/secret.env");
  CHECK(found[0]["blob"] == blob);
}

TEST_CASE("history reads the objects an alternate object directory holds",
          "[history][provenance]") {
  TempRepo origin;
  origin.write("old.env", "TOKEN=" + kToken1 + "\n");
  std::string old = commit_at(origin, "old token", "2024-05-02T10:00:00Z");
  origin.git({"rm", "-q", "old.env"});
  commit_at(origin, "remove it", "2024-05-03T10:00:00Z");
  origin.git({"gc", "-q"});
  TempDir parent;
  std::string clone = parent / "clone";
  origin.git({"clone", "-q", "--shared", origin.path(), clone});
  REQUIRE(slurp(clone + "/.git/objects/info/alternates") == origin.path() + "/.git/objects\n");
  std::ofstream(clone + "/new.env") << "TOKEN=" << kToken2 << "\n";
  origin.git({"-C", clone, "add", "new.env"});
  RunResult committed =
      origin.git_result({"-C", clone, "commit", "-q", "--no-verify", "-m", "new token"},
                        {"",
                         {{"GIT_AUTHOR_DATE", "2024-05-04T10:00:00Z"},
                          {"GIT_COMMITTER_DATE", "2024-05-04T10:00:00Z"}},
                         ""});
  REQUIRE(committed.exit_code == 0);
  std::string added = origin.git({"-C", clone, "rev-parse", "HEAD"});
  REQUIRE(fs::exists(object_file(clone + "/.git", added)));      // loose, in the clone
  REQUIRE_FALSE(fs::exists(object_file(clone + "/.git", old)));  // only in the alternate

  RunResult r = history_json_at(origin, clone);

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 2);
  CHECK(found[0]["commit"] == old);
  CHECK(found[0]["path"] == "old.env");
  CHECK(found[1]["commit"] == added);
  CHECK(found[1]["path"] == "new.env");
  CHECK(j["summary"]["commits"] == 3);
  CHECK(j["summary"]["complete"] == true);
}

// ---------------------------------------------------------------------------------------------
// Where a secret still lives: refs and tips

TEST_CASE(
    "history says which refs reach a secret deleted from main and which branches still "
    "hold it",
    "[history][provenance][whereabouts]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  commit_at(repo, "start", "2024-05-01T10:00:00Z");
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("secret.env", "TOKEN=" + kToken1 + "\n");
  std::string added = commit_at(repo, "feature adds a token", "2024-05-02T10:00:00Z");
  repo.git({"checkout", "-q", "main"});
  repo.write("main.env", "TOKEN=" + kToken2 + "\n");
  std::string main_token = commit_at(repo, "main adds another", "2024-05-03T10:00:00Z");
  repo.git({"merge", "-q", "--no-ff", "--no-commit", "feature"});
  finish_at(repo, "merge feature", "2024-05-04T10:00:00Z");
  repo.git({"tag", "-a", "-m", "release", "v1"});  // a tag whose tree holds both: not a branch
  repo.git({"rm", "-q", "secret.env", "main.env"});
  commit_at(repo, "delete both", "2024-05-05T10:00:00Z");

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 2);
  CHECK(found[0]["commit"] == added);
  CHECK(found[0]["path"] == "secret.env");
  CHECK(strings(found[0]["refs"]) ==
        std::vector<std::string>{"refs/heads/feature", "refs/heads/main", "refs/tags/v1"});
  CHECK(strings(found[0]["tips"]) == std::vector<std::string>{"refs/heads/feature"});
  CHECK(found[1]["commit"] == main_token);
  CHECK(found[1]["path"] == "main.env");
  CHECK(strings(found[1]["refs"]) == std::vector<std::string>{"refs/heads/main", "refs/tags/v1"});
  CHECK(found[1]["tips"].empty());

  RunResult text = repo.leakgate({"history"});
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.out, Catch::Contains("secret.env:1:7: ") && Catch::Contains("still in feature"));
  CHECK_THAT(text.out, Catch::Contains("main.env:1:7: ") &&
                           Catch::Contains("deleted but reachable from main, v1"));
}

TEST_CASE("history says a secret that only a dangling commit holds has no refs and no tips",
          "[history][provenance][whereabouts]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("leak.env", "TOKEN=" + kToken3 + "\n");
  std::string dangling = repo.commit_all("oops");
  repo.git({"reset", "-q", "--hard", "HEAD~1"});

  RunResult r = history_json(repo, {"--all-objects"});

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["commit"] == dangling);
  CHECK(found[0]["reachable"] == false);
  CHECK(found[0]["refs"].empty());
  CHECK(found[0]["tips"].empty());
}

TEST_CASE("history counts a detached HEAD as a branch tip and refs/stash as a ref only",
          "[history][provenance][whereabouts]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.git({"checkout", "-q", "--detach"});
  repo.write("detached.env", "TOKEN=" + kToken1 + "\n");
  std::string detached = commit_at(repo, "on a detached HEAD", "2024-05-02T10:00:00Z");
  repo.write("stashed.env", "TOKEN=" + kToken2 + "\n");
  repo.git({"add", "stashed.env"});
  repo.git({"stash", "-q"});
  std::string stash_index = repo.git({"rev-parse", "refs/stash^2"});

  RunResult r = history_json(repo);

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  REQUIRE(found.size() == 2);
  CHECK(found[0]["commit"] == detached);
  CHECK(strings(found[0]["refs"]) == std::vector<std::string>{"HEAD", "refs/stash"});
  CHECK(strings(found[0]["tips"]) == std::vector<std::string>{"HEAD"});
  CHECK(found[1]["commit"] == stash_index);
  CHECK(found[1]["path"] == "stashed.env");
  CHECK(strings(found[1]["refs"]) == std::vector<std::string>{"refs/stash"});
  CHECK(found[1]["tips"].empty());
}

// Regression test; this was a bug (history.cpp, scan_history): with --branch (or A..B), --all-objects walks every commit
// outside the scope as "dangling", so a commit another branch reaches is reported
// `reachable: false` while its `refs` name that branch.
TEST_CASE("history never calls a commit a ref reaches unreachable, whatever the scope",
          "[history][provenance][whereabouts]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  commit_at(repo, "start", "2024-05-01T10:00:00Z");
  repo.git({"checkout", "-q", "-b", "other"});
  repo.write("other.env", "TOKEN=" + kToken1 + "\n");
  std::string other = commit_at(repo, "other branch", "2024-05-02T10:00:00Z");
  repo.git({"checkout", "-q", "main"});
  repo.write("leak.env", "TOKEN=" + kToken2 + "\n");
  std::string dangling = commit_at(repo, "oops", "2024-05-03T10:00:00Z");
  repo.git({"reset", "-q", "--hard", "HEAD~1"});

  RunResult r = history_json(repo, {"--branch", "main", "--all-objects"});

  CHECK(r.exit_code == 1);
  auto found = findings_of(report(r));
  std::map<std::string, nlohmann::json> by_commit;
  for (const auto& f : found) by_commit[f["commit"].get<std::string>()] = f;
  REQUIRE(by_commit.count(dangling) == 1);
  CHECK(by_commit[dangling]["reachable"] == false);
  CHECK(by_commit[dangling]["refs"].empty());
  for (const auto& f : found) {
    INFO(f.dump());
    CHECK(f["reachable"] == !f["refs"].empty());
  }
  if (by_commit.count(other)) CHECK(by_commit[other]["reachable"] == true);
}

// ---------------------------------------------------------------------------------------------
// Scope: --branch, A..B, --since

TEST_CASE("history --branch sweeps only the history of the refs it names",
          "[history][provenance][scope]") {
  TempRepo repo;
  repo.write("base.env", "TOKEN=" + kToken1 + "\n");
  std::string base = commit_at(repo, "start", "2024-05-01T10:00:00Z");
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("feature.env", "TOKEN=" + kToken2 + "\n");
  std::string feature = commit_at(repo, "feature", "2024-05-02T10:00:00Z");
  repo.git({"checkout", "-q", "main"});
  repo.write("main.env", "TOKEN=" + kToken3 + "\n");
  std::string on_main = commit_at(repo, "main", "2024-05-03T10:00:00Z");
  repo.git({"tag", "-a", "-m", "release", "v1"});
  repo.git({"checkout", "-q", "-b", "stray"});
  repo.write("stray.env", "TOKEN=" + kToken4 + "\n");
  commit_at(repo, "stray", "2024-05-04T10:00:00Z");
  repo.git({"checkout", "-q", "main"});

  auto commits_of = [&](const std::vector<std::string>& extra) {
    RunResult r = history_json(repo, extra);
    CHECK(r.exit_code == 1);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& f : findings_of(report(r))) out.emplace_back(f["commit"], f["path"]);
    return out;
  };
  using Places = std::vector<std::pair<std::string, std::string>>;
  CHECK(commits_of({"--branch", "feature"}) ==
        Places{{base, "base.env"}, {feature, "feature.env"}});
  CHECK(commits_of({"--branch", "main"}) == Places{{base, "base.env"}, {on_main, "main.env"}});
  CHECK(commits_of({"--branch", "refs/tags/v1"}) ==
        Places{{base, "base.env"}, {on_main, "main.env"}});
  CHECK(commits_of({"--branch", "main", "--branch", "feature"}) ==
        Places{{base, "base.env"}, {feature, "feature.env"}, {on_main, "main.env"}});
  RunResult one = history_json(repo, {"--branch", "feature"});
  CHECK(report(one)["summary"]["commits"] == 2);

  RunResult bad = history_json(repo, {"--branch", "no-such-branch"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("no-such-branch"));
}

TEST_CASE("history A..B scans only the blobs that commits in B and not in A introduced",
          "[history][provenance][scope]") {
  TempRepo repo;
  repo.write("old.env", "TOKEN=" + kToken1 + "\n");
  std::string old = commit_at(repo, "old token", "2024-05-01T10:00:00Z");
  repo.git({"rm", "-q", "old.env"});
  repo.write("README.md", "# app\n");
  std::string a = commit_at(repo, "remove it", "2024-05-02T10:00:00Z");
  repo.git({"checkout", "-q", "-b", "feature"});
  repo.write("new.env", "TOKEN=" + kToken2 + "\n");
  std::string added = commit_at(repo, "new token", "2024-05-03T10:00:00Z");
  repo.write("old.env", "TOKEN=" + kToken1 + "\n");  // the very blob A's history holds
  commit_at(repo, "restore the old file", "2024-05-04T10:00:00Z");
  repo.write("new.env", "# edited\nTOKEN=" + kToken2 + "\n");
  commit_at(repo, "edit", "2024-05-05T10:00:00Z");
  repo.git({"checkout", "-q", "main"});

  SECTION("A is a commit, B a branch") {
    RunResult r = repo.leakgate({"history", "--format", "json", a + "..feature"});
    CHECK(r.exit_code == 1);
    nlohmann::json j = report(r);
    auto found = findings_of(j);
    REQUIRE(found.size() == 1);  // old.env's blob is A's: already known, not scanned again
    CHECK(found[0]["commit"] == added);
    CHECK(found[0]["path"] == "new.env");
    CHECK(found[0]["versions"] == 2);
    CHECK(j["summary"]["files"] == 2);  // the two versions of new.env
  }
  SECTION("A is a branch, B a commit") {
    RunResult r = repo.leakgate({"history", "--format", "json", "main.." + added});
    CHECK(r.exit_code == 1);
    auto found = findings_of(report(r));
    REQUIRE(found.size() == 1);
    CHECK(found[0]["commit"] == added);
    CHECK(found[0]["versions"] == 1);
  }
  SECTION("A is the root commit, as a revision expression") {
    RunResult r = repo.leakgate({"history", "--format", "json", old + "~0..feature"});
    auto found = findings_of(report(r));
    REQUIRE(found.size() == 1);
    CHECK(found[0]["commit"] == added);
  }
  SECTION("nothing new in B") {
    RunResult r = repo.leakgate({"history", "--format", "json", "feature..main"});
    CHECK(r.exit_code == 0);
    nlohmann::json j = report(r);
    CHECK(findings_of(j).empty());
    CHECK(j["summary"]["files"] == 0);
  }
  SECTION("A names no revision") {
    RunResult r = repo.leakgate({"history", "--format", "json", "no-such..feature"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("no-such"));
  }
}

// Regression test; this was a bug (history.cpp, scan_history): the commits A's history holds are walked to learn which
// blobs are known, and counted in the summary's `commits` ("1 secret in 5 commits" for a range
// of one commit).
TEST_CASE("history A..B counts only the commits in the range",
          "[history][provenance][scope]") {
  TempRepo repo;
  for (int i = 0; i < 4; ++i) {
    repo.write("count.txt", std::to_string(i) + "\n");
    commit_at(repo, "bump", fmt::format("2024-05-0{}T10:00:00Z", i + 1));
  }
  repo.write("new.env", "TOKEN=" + kToken2 + "\n");
  commit_at(repo, "token", "2024-05-06T10:00:00Z");

  RunResult r = repo.leakgate({"history", "--format", "json", "HEAD~1..HEAD"});

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  CHECK(findings_of(j).size() == 1);
  CHECK(j["summary"]["commits"] == 1);
}

TEST_CASE("history --since skips the blobs that commits before the date introduced",
          "[history][provenance][scope]") {
  TempRepo repo;
  repo.write("old.env", "TOKEN=" + kToken1 + "\n");
  repo.write("kept.env", "TOKEN=" + kToken3 + "\n");
  commit_at(repo, "old tokens", "2024-01-10T10:00:00Z");
  repo.write("new.env", "TOKEN=" + kToken2 + "\n");
  std::string added = commit_at(repo, "new token", "2024-03-10T10:00:00Z");
  // A new version of kept.env, after the date, still holds its token: that blob is in scope.
  repo.write("kept.env", "# edited\nTOKEN=" + kToken3 + "\n");
  std::string edited = commit_at(repo, "edit", "2024-04-10T10:00:00Z");

  std::string since =
      GENERATE(as<std::string>{}, "2024-02-01", "2024-02-01T00:00:00Z", "@1706745600");
  INFO("--since " << since);
  RunResult r = history_json(repo, {"--since", since});

  CHECK(r.exit_code == 1);
  nlohmann::json j = report(r);
  auto found = findings_of(j);
  REQUIRE(found.size() == 2);
  CHECK(found[0]["commit"] == added);
  CHECK(found[0]["path"] == "new.env");
  CHECK(found[1]["commit"] == edited);
  CHECK(found[1]["path"] == "kept.env");
  CHECK(found[1]["line"] == 2);
  CHECK(j["summary"]["files"] == 2);

  RunResult later = history_json(repo, {"--since", "2024-05-01"});
  CHECK(later.exit_code == 0);
  CHECK(findings_of(report(later)).empty());

  RunResult bad = history_json(repo, {"--since", "last tuesday"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--since"));
}

// ---------------------------------------------------------------------------------------------
// --cache

TEST_CASE("history --cache skips blobs a sweep found clean, until the configuration changes",
          "[history][provenance][cache]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.write("src/main.c", "int main(void) { return 0; }\n");
  repo.write("vendor/acme.txt", "ACME_KEY=acme_0f3a9c1b7e2d4a6f8b0c1d2e3f4a5b6c\n");
  repo.write("app.env", "TOKEN=" + kToken1 + "\n");
  std::string first = commit_at(repo, "start", "2024-05-01T10:00:00Z");
  std::string cache = repo / ".git/leakgate/scan-cache";
  auto sweep = [&](std::vector<std::string> extra = {}) {
    extra.push_back("--cache");
    RunResult r = history_json(repo, extra);
    CHECK(r.exit_code == 1);
    return report(r);
  };

  nlohmann::json cold = sweep();
  CHECK(cold["summary"]["files"] == 4);
  REQUIRE(fs::exists(cache));
  CHECK((fs::status(cache).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));

  nlohmann::json warm = sweep();
  CHECK(warm["summary"]["files"] == 1);  // only app.env, which holds a secret
  CHECK(places(warm) == places(cold));
  CHECK(places(warm) ==
        std::vector<std::tuple<std::string, std::string, int>>{{first, "app.env", 1}});

  // New commits: only their new blobs are read.
  repo.write("docs/guide.md", "# guide\n");
  repo.write("late.env", "TOKEN=" + kToken2 + "\n");
  std::string late = commit_at(repo, "more", "2024-05-02T10:00:00Z");
  nlohmann::json more = sweep();
  CHECK(more["summary"]["files"] == 3);  // app.env, and the two new blobs
  CHECK(places(more) == std::vector<std::tuple<std::string, std::string, int>>{
                            {first, "app.env", 1}, {late, "late.env", 1}});

  // Without --cache, everything is read, and the cache is left alone.
  RunResult plain = history_json(repo);
  CHECK(report(plain)["summary"]["files"] == 6);

  // A rule of the user's own: the cache was made without it, so it no longer counts.
  repo.write(".leakgate.toml",
             "[[rules]]\n"
             "id = \"acme-api-key\"\n"
             "name = \"ACME API key\"\n"
             "pattern = '''\\b(acme_[0-9a-f]{32})\\b'''\n"
             "keywords = [\"acme_\"]\n"
             "examples = [\"ACME_KEY=acme_0f3a9c1b7e2d4a6f8b0c1d2e3f4a5b6c\"]\n");
  nlohmann::json changed = sweep();
  CHECK(changed["summary"]["files"] == 6);
  auto acme = findings_of(changed, "acme-api-key");
  REQUIRE(acme.size() == 1);
  CHECK(acme[0]["commit"] == first);
  CHECK(acme[0]["path"] == "vendor/acme.txt");

  // And a rule disabled: again a new cache.
  nlohmann::json rewarm = sweep();
  CHECK(rewarm["summary"]["files"] == 3);  // app.env, late.env, vendor/acme.txt
  repo.write(".leakgate.toml", "disable = [\"" + kClickUp + "\"]\n");
  RunResult disabled = repo.leakgate({"history", "--format", "json", "--cache"});
  nlohmann::json without = report(disabled);
  CHECK(findings_of(without).empty());
  CHECK(without["summary"]["files"] == 6);
}

TEST_CASE("history --cache says in the summary how many blobs it skipped",
          "[history][provenance][cache]") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.write("src/main.c", "int main(void) { return 0; }\n");
  repo.write("app.env", "TOKEN=" + kToken1 + "\n");
  repo.commit_all("start");

  RunResult cold = history_json(repo, {"--cache"});
  nlohmann::json s = report(cold)["summary"];
  REQUIRE(s.contains("cached"));
  CHECK(s["cached"] == 0);
  RunResult warm = history_json(repo, {"--cache"});
  s = report(warm)["summary"];
  CHECK(warm.exit_code == 1);
  CHECK(s["cached"] == 2);
  CHECK(s["files"] == 1);
  CHECK(s["complete"] == true);
}
