// SARIF 2.1.0: the structure is checked against the rules of the OASIS specification for every
// property leakgate writes; each check names the property whose rule it applies. (The same logs
// pass the SARIF Multitool validator's SARIF and GitHub ingestion rules; that tool is not a
// build dependency.) The tests run the real binary over planted, fabricated secrets.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <regex>
#include <set>

#include "report/redact.h"
#include "support/findings.h"
#include "support/planted.h"
#include "support/temp_repo.h"

using namespace leakgate;
using namespace leakgate::test;
using nlohmann::json;

namespace {

bool is_string(const json& j) { return j.is_string() && !j.get<std::string>().empty(); }

// RFC 3986: only unreserved, reserved and percent-encoded characters (SARIF: URI-valued
// properties).
bool is_uri_reference(const std::string& s) {
  static const std::regex chars(R"(^([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$)");
  if (!std::regex_match(s, chars)) return false;
  // A relative reference cannot have a colon in its first segment (RFC 3986, section 4.2).
  std::size_t colon = s.find(':');
  std::size_t slash = s.find('/');
  bool has_scheme = std::regex_search(s, std::regex(R"(^[A-Za-z][A-Za-z0-9+.\-]*:)"));
  return has_scheme || colon == std::string::npos || (slash != std::string::npos && slash < colon);
}

bool is_absolute_uri(const std::string& s) {
  return is_uri_reference(s) && std::regex_search(s, std::regex(R"(^[A-Za-z][A-Za-z0-9+.\-]*:)"));
}

// multiformatMessageString.text is required.
void check_multiformat(const json& m) {
  REQUIRE(m.is_object());
  CHECK(is_string(m.at("text")));
  if (m.contains("markdown")) CHECK(m.at("markdown").is_string());
}

bool is_level(const json& j) {
  return j == "none" || j == "note" || j == "warning" ||
         j == "error";  // result.level, reportingConfiguration.level
}

void check_region(const json& r) {
  REQUIRE(r.is_object());
  CHECK(r.at("startLine").get<long>() >= 1);  // region.startLine: 1-based
  long start_line = r.at("startLine");
  long end_line = r.value("endLine", start_line);
  CHECK(end_line >= start_line);  // region.endLine
  if (r.contains("startColumn"))
    CHECK(r.at("startColumn").get<long>() >= 1);  // region.startColumn: 1-based
  if (r.contains("endColumn")) {
    CHECK(r.at("endColumn").get<long>() >= 1);  // region.endColumn
    if (end_line == start_line && r.contains("startColumn")) {
      CHECK(r.at("endColumn").get<long>() >= r.at("startColumn").get<long>());
    }
  }
  if (r.contains("snippet"))
    CHECK(r.at("snippet").at("text").is_string());  // region.snippet: an artifactContent
}

// physicalLocation.contextRegion: a proper superset of physicalLocation.region.
void check_context(const json& region, const json& context) {
  check_region(context);
  CHECK(context.at("startLine") <= region.at("startLine"));
  CHECK(context.at("endLine") >= region.at("endLine"));
  CHECK_FALSE(context.contains("startColumn"));  // whole lines: larger than any part of them
}

void check_result(const json& res, const json& rules, const json& base_ids) {
  REQUIRE(res.is_object());
  CHECK(is_string(res.at("message").at("text")));  // result.message: a text (or an id)
  REQUIRE(is_string(res.at("ruleId")));            // result.ruleId
  std::size_t index = res.at("ruleIndex");         // result.ruleIndex: agrees with ruleId
  REQUIRE(index < rules.size());
  CHECK(rules[index].at("id") == res.at("ruleId"));
  CHECK(is_level(res.at("level")));
  if (res.contains("locations")) {
    REQUIRE(res.at("locations").is_array());  // result.locations
    for (const auto& loc : res.at("locations")) {
      const json& phys = loc.at("physicalLocation");  // location.physicalLocation
      const json& art = phys.at("artifactLocation");  // artifactLocation or address is required
      std::string uri = art.at("uri");
      CHECK(is_uri_reference(uri));  // artifactLocation.uri: a URI reference
      if (art.contains("uriBaseId")) {
        CHECK_FALSE(is_absolute_uri(uri));  // uriBaseId: only with a relative reference
        if (!base_ids.is_null()) CHECK(base_ids.contains(art.at("uriBaseId").get<std::string>()));
      } else {
        CHECK(is_absolute_uri(uri));
      }
      check_region(phys.at("region"));
      if (phys.contains("contextRegion"))
        check_context(phys.at("region"), phys.at("contextRegion"));
    }
  }
  if (res.contains("partialFingerprints")) {  // result.partialFingerprints: string values
    for (const auto& [k, v] : res.at("partialFingerprints").items()) {
      CHECK(k.find('/') != std::string::npos);  // a versioned name, "name/v1"
      CHECK(is_string(v));
    }
  }
  if (res.contains("properties"))
    CHECK(res.at("properties").is_object());  // a property bag is an object
}

void check_rule(const json& rule) {
  CHECK(is_string(rule.at("id")));  // reportingDescriptor.id is required
  if (rule.contains("name")) {
    // reportingDescriptor.name: an identifier an end user understands, as the spec's examples.
    CHECK(
        std::regex_match(rule.at("name").get<std::string>(), std::regex("^[A-Za-z][A-Za-z0-9]*$")));
  }
  for (const char* m : {"shortDescription", "fullDescription", "help"}) {
    if (rule.contains(m)) check_multiformat(rule.at(m));  // multiformatMessageStrings
  }
  if (rule.contains("helpUri"))
    CHECK(is_absolute_uri(rule.at("helpUri")));  // reportingDescriptor.helpUri: an absolute URI
  if (rule.contains("defaultConfiguration")) {
    CHECK(is_level(rule.at("defaultConfiguration").at("level")));  // defaultConfiguration.level
  }
  if (rule.contains("properties") && rule.at("properties").contains("tags")) {
    const json& tags = rule.at("properties").at("tags");  // property bag tags: unique strings
    std::set<std::string> seen;
    for (const auto& t : tags) CHECK(seen.insert(t.get<std::string>()).second);
  }
}

// Every rule of the specification that applies to what leakgate writes.
void check_sarif(const json& log) {
  REQUIRE(log.is_object());
  CHECK(log.at("version") == "2.1.0");        // sarifLog.version
  CHECK(is_absolute_uri(log.at("$schema")));  // sarifLog.$schema: an absolute URI
  REQUIRE(log.at("runs").is_array());         // sarifLog.runs is required
  for (const auto& run : log.at("runs")) {
    const json& driver = run.at("tool").at("driver");  // run.tool.driver is required
    CHECK(is_string(driver.at("name")));               // toolComponent.name is required
    if (driver.contains("semanticVersion")) {          // toolComponent.semanticVersion: SemVer 2.0
      CHECK(std::regex_match(
          driver.at("semanticVersion").get<std::string>(),
          std::regex(R"(^\d+\.\d+\.\d+(-[0-9A-Za-z.\-]+)?(\+[0-9A-Za-z.\-]+)?$)")));
    }
    const json rules = driver.value("rules", json::array());  // toolComponent.rules
    std::set<std::string> ids;
    for (const auto& rule : rules) {
      check_rule(rule);
      CHECK(ids.insert(rule.at("id").get<std::string>()).second);  // each rule once
    }
    json base_ids =
        run.value("originalUriBaseIds", json());  // run.originalUriBaseIds: absolute, ending in "/"
    if (!base_ids.is_null()) {
      for (const auto& [id, loc] : base_ids.items()) {
        std::string uri = loc.at("uri");
        CHECK(is_absolute_uri(uri));
        CHECK(uri.back() == '/');
      }
    }
    // run.columnKind: required when the run has results from text artifacts.
    if (!run.at("results").empty()) CHECK(run.contains("columnKind"));
    if (run.contains("columnKind")) {
      CHECK((run.at("columnKind") == "utf16CodeUnits" ||
             run.at("columnKind") == "unicodeCodePoints"));
    }
    for (const auto& inv : run.value("invocations", json::array())) {
      CHECK(inv.at("executionSuccessful")
                .is_boolean());  // invocation.executionSuccessful is required
      for (const auto& n : inv.value("toolExecutionNotifications", json::array())) {
        CHECK(is_string(n.at("message").at("text")));  // notification.message
        CHECK(is_level(n.at("level")));                // notification.level
      }
    }
    REQUIRE(run.at("results").is_array());  // run.results
    for (const auto& res : run.at("results")) check_result(res, rules, base_ids);
  }
}

json sarif_of(const RunResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  json j = json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  check_sarif(j);
  return j;
}

// The results at `path`, in report order.
std::vector<json> results_at(const json& log, const std::string& uri) {
  std::vector<json> out;
  for (const auto& r : log["runs"][0]["results"]) {
    if (r.contains("locations") &&
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri) {
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a history sweep's SARIF follows the 2.1.0 rules for every field leakgate writes") {
  TempRepo repo;
  plant(repo);
  RunResult r = repo.leakgate({"history", "--format", "sarif"});
  CHECK(r.exit_code == 1);
  json log = sarif_of(r);
  const json& run = log["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "leakgate");
  CHECK(run["columnKind"] == "unicodeCodePoints");
  CHECK(run["invocations"][0]["executionSuccessful"] == true);

  // Only the rules that found something, each with how to rotate what it finds.
  const json& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == 2);
  std::set<std::string> ids;
  for (const auto& rule : rules) {
    ids.insert(rule["id"].get<std::string>());
    CHECK_THAT(rule["help"]["text"].get<std::string>(),
               Catch::Contains("ClickUp: Settings > Apps") && Catch::Contains("Revoke or rotate"));
    CHECK_THAT(rule["helpUri"].get<std::string>(), Catch::StartsWith("https://clickup.com/"));
  }
  CHECK(ids == std::set<std::string>{kClickUp, kClientRule});

  // Level from confidence; the commit and the fingerprint of each result.
  nlohmann::json j = test::report(repo.leakgate({"history", "--format", "json"}));
  REQUIRE(run["results"].size() == j["findings"].size());
  std::string head = repo.head();
  for (std::size_t i = 0; i < run["results"].size(); ++i) {
    const json& res = run["results"][i];
    const json& f = j["findings"][i];
    CHECK(res["ruleId"] == f["rule"]);
    CHECK(res["level"] == (f["confidence"] == "high" ? "error" : "warning"));
    CHECK(res["partialFingerprints"]["leakgateFingerprint/v1"] == f["fingerprint"]);
    CHECK(res["properties"]["commit"] == head);
    CHECK(res["properties"]["reachable"] == true);
    const json& region = res["locations"][0]["physicalLocation"]["region"];
    CHECK(region["startLine"] == f["line"]);
  }
  CHECK(leaked(r.out + r.err).empty());
}

TEST_CASE("SARIF regions count code points and URIs escape what a path may hold") {
  TempRepo repo;
  plant(repo);
  json log = sarif_of(repo.leakgate({"history", "--format", "sarif"}));
  CHECK(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file://" + repo.path() + "/");
  auto odd = results_at(log, "dir%20with%20space/caf%C3%A9%20%231.txt");
  REQUIRE(odd.size() == 1);
  const json& phys = odd[0]["locations"][0]["physicalLocation"];
  CHECK(phys["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  // "éé " is 5 bytes but 3 code points: the token starts at code point 4.
  CHECK(phys["region"]["startColumn"] == 4);
  CHECK(phys["region"]["endColumn"] == 4 + kToken2.size());
  CHECK(phys["region"]["endLine"] == 1);
}

TEST_CASE("SARIF snippets and messages hide every secret on the line") {
  TempRepo repo;
  plant(repo);
  RunResult r = repo.leakgate({"history", "--format", "sarif"});
  json log = sarif_of(r);
  auto two = results_at(log, "two.env");
  REQUIRE(two.size() == 2);
  const json& phys = two[0]["locations"][0]["physicalLocation"];
  CHECK(phys["region"]["snippet"]["text"] == kToken1Redacted);
  CHECK(phys["contextRegion"]["snippet"]["text"] ==
        "A=" + kToken1Redacted + " B=" + kToken2Redacted);
  CHECK(two[0]["message"]["text"] == "ClickUp personal API token: " + kToken1Redacted +
                                         " (committed in " + repo.head().substr(0, 12) + ")");
  CHECK(two[0]["properties"]["redacted"] == true);
  // The allowlisted token beside a reported one is hidden too.
  auto allowed = results_at(log, "allowed.env");
  REQUIRE(allowed.size() == 1);
  CHECK(allowed[0]["locations"][0]["physicalLocation"]["contextRegion"]["snippet"]["text"] ==
        "fixture " + report::redact(kToken4) + " real " + report::redact(kToken5));
  CHECK(leaked(r.out + r.err).empty());

  RunResult shown = repo.leakgate({"history", "--format", "sarif", "--show-secrets"});
  json full = sarif_of(shown);
  auto two_full = results_at(full, "two.env");
  REQUIRE(two_full.size() == 2);
  const json& p = two_full[1]["locations"][0]["physicalLocation"];
  CHECK(p["region"]["snippet"]["text"] == kToken2);
  CHECK(p["contextRegion"]["snippet"]["text"] == "A=" + kToken1 + " B=" + kToken2);
}

TEST_CASE("a line that is only the secret has no context region, which must be larger") {
  TempRepo repo;
  repo.write("bare.txt", kToken3 + "\n");
  repo.commit_all("bare");
  json log = sarif_of(repo.leakgate({"history", "--format", "sarif"}));
  auto bare = results_at(log, "bare.txt");
  REQUIRE(bare.size() == 1);
  CHECK_FALSE(bare[0]["locations"][0]["physicalLocation"].contains("contextRegion"));
}

TEST_CASE("SARIF marks a dangling blob's result with a null commit, unreachable") {
  TempRepo repo;
  repo.write("README.md", "# app\n");
  repo.commit_all("start");
  repo.write("never.env", "TOKEN=" + kToken2 + "\n");
  repo.git({"add", "never.env"});
  std::string blob = repo.git({"rev-parse", ":never.env"});
  repo.git({"rm", "-q", "--cached", "never.env"});

  json log = sarif_of(repo.leakgate({"history", "--all-objects", "--format", "sarif"}));
  const json& results = log["runs"][0]["results"];
  REQUIRE(results.size() == 1);
  CHECK(results[0]["properties"]["commit"].is_null());
  CHECK(results[0]["properties"]["blob"] == blob);
  CHECK(results[0]["properties"]["reachable"] == false);
  // GitHub rejects a result without a location: it names the loose object.
  const json& art = results[0]["locations"][0]["physicalLocation"]["artifactLocation"];
  std::string uri = art["uri"];
  CHECK(uri == ".git/objects/" + blob.substr(0, 2) + "/" + blob.substr(2));
  CHECK(std::filesystem::exists(repo / uri));
  CHECK_THAT(art["description"]["text"].get<std::string>(), Catch::Contains(blob));
}

TEST_CASE("SARIF of standard input, of a clean scan and of a partial scan is valid too") {
  TempDir dir;
  RunOptions o;
  o.cwd = dir.path();
  o.input = "token: " + kToken5 + "\n";
  RunResult in = test::leakgate({"scan", "-", "--format", "sarif"}, o);
  CHECK(in.exit_code == 1);
  json stdin_log = sarif_of(in);
  REQUIRE(stdin_log["runs"][0]["results"].size() == 1);
  CHECK_FALSE(stdin_log["runs"][0]["results"][0].contains("locations"));
  CHECK(leaked(in.out + in.err).empty());

  TempRepo clean;
  clean.write("README.md", "# nothing here\n");
  clean.commit_all("start");
  RunResult c = clean.leakgate({"history", "--format", "sarif"});
  CHECK(c.exit_code == 0);
  json clean_log = sarif_of(c);
  CHECK(clean_log["runs"][0]["results"].empty());
  CHECK(clean_log["runs"][0]["tool"]["driver"]["rules"].empty());

  o.input.clear();
  RunResult partial = test::leakgate({"scan", "missing.txt", "--format", "sarif"}, o);
  CHECK(partial.exit_code == 2);
  json partial_log = sarif_of(partial);
  const json& inv = partial_log["runs"][0]["invocations"][0];
  CHECK(inv["executionSuccessful"] == false);
  CHECK_THAT(inv["toolExecutionNotifications"][0]["message"]["text"].get<std::string>(),
             Catch::Contains("missing.txt"));
  CHECK(partial_log["runs"][0]["properties"]["leakgate"]["complete"] == false);
}
