// The pieces the hook sources share: git's pre-push lines, added-line sets, and the commit
// message's scissors line.
#include <catch2/catch.hpp>

#include "git/lines.h"
#include "git/push.h"
#include "input/message.h"

using namespace leakgate;

TEST_CASE("pre-push lines parse into the four fields git gives, CRLF and blank lines tolerated") {
  std::string a(40, 'a'), z(40, '0');
  auto u = git::parse_push_updates("refs/heads/main " + a + " refs/heads/main " + z +
                                   "\r\n\n(delete) " + z + " refs/heads/old " + a + "\n");
  REQUIRE(u.ok());
  REQUIRE(u->size() == 2);
  CHECK((*u)[0].local_ref == "refs/heads/main");
  CHECK((*u)[0].local_sha == a);
  CHECK((*u)[0].remote_ref == "refs/heads/main");
  CHECK((*u)[0].remote_sha == z);
  CHECK((*u)[1].local_ref == "(delete)");
  CHECK(git::parse_push_updates("").value().empty());
}

TEST_CASE("a pre-push line without four fields and two object ids is an error quoting it") {
  auto u = git::parse_push_updates("refs/heads/main abc refs/heads/main def\n");
  REQUIRE_FALSE(u.ok());
  CHECK(u.error().message ==
        "pre-push: cannot read 'refs/heads/main abc refs/heads/main def': expected '<local ref> "
        "<local sha> <remote ref> <remote sha>'");
}

TEST_CASE("added lines intersect as ranges; a whole file intersects as the other side") {
  git::AddedLines a{false, {{1, 3}, {7, 9}}};
  git::AddedLines b{false, {{2, 8}}};
  auto both = git::intersect(a, b);
  REQUIRE(both.ranges.size() == 2);
  CHECK((both.ranges[0].first == 2 && both.ranges[0].last == 3));
  CHECK((both.ranges[1].first == 7 && both.ranges[1].last == 8));
  CHECK(git::intersect(git::AddedLines{true, {}}, b).ranges.size() == 1);
  CHECK(git::intersect(a, git::AddedLines{false, {{4, 6}}}).none());
}

TEST_CASE("a commit message ends at git's scissors line, whatever the comment character") {
  CHECK(input::before_scissors("fix\n# ------------------------ >8 ------------------------\n"
                               "diff\n") == "fix\n");
  CHECK(input::before_scissors("fix\n; ------------------------ >8 ------------------------\n") ==
        "fix\n");
  CHECK(input::before_scissors("fix\n------------------------ >8 ------------------------\n") ==
        "fix\n------------------------ >8 ------------------------\n");
}
