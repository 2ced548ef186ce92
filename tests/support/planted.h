// Test support for the report tests: a repository with fabricated secrets planted where a
// report could leak them. Every secret here is fabricated (lib/rules/builtin/clickup.toml's
// own examples).
#pragma once

#include <string>
#include <vector>

#include "support/findings.h"
#include "support/temp_repo.h"

namespace leakgate::test {

inline const std::string kClientSecret =
    "8ZK0V3QF7MB2XN4RT9WY6HD1CJ5PLGSAE0UVQK3R7TXM2NB9F4WDY6HJ1CZ5LPGA";
inline const std::string kClientRule = "clickup-oauth-client-secret";

// Every secret plant() puts in the repository.
inline const std::vector<std::string> kPlanted = {kToken1, kToken2, kToken3,
                                                  kToken4, kToken5, kClientSecret};

// The path with a space, a '#' and non-ASCII text, which a SARIF URI must escape.
inline const std::string kOddPath = "dir with space/caf\u00e9 #1.txt";

// One commit whose files put secrets where a report could leak them: two on one line, two rules
// on one line, an allowlisted one beside a reported one, one far into a long line, one after
// non-ASCII text in an odd path.
inline void plant(const TempRepo& repo) {
  repo.write(".leakgate.toml", "[allow]\nsecrets = ['^pk_65632_']\n");
  repo.write("two.env", "A=" + kToken1 + " B=" + kToken2 + "\n");
  repo.write("mixed.env", "CLICKUP_CLIENT_SECRET=" + kClientSecret + " # " + kToken3 + "\n");
  repo.write("allowed.env", "fixture " + kToken4 + " real " + kToken5 + "\n");
  repo.write("long.js", std::string(300, 'x') + " " + kToken1 + " " + std::string(100, 'y') + "\n");
  repo.write(kOddPath, "\u00e9\u00e9 " + kToken2 + "\n");
  repo.commit_all("plant");
}

// Stages one more file for `leakgate staged`, again two secrets on one line.
inline void stage_more(const TempRepo& repo) {
  repo.write("staged.env", "S=" + kToken3 + " T=" + kToken5 + "\n");
  repo.git({"add", "staged.env"});
}

// The planted secrets that appear in full in `text`.
inline std::vector<std::string> leaked(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& s : kPlanted) {
    if (text.find(s) != std::string::npos) out.push_back(s);
  }
  return out;
}

}  // namespace leakgate::test
