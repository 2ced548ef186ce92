// Test support for end-to-end tests: the fabricated secrets they plant, and reading the JSON
// report of a run. Every secret here is fabricated (the ClickUp rule's own examples).
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/temp_repo.h"

namespace leakgate::test {

// ClickUp personal tokens, as lib/rules/builtin/clickup.toml's examples; and how the reports
// print them redacted (a prefix of at most a sixth of the secret, and its length).
inline const std::string kToken1 = "pk_52601815_D6NCF10EPF91DHODZDOC9IS0J8HT9LGM";
inline const std::string kToken1Redacted = "pk_5260\u2026(44 chars)";
inline const std::string kToken2 = "pk_5181909_N581U33XTPLPFT75V2SEH60KVJ50CE9U";
inline const std::string kToken2Redacted = "pk_5181\u2026(43 chars)";
inline const std::string kToken3 = "pk_559797114_4EDT2SYWB3WKH5DNSIPZZ5FK2Z9RI19R";
inline const std::string kToken4 = "pk_65632_FLJOOA5LQSAJ08XUI6D39ZZZZG4ZDMEN";
inline const std::string kToken5 = "pk_721590109281_XBENYJQWX4HH5344TFJGVQ4K7BN7XJ8B";

inline const std::string kClickUp = "clickup-personal-token";

// The date every TempRepo commit carries, as the reports print it.
inline const std::string kTestDate = "2024-05-01T12:00:00+00:00";

// Runs the binary under test outside any TempRepo (`leakgate` alone would be ambiguous with the
// namespace in files that use leakgate::test).
inline RunResult run_leakgate(const std::vector<std::string>& args, const RunOptions& o = {}) {
  return leakgate(args, o);
}

// Parses a run's standard output as the JSON report; fails the test when it is not one.
inline nlohmann::json report(const RunResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  REQUIRE(j.is_object());
  REQUIRE(j.at("version") == 1);
  REQUIRE(j.at("findings").is_array());
  REQUIRE(j.at("summary").is_object());
  return j;
}

// The findings of one rule, in report order. Other built-in rules may be added to the catalogue
// at any time; the tests count only the rules they are about.
inline std::vector<nlohmann::json> findings_of(const nlohmann::json& report,
                                               const std::string& rule = kClickUp) {
  std::vector<nlohmann::json> out;
  for (const auto& f : report.at("findings")) {
    if (f.at("rule") == rule) out.push_back(f);
  }
  return out;
}

// A finding's secret as the report printed it.
inline std::string secret_of(const nlohmann::json& finding) {
  return finding.at("secret").get<std::string>();
}

// The lines of a text, without their newlines.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

}  // namespace leakgate::test
