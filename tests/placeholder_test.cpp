#include "engine/placeholder.h"

#include <catch2/catch.hpp>

using leakgate::engine::placeholder_reason;

namespace {

std::string reason(std::string_view secret) {
  auto r = placeholder_reason(secret);
  return r ? std::string(*r) : std::string("none");
}

}  // namespace

TEST_CASE("a real-looking token is not a placeholder") {
  CHECK(reason("pk_52601815_D6NCF10EPF91DHODZDOC9IS0J8HT9LGM") == "none");
  CHECK(reason("pk_65632_FLJOOA5LQSAJ08XUI6D39ZZZZG4ZDMEN") == "none");  // a run of four Z
  CHECK(reason("k9Qz2xLw") == "none");
}

TEST_CASE("template syntax marks a placeholder") {
  CHECK(reason("${CLICKUP_API_TOKEN}") == "template syntax");
  CHECK(reason("{{ clickup_token }}") == "template syntax");
  CHECK(reason("<your-token>") == "template syntax");
  CHECK(reason("token>") == "template syntax");
  CHECK(reason("%s") == "template syntax");
  CHECK(reason("%(token)s") == "template syntax");
  CHECK(reason("$(cat /run/secrets/token)") == "template syntax");
}

TEST_CASE("placeholder words mark a placeholder, in any case") {
  CHECK(reason("pk_XXXXXXXX_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX") == "placeholder word");
  CHECK(reason("pk_NEW_TOKEN_HERE_REPLACE_ME") == "placeholder word");
  CHECK(reason("sk_EXAMPLE_9f8e7d") == "placeholder word");
  CHECK(reason("Your_Api_Key") == "placeholder word");
  CHECK(reason("changeme") == "placeholder word");
  CHECK(reason("REDACTED") == "placeholder word");
  CHECK(reason("a-fake-key-q8w7") == "placeholder word");
  CHECK(reason("********") == "placeholder word");
}

TEST_CASE("a bare word such as password or null is a placeholder, but not inside a longer value") {
  CHECK(reason("password") == "placeholder word");
  CHECK(reason("Secret") == "placeholder word");
  CHECK(reason("NULL") == "placeholder word");
  CHECK(reason("none") == "placeholder word");
  CHECK(reason("password9Qz2xLw") == "none");
  CHECK(reason("nonexq8w7") == "none");
}

TEST_CASE("six repeated characters mark a placeholder; five do not") {
  CHECK(reason("pk_111111_Q8W7E6R5") == "repeated characters");
  CHECK(reason("q8wEEEEE7") == "none");
}

TEST_CASE("six sequential characters mark a placeholder; five do not") {
  CHECK(reason("pk_12345678_Q8W7E6R5") == "sequential characters");
  CHECK(reason("pk_12345_Q8W7E6R5") == "none");
  CHECK(reason("zyxwvuQ8") == "sequential characters");
  CHECK(reason("pk_12345678_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345") == "sequential characters");
}

TEST_CASE("sequences do not run across punctuation") { CHECK(reason("123-456-789") == "none"); }

TEST_CASE("runs and sequences do not count in secrets of 100 bytes or more") {
  std::string key_block = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" +
                          std::string(8, 'A') +
                          "q8W7e6R5t4Y3u2I1o0P9a8S7d6F5g4H3j2K1l0Z9x8C7v6B5n4M3";
  REQUIRE(key_block.size() >= 100);
  CHECK(reason(key_block) == "none");
  CHECK(reason(key_block.substr(0, 99)) == "repeated characters");
}
