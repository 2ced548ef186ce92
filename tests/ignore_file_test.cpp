// .leakgateignore: parsing, and end to end through git commit: entries keyed by fingerprint keep
// working as lines move and stop when a different secret takes the place; `leakgate ignore`
// appends, `leakgate ignore --unused` lists the stale ones. And the inline markers, through git.
#include "config/ignore_file.h"

#include <catch2/catch.hpp>

#include "engine/finding.h"
#include "support/findings.h"
#include "support/temp_repo.h"

using namespace leakgate;
using namespace leakgate::test;

namespace {

const std::string kFp1 = engine::fingerprint(kClickUp, kToken1);
const std::string kFp2 = engine::fingerprint(kClickUp, kToken2);

void install(const TempRepo& repo) { REQUIRE(repo.leakgate({"install"}).exit_code == 0); }

RunResult commit(const TempRepo& repo, const std::string& message) {
  repo.git({"add", "-A"});
  return repo.git_result({"commit", "-q", "-m", message});
}

}  // namespace

TEST_CASE("an ignore file holds fingerprints, optional path globs and comments") {
  auto f = config::IgnoreFile::parse(
      "# header\n\n0a1b2c3d4e5f60718293a4b5\n"
      "ffffffffffffffffffffffff tests/data/**  # fixtures\n"
      "  1234567890abcdef docs/my notes.md#1 # spaces in a path\n",
      ".leakgateignore");
  REQUIRE(f.ok());
  REQUIRE(f->entries().size() == 3);
  CHECK(f->entries()[0].ignore.fingerprint == "0a1b2c3d4e5f60718293a4b5");
  CHECK(f->entries()[0].ignore.path.empty());
  CHECK(f->entries()[0].line == 3);
  CHECK(f->entries()[1].ignore.path == "tests/data/**");
  CHECK(f->entries()[1].comment == "fixtures");
  CHECK(f->entries()[2].ignore.path == "docs/my notes.md#1");
  CHECK(f->entries()[2].line == 5);
}

TEST_CASE("a line that is not a fingerprint is an error naming file and line") {
  auto f =
      config::IgnoreFile::parse("0a1b2c3d4e5f60718293a4b5\nAKIA-not-hex\n", "x/.leakgateignore");
  REQUIRE_FALSE(f.ok());
  CHECK(f.error().message ==
        "x/.leakgateignore:2: 'AKIA-not-hex' is not a fingerprint (16 to 64 lower-case hex "
        "digits, as leakgate prints them)");
}

TEST_CASE("an ignored fingerprint keeps working when its line moves and the file is edited") {
  TempRepo repo;
  install(repo);
  repo.write(".leakgateignore", kFp1 + "  # the staging token, rotated\n");
  repo.write("app.env", "TOKEN=" + kToken1 + "\n");
  RunResult first = commit(repo, "known token");
  INFO(first.err);
  REQUIRE(first.exit_code == 0);

  repo.write("app.env", "# settings\nDEBUG=1\n\nAPI_TOKEN=\"" + kToken1 + "\"  # moved, edited\n");
  RunResult moved = commit(repo, "move it");
  INFO(moved.err);
  CHECK(moved.exit_code == 0);

  repo.write("app.env", "# settings\nDEBUG=1\n\nAPI_TOKEN=\"" + kToken2 + "\"\n");
  RunResult other = commit(repo, "another token");
  CHECK(other.exit_code == 1);
  CHECK_THAT(other.err,
             Catch::Contains("app.env:4:12: clickup-personal-token: " + kToken2Redacted));
}

TEST_CASE("an ignore entry with a path glob applies only under that path") {
  TempRepo repo;
  install(repo);
  repo.write(".leakgateignore", kFp1 + " fixtures/**\n");
  repo.write("fixtures/a.env", "TOKEN=" + kToken1 + "\n");
  RunResult ok = commit(repo, "fixture");
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  repo.write("src/a.env", "TOKEN=" + kToken1 + "\n");
  RunResult blocked = commit(repo, "outside");
  CHECK(blocked.exit_code == 1);
  CHECK_THAT(blocked.err, Catch::Contains("src/a.env:1:7"));
}

TEST_CASE("the ignore file applies to history and scan too") {
  TempRepo repo;
  repo.write("a.env", "T=" + kToken1 + "\nU=" + kToken2 + "\n");
  repo.commit_all("two");
  repo.write(".leakgateignore", kFp1 + "\n");

  auto history = findings_of(report(repo.leakgate({"history", "--format", "json"})));
  REQUIRE(history.size() == 1);
  CHECK(history[0]["fingerprint"] == kFp2);
  auto scan = findings_of(report(repo.leakgate({"scan", "--format", "json", "a.env"})));
  REQUIRE(scan.size() == 1);
  CHECK(scan[0]["fingerprint"] == kFp2);
}

TEST_CASE("a blocked commit prints the leakgate ignore command for its findings") {
  TempRepo repo;
  install(repo);
  repo.write("a.env", "T=" + kToken1 + "\n");
  RunResult r = commit(repo, "leak");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("    leakgate ignore " + kFp1 + "\n"));
}

TEST_CASE("leakgate ignore appends entries, skips known ones and rejects malformed ones") {
  TempRepo repo;
  RunResult r = repo.leakgate({"ignore", kFp1, kFp2, "--reason", "rotated 2024-05"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "leakgate: added 2 entries to " + repo / ".leakgateignore" + "\n");
  std::string header =
      "# leakgate: known secrets to ignore, one a line: <fingerprint> [path-glob]  # why\n"
      "# The fingerprint is a hash of rule and secret (leakgate prints it with each finding), so "
      "an\n"
      "# entry keeps working as lines move and stops working when a different secret appears.\n";
  CHECK(repo.read(".leakgateignore") ==
        header + kFp1 + "  # rotated 2024-05\n" + kFp2 + "  # rotated 2024-05\n");

  std::string before = repo.read(".leakgateignore");
  RunResult again = repo.leakgate({"ignore", kFp1});
  CHECK(again.exit_code == 0);
  CHECK(again.out == "leakgate: " + kFp1 + " is already ignored\n");
  CHECK(repo.read(".leakgateignore") == before);

  RunResult narrowed = repo.leakgate({"ignore", kFp1, "--path", "docs/**"});
  CHECK(narrowed.exit_code == 0);
  CHECK(repo.read(".leakgateignore") == before + kFp1 + " docs/**\n");

  RunResult bad = repo.leakgate({"ignore", "pk_not_a_fingerprint"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err ==
        "leakgate: 'pk_not_a_fingerprint' is not a fingerprint (16 to 64 lower-case hex digits, "
        "as leakgate prints them)\n");
}

TEST_CASE("leakgate ignore --unused lists the entries that match nothing any more") {
  TempRepo repo;
  std::string stale = engine::fingerprint(kClickUp, kToken3);
  repo.write("a.env", "T=" + kToken1 + "\n");
  repo.write("b.env", "T=" + kToken2 + "\n");
  repo.write(".leakgateignore", "# known\n" + kFp1 + "\n" + kFp2 + " other/**  # wrong place\n" +
                                    stale + "  # removed long ago\n");
  repo.commit_all("files");

  RunResult r = repo.leakgate({"ignore", "--unused"});
  CHECK(r.exit_code == 1);
  std::string file = repo / ".leakgateignore";
  CHECK(r.out == file + ":3: " + kFp2 + " other/**  # wrong place\n" + file + ":4: " + stale +
                     "  # removed long ago\n");
  CHECK(r.err == "leakgate: 2 entries match nothing in the tracked files any more; remove them\n");

  repo.write(".leakgateignore", kFp1 + "\n" + kFp2 + " *.env\n");
  RunResult clean = repo.leakgate({"ignore", "--unused"});
  CHECK(clean.exit_code == 0);
  CHECK(clean.out.empty());
}

TEST_CASE("ignore --unused --history counts secrets only history still holds") {
  TempRepo repo;
  repo.write("old.env", "T=" + kToken1 + "\n");
  repo.commit_all("old");
  repo.git({"rm", "-q", "old.env"});
  repo.write(".leakgateignore", kFp1 + "\n");
  repo.commit_all("removed");

  CHECK(repo.leakgate({"ignore", "--unused"}).exit_code == 1);
  CHECK(repo.leakgate({"ignore", "--unused", "--history"}).exit_code == 0);
}

TEST_CASE("leakgate:allow on the line and leakgate:allow-next-line above it let a commit through") {
  TempRepo repo;
  install(repo);
  repo.write("a.py", "TOKEN = '" + kToken1 +
                         "'  # leakgate:allow\n"
                         "# leakgate:allow-next-line\n"
                         "OTHER = '" +
                         kToken2 + "'\n");
  RunResult ok = commit(repo, "allowed");
  INFO(ok.err);
  CHECK(ok.exit_code == 0);

  repo.write("b.py", "# leakgate:allow-next-line\n\nTOKEN = '" + kToken3 + "'\n");
  RunResult blocked = commit(repo, "two lines below the marker");
  CHECK(blocked.exit_code == 1);
  CHECK_THAT(blocked.err, Catch::Contains("b.py:3:10"));
}
