// Baselines: the file's stable shape, and `--baseline FILE` reporting only what is new in
// staged, history and scan.
#include "config/baseline.h"

#include <catch2/catch.hpp>

#include "engine/finding.h"
#include "support/findings.h"
#include "support/temp_repo.h"

using namespace leakgate;
using namespace leakgate::test;

namespace {

const std::string kFp1 = engine::fingerprint(kClickUp, kToken1);
const std::string kFp2 = engine::fingerprint(kClickUp, kToken2);

std::string baseline_text(const std::vector<std::pair<std::string, std::string>>& fp_paths) {
  std::string out = "{\n  \"version\": 1,\n  \"findings\": [";
  for (std::size_t i = 0; i < fp_paths.size(); ++i) {
    out += std::string(i ? ",\n    " : "\n    ") + "{\"fingerprint\":\"" + fp_paths[i].first +
           "\",\"path\":\"" + fp_paths[i].second + "\",\"rule\":\"" + kClickUp + "\"}";
  }
  return out + (fp_paths.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

}  // namespace

TEST_CASE("a baseline file is sorted and holds no lines, columns, dates or commits") {
  rules::Rule rule;
  rule.id = kClickUp;
  config::Baseline b;
  engine::Finding f;
  f.rule = &rule;
  f.line = 7;
  f.origin.commit = std::string(40, 'a');
  f.fingerprint = kFp2;
  f.path = "z.env";
  b.add(f);
  f.fingerprint = kFp1;
  f.path = "a.env";
  f.line = 99;
  b.add(f);
  b.add(f);

  CHECK(b.to_json() == baseline_text({{kFp1, "a.env"}, {kFp2, "z.env"}}));
  auto back = config::Baseline::parse(b.to_json(), "b.json");
  REQUIRE(back.ok());
  CHECK(back->entries() == b.entries());
  CHECK(back->contains(kFp1));
  CHECK_FALSE(back->contains(engine::fingerprint(kClickUp, kToken3)));
}

TEST_CASE("a file that is not a baseline is an error naming it") {
  CHECK(config::Baseline::parse("[]", "b.json").error().message ==
        "b.json: not a leakgate baseline (expected a JSON object)");
  CHECK(config::Baseline::parse("{\"version\": 2, \"findings\": []}", "b.json").error().message ==
        "b.json: unsupported baseline version (expected \"version\": 1)");
  CHECK(config::Baseline::parse("{\"version\": 1, \"findings\": [{}]}", "b.json").error().message ==
        "b.json: findings[0] has no \"fingerprint\"");
}

TEST_CASE(
    "baseline create records history and tracked files; update after an edit changes nothing") {
  TempRepo repo;
  repo.write("old.env", "T=" + kToken2 + "\n");
  repo.commit_all("old");
  repo.git({"rm", "-q", "old.env"});
  repo.write("app.env", "T=" + kToken1 + "\n");
  repo.commit_all("now");

  RunResult r = repo.leakgate({"baseline", "create", "leakgate-baseline.json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "leakgate: leakgate-baseline.json: 2 secrets recorded\n");
  std::string created = repo.read("leakgate-baseline.json");
  CHECK(created == baseline_text({{kFp1, "app.env"}, {kFp2, "old.env"}}));

  repo.write("app.env", "# moved down\nDEBUG=1\nT=" + kToken1 + "\n");
  repo.commit_all("edit");
  RunResult u = repo.leakgate({"baseline", "update", "leakgate-baseline.json"});
  REQUIRE(u.exit_code == 0);
  CHECK(u.out == "leakgate: leakgate-baseline.json: 0 new, 2 kept, 0 gone\n");
  CHECK(repo.read("leakgate-baseline.json") == created);

  RunResult again = repo.leakgate({"baseline", "create", "leakgate-baseline.json"});
  CHECK(again.exit_code == 2);
  CHECK(again.err ==
        "leakgate: leakgate-baseline.json already exists; `leakgate baseline update "
        "leakgate-baseline.json` rewrites it\n");
}

TEST_CASE("with --baseline only new secrets are reported, in staged, history and scan") {
  TempRepo repo;
  repo.write("app.env", "T=" + kToken1 + "\n");
  repo.commit_all("known");
  REQUIRE(repo.leakgate({"baseline", "create", "base.json"}).exit_code == 0);
  repo.write("more.env", "A=" + kToken1 + "\nB=" + kToken2 + "\n");
  repo.git({"add", "more.env"});

  for (const char* mode : {"staged", "history", "scan"}) {
    DYNAMIC_SECTION(mode) {
      std::vector<std::string> args = {mode, "--format", "json", "--baseline", "base.json"};
      if (std::string(mode) == "scan") args.push_back("more.env");
      if (std::string(mode) == "history") repo.git({"commit", "-q", "--no-verify", "-m", "more"});
      RunResult r = repo.leakgate(args);
      CHECK(r.exit_code == 1);
      auto j = report(r);
      auto found = findings_of(j);
      REQUIRE(found.size() == 1);
      CHECK(found[0]["fingerprint"] == kFp2);
      // History finds the known token in both files that hold it.
      std::string known = std::string(mode) == "history" ? "2 known secrets" : "1 known secret";
      CHECK(j["summary"]["notes"].back() == known + " in base.json not reported");
    }
  }
}

TEST_CASE(
    "a commit that adds only baselined secrets passes with --baseline; a missing file is an "
    "error") {
  TempRepo repo;
  repo.write("app.env", "T=" + kToken1 + "\n");
  repo.commit_all("known");
  REQUIRE(repo.leakgate({"baseline", "create", "base.json"}).exit_code == 0);
  repo.write("copy.env", "T=" + kToken1 + "\n");
  repo.git({"add", "copy.env"});
  CHECK(repo.leakgate({"staged", "--baseline", "base.json"}).exit_code == 0);
  RunResult missing = repo.leakgate({"staged", "--baseline", "nope.json"});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::StartsWith("leakgate: nope.json: cannot read baseline"));
}
