#include "engine/matcher.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <iterator>
#include <re2/re2.h>

#include "engine/prefilter.h"
#include "rules/catalogue.h"

using namespace leakgate;

namespace {

rules::Rule rule(std::string id, std::string pattern, std::vector<std::string> keywords) {
  rules::Rule r;
  r.id = std::move(id);
  r.pattern = std::move(pattern);
  r.keywords = std::move(keywords);
  r.origin = "test";
  return r;
}

}  // namespace

TEST_CASE("prefilter finds every keyword occurrence case-insensitively, overlaps included") {
  engine::Prefilter p({"pk_", "akia", "kia"});
  std::vector<std::pair<std::uint32_t, std::size_t>> hits;
  p.scan("xxAKIAyy pk_ PK_", [&](std::uint32_t k, std::size_t end) { hits.emplace_back(k, end); });
  REQUIRE(hits.size() == 4);
  CHECK(hits[0] == std::pair<std::uint32_t, std::size_t>{1, 6});
  CHECK(hits[1] == std::pair<std::uint32_t, std::size_t>{2, 6});
  CHECK(hits[2] == std::pair<std::uint32_t, std::size_t>{0, 12});
  CHECK(hits[3] == std::pair<std::uint32_t, std::size_t>{0, 16});
}

TEST_CASE("reports the capture group, not the whole match") {
  engine::Matcher m({rule("t", R"(token=([a-z]{4}))", {"token"})});
  std::vector<engine::Match> out;
  std::string text = "a\ntoken=abcd\n";
  REQUIRE(m.scan(text, out).ok());
  REQUIRE(out.size() == 1);
  CHECK(text.substr(out[0].begin, out[0].end - out[0].begin) == "abcd");
  CHECK(text.substr(out[0].match_begin, out[0].match_end - out[0].match_begin) == "token=abcd");
}

TEST_CASE("a rule runs only where its keyword occurs and compiles on first use") {
  engine::Matcher m({rule("a", "(aaa[0-9])", {"aaa"}), rule("b", "(bbb[0-9])", {"bbb"})});
  std::vector<engine::Match> out;
  REQUIRE(m.scan("nothing here", out).ok());
  CHECK(m.compiled_count() == 0);
  REQUIRE(m.scan("x bbb1 y", out).ok());
  CHECK(m.compiled_count() == 1);
  REQUIRE(out.size() == 1);
  CHECK(out[0].rule == 1);
}

TEST_CASE("word boundaries see the bytes around the window, not its edges") {
  engine::Matcher m({rule("t", R"(\b(pk_[0-9]+)\b)", {"pk_"})});
  std::vector<engine::Match> out;
  REQUIRE(m.scan("xpk_123 pk_456", out).ok());
  REQUIRE(out.size() == 1);
  CHECK(out[0].begin == 8);
}

TEST_CASE("a pattern that does not compile is an error, not a silent miss") {
  engine::Matcher m({rule("bad", "(unclosed", {"unclosed"})});
  std::vector<engine::Match> out;
  Status s = m.scan("unclosed", out);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.error().message, Catch::Contains("bad") && Catch::Contains("does not compile"));
}

TEST_CASE("a pattern without exactly one capture group is an error") {
  engine::Matcher m({rule("two", "(a)(b)", {"ab"})});
  std::vector<engine::Match> out;
  Status s = m.scan("ab", out);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.error().message, Catch::Contains("exactly one capture group"));
}

TEST_CASE("matches on a huge single line are found near their keyword") {
  std::string text(5'000'000, 'a');
  text.replace(4'000'000, 8, " pk_777 ");
  engine::Matcher m({rule("t", R"(\b(pk_[0-9]+)\b)", {"pk_"})});
  std::vector<engine::Match> out;
  REQUIRE(m.scan(text, out).ok());
  REQUIRE(out.size() == 1);
  CHECK(out[0].begin == 4'000'001);
}

// Regression (bench/adversarial): each keyword hit searched up to 4 KB back and forth for its
// line, so a line of a million keywords ("pk_pk_pk_...") cost four billion steps.
TEST_CASE("a line of a million keywords is scanned in linear time, and its secret still found") {
  std::string text;
  for (int i = 0; i < 1'000'000; ++i) text += "pk_";
  text += " pk_12345 ";
  engine::Matcher m({rule("t", R"(\b(pk_[0-9]+)\b)", {"pk_"})});
  std::vector<engine::Match> out;
  auto start = std::chrono::steady_clock::now();
  REQUIRE(m.scan(text, out).ok());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  REQUIRE(out.size() == 1);
  CHECK(out[0].begin == 3'000'001);
}

TEST_CASE("the windows around keyword hits find exactly what a search of each line finds") {
  // Lines shorter than the window's reach: every match of the pattern on a line that holds
  // the keyword must be found, once, whatever the mix of hits, lines and secrets.
  const char* pieces[] = {"pk_", "pk_1", "pk_12 ", "xpk_3", "\n", "a", " ", "_", "pk_pk_9", "\n\n"};
  RE2 re(R"(\b(pk_[0-9]+)\b)");
  engine::Matcher m({rule("t", R"(\b(pk_[0-9]+)\b)", {"pk_"})});
  std::uint32_t seed = 7;
  for (int round = 0; round < 300; ++round) {
    std::string text;
    for (int i = 0; i < 200; ++i) {
      seed = seed * 1664525u + 1013904223u;
      text += pieces[(seed >> 16) % std::size(pieces)];
    }
    std::vector<std::size_t> expected;
    re2::StringPiece input(text), group;
    const char* base = text.data();
    while (RE2::FindAndConsume(&input, re, &group)) expected.push_back(std::size_t(group.data() - base));
    std::vector<engine::Match> out;
    REQUIRE(m.scan(text, out).ok());
    std::vector<std::size_t> found;
    for (const auto& match : out) found.push_back(match.begin);
    INFO("text: " << text);
    CHECK(found == expected);
  }
}
