#include "base/text.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <limits>

using namespace leakgate;

TEST_CASE("glob_match: ** crosses directories and **/ matches zero or more of them") {
  CHECK(glob_match("tests/data/**", "tests/data/a.env"));
  CHECK(glob_match("tests/data/**", "tests/data/x/y/z.env"));
  CHECK_FALSE(glob_match("tests/data/**", "tests/database/a.env"));
  CHECK_FALSE(glob_match("tests/data/**", "src/tests/data/a.env"));
  CHECK(glob_match("**/secret.txt", "secret.txt"));
  CHECK(glob_match("**/secret.txt", "a/b/secret.txt"));
  CHECK_FALSE(glob_match("**/secret.txt", "a/b/not-secret.txt"));
  CHECK(glob_match("src/**/test_*.py", "src/test_a.py"));
  CHECK(glob_match("src/**/test_*.py", "src/x/y/test_a.py"));
  CHECK(glob_match("**", "any/path/at/all"));
}

TEST_CASE("glob_match: * and ? stay within one path component") {
  CHECK(glob_match("src/*.env", "src/a.env"));
  CHECK_FALSE(glob_match("src/*.env", "src/x/a.env"));
  CHECK(glob_match("src/?.env", "src/a.env"));
  CHECK_FALSE(glob_match("src/?.env", "src/ab.env"));
  CHECK_FALSE(glob_match("src?a.env", "src/a.env"));
  CHECK(glob_match("src/*", "src/a.env"));
}

TEST_CASE("glob_match: a pattern without a slash matches a component anywhere") {
  CHECK(glob_match("*.env", "a.env"));
  CHECK(glob_match("*.env", "deep/dir/a.env"));
  CHECK_FALSE(glob_match("*.env", "a.env.bak"));
  CHECK(glob_match("fixtures", "tests/fixtures/a.txt"));
  CHECK(glob_match("fixtures/", "tests/fixtures/a.txt"));
  CHECK_FALSE(glob_match("fixtures", "tests/fixtures2/a.txt"));
}

TEST_CASE("glob_match: a pattern with a slash is anchored and covers what is below it") {
  CHECK(glob_match("tests/data", "tests/data/a.env"));
  CHECK(glob_match("tests/data/", "tests/data/a.env"));
  CHECK_FALSE(glob_match("tests/data", "src/tests/data/a.env"));
  CHECK(glob_match("./tests/data", "tests/data/a.env"));
}

TEST_CASE("glob_match: a leading slash anchors at the root and covers what is below it") {
  CHECK(glob_match("/build", "build"));
  CHECK(glob_match("/build", "build/out/a.js"));
  CHECK(glob_match("/build/", "build/out/a.js"));
  CHECK_FALSE(glob_match("/build", "src/build/a.js"));
  CHECK(glob_match("/*.env", "a.env"));
  CHECK_FALSE(glob_match("/*.env", "dir/a.env"));
}

TEST_CASE("glob_match: classes, negated classes, ranges and escapes") {
  CHECK(glob_match("file[0-9].txt", "file7.txt"));
  CHECK_FALSE(glob_match("file[0-9].txt", "filex.txt"));
  CHECK(glob_match("file[abc].txt", "fileb.txt"));
  CHECK(glob_match("file[!abc].txt", "filed.txt"));
  CHECK_FALSE(glob_match("file[!abc].txt", "filea.txt"));
  CHECK(glob_match("file[^abc].txt", "filed.txt"));
  CHECK(glob_match("a\\*b", "a*b"));
  CHECK_FALSE(glob_match("a\\*b", "axb"));
}

// Regression (fuzz_paths timeout, tests/fuzz/regressions/paths/timeout-glob-many-stars): a
// pattern of many stars backtracked in time exponential in their number. A repository's own
// .leakgate.toml names the globs, and history hands them every path, so this was a hang anyone
// could plant.
TEST_CASE("glob_match: a pattern of many stars answers at once, not in exponential time") {
  auto start = std::chrono::steady_clock::now();
  std::string stars, deep;
  for (int i = 0; i < 30; ++i) stars += "a*";
  CHECK_FALSE(glob_match(stars + "b", std::string(80, 'a')));
  CHECK(glob_match(stars + "b", std::string(80, 'a') + "b"));
  for (int i = 0; i < 30; ++i) deep += "**/";
  std::string path;
  for (int i = 0; i < 60; ++i) path += "d/";
  CHECK_FALSE(glob_match(deep + "x", path + "y"));
  CHECK(glob_match(deep + "x", path + "x"));
  CHECK_FALSE(glob_match(std::string(60, '*') + "\\x", std::string(200, 'y')));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("parse_size reads plain numbers and binary units in any case") {
  std::size_t n = 0;
  CHECK(parse_size("1000", n));
  CHECK(n == 1000);
  CHECK(parse_size("0", n));
  CHECK(n == 0);
  CHECK(parse_size("7b", n));
  CHECK(n == 7);
  CHECK(parse_size("512k", n));
  CHECK(n == 512u * 1024);
  CHECK(parse_size("10MB", n));
  CHECK(n == 10u << 20);
  CHECK(parse_size("64mib", n));
  CHECK(n == 64u << 20);
  CHECK(parse_size("2 GiB", n));
  CHECK(n == std::size_t(2) << 30);
}

TEST_CASE("parse_size rejects what is not a size and leaves the output alone") {
  std::size_t n = 42;
  for (const char* bad : {"", "MB", "-1", "1.5MB", "10TB", "10 M B", "ten", " 10", "10kbs"}) {
    INFO(bad);
    CHECK_FALSE(parse_size(bad, n));
    CHECK(n == 42);
  }
}

TEST_CASE("parse_size rejects sizes that overflow") {
  std::size_t n = 42;
  CHECK_FALSE(parse_size("99999999999999999999999", n));
  CHECK_FALSE(parse_size("100000000000000 GB", n));
  CHECK_FALSE(parse_size("17179869184 GB", n));  // 2^34 GiB = 2^64 bytes
  CHECK(n == 42);
  CHECK(parse_size("17179869183 GB", n));
  CHECK(n == std::size_t(17179869183) << 30);
}

TEST_CASE("format_size prints bytes, then one decimal of the largest unit") {
  CHECK(format_size(0) == "0 B");
  CHECK(format_size(1023) == "1023 B");
  CHECK(format_size(1024) == "1.0 KB");
  CHECK(format_size(1536) == "1.5 KB");
  CHECK(format_size(std::size_t(64) << 20) == "64.0 MB");
  CHECK(format_size(std::size_t(3) << 30) == "3.0 GB");
}

TEST_CASE("shannon_entropy is in bits per byte") {
  CHECK(shannon_entropy("") == 0);
  CHECK(shannon_entropy("aaaa") == 0);
  CHECK(shannon_entropy("ab") == Approx(1.0));
  CHECK(shannon_entropy("abcd") == Approx(2.0));
  CHECK(shannon_entropy("aabb") == Approx(1.0));
  CHECK(shannon_entropy("aaab") == Approx(0.8112781245));
  std::string all;
  for (int c = 0; c < 256; ++c) all += char(c);
  CHECK(shannon_entropy(all) == Approx(8.0));
  CHECK(shannon_entropy("pk_52601815_D6NCF10EPF91DHODZDOC9IS0J8HT9LGM") > 4.0);
}

TEST_CASE("looks_binary finds a NUL byte in the first 8000 bytes only") {
  CHECK_FALSE(looks_binary(""));
  CHECK_FALSE(looks_binary("plain text\n"));
  CHECK(looks_binary(std::string("ab\0cd", 5)));
  std::string late(8000, 'a');
  late += '\0';
  CHECK_FALSE(looks_binary(late));
  late[7999] = '\0';
  CHECK(looks_binary(late));
}

TEST_CASE("icontains and to_lower ignore ASCII case") {
  CHECK(icontains("Hello World", "WORLD"));
  CHECK(icontains("abc", ""));
  CHECK_FALSE(icontains("ab", "abc"));
  CHECK_FALSE(icontains("Hello", "help"));
  CHECK(to_lower("MiXeD-123") == "mixed-123");
}
