#include "report/redact.h"

#include <catch2/catch.hpp>

using leakgate::report::redact;
using leakgate::report::redact_in;

TEST_CASE("redact keeps a prefix of a sixth of the secret and says its length") {
  CHECK(redact("pk_52601815_D6NCF10EPF91DHODZDOC9IS0J8HT9LGM") == "pk_5260\u2026(44 chars)");
  CHECK(redact("pk_5181909_N581U33XTPLPFT75V2SEH60KVJ50CE9U") == "pk_5181\u2026(43 chars)");
  CHECK(redact("abcdefghijkl") == "ab\u2026(12 chars)");
}

TEST_CASE("redact keeps at most eight bytes of a long secret") {
  std::string key(300, 'k');
  key[0] = 'A';
  CHECK(redact(key) == "Akkkkkkk\u2026(300 chars)");
}

TEST_CASE("redact shows nothing of a secret shorter than six bytes") {
  CHECK(redact("abcde") == "\u2026(5 chars)");
  CHECK(redact("") == "\u2026(0 chars)");
}

TEST_CASE("redact never cuts a UTF-8 sequence in two") {
  // 30 bytes: the cut at byte 5 would fall inside the two-byte e-acute at bytes 4 and 5.
  std::string secret = "abcd\xc3\xa9" + std::string(24, 'z');
  REQUIRE(secret.size() == 30);
  CHECK(redact(secret) == "abcd\u2026(30 chars)");
}

TEST_CASE("the redacted form never contains the secret") {
  for (std::string s : {"pk_52601815_D6NCF10EPF91DHODZDOC9IS0J8HT9LGM", "x", "short-secret"}) {
    CHECK(redact(s).find(s) == std::string::npos);
  }
}

TEST_CASE("redact_in replaces every occurrence of the secret in a line") {
  const std::string t = "pk_52601815_D6NCF10EPF91DHODZDOC9IS0J8HT9LGM";
  CHECK(redact_in("A=" + t + " B=" + t + ";", t) ==
        "A=pk_5260\u2026(44 chars) B=pk_5260\u2026(44 chars);");
  CHECK(redact_in("nothing here", t) == "nothing here");
  CHECK(redact_in("keep", "") == "keep");
  CHECK(redact_in(t, t) == "pk_5260\u2026(44 chars)");
}
