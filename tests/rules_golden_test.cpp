// The built-in catalogue as `leakgate rules list` prints it, pinned in tests/data: adding,
// removing or retuning a rule is a visible diff in review. After a deliberate change:
//   build/hook/leakgate rules list > tests/data/rules_list.golden
#include <catch2/catch.hpp>

#include "support/temp_repo.h"

using namespace leakgate::test;

TEST_CASE("rules list matches the golden file of the built-in catalogue") {
  TempDir empty;  // no .leakgate.toml here: the built-in rules only
  RunResult r = leakgate::test::leakgate({"rules", "list"}, {empty.path(), {}, ""});
  REQUIRE(r.exit_code == 0);
  std::string golden = slurp(std::string(LEAKGATE_SOURCE_DIR) + "/tests/data/rules_list.golden");
  REQUIRE_FALSE(golden.empty());
  CHECK(r.out == golden);
}

TEST_CASE("the built-in catalogue passes its own linter: every example and negative example") {
  TempDir empty;
  RunResult r = leakgate::test::leakgate({"rules", "check"}, {empty.path(), {}, ""});
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("216 rules, 0 problems"));
}
