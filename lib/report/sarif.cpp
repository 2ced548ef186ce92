// SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it: one run, its tool
// driver listing the rules that found something (with how to rotate what they find), and one
// result per finding. Buffered: the driver's rules are known only at the end.
//
// Columns are counted in Unicode code points (run.columnKind); a finding on a line longer than
// the few hundred bytes kept with it counts bytes instead. Paths relative to the repository
// (or the current directory, for scans) use the uriBaseId %SRCROOT%.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "report/redact.h"
#include "report/writers.h"

namespace leakgate::report::detail {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kSrcRoot = "%SRCROOT%";

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A path as a URI path: everything but unreserved characters and '/' percent-encoded, so that
// no byte of a path can be read as a scheme, query, fragment or escape.
std::string uri_path(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    out += keep ? std::string(1, char(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

Json artifact_location(const engine::Finding& f) {
  const std::string& path = f.path;
  if (path.empty()) {
    // A blob that no commit holds has no path, but GitHub rejects a result without a location:
    // name the loose object's place in the repository, and say what it is.
    const std::string& id = f.origin.blob;
    return {{"uri", fmt::format(".git/objects/{}/{}", id.substr(0, 2), id.substr(2))},
            {"uriBaseId", kSrcRoot},
            {"description", {{"text", fmt::format("git blob {}, which no commit holds", id)}}}};
  }
  if (path.front() == '/') return {{"uri", "file://" + uri_path(path)}};
  return {{"uri", uri_path(path)}, {"uriBaseId", kSrcRoot}};
}

const char* level(rules::Confidence c) {
  switch (c) {
    case rules::Confidence::high:
      return "error";
    case rules::Confidence::medium:
      return "warning";
    default:
      return "note";
  }
}

// "clickup-personal-token" -> "ClickupPersonalToken": SARIF wants a name that is an identifier.
std::string rule_name(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (c == '-' || c == '_' || c == '.') {
      upper = true;
    } else {
      out += upper && c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
      upper = false;
    }
  }
  return out;
}

constexpr const char* kRotateFirst =
    "Revoke or rotate the secret first: removing it from the code, or even from history, does "
    "not make it safe again, because clones, forks and caches keep the old commits.";

Json rule_json(const rules::Rule& r) {
  std::string text = r.remediation.empty() ? std::string(kRotateFirst)
                                           : fmt::format("{}\n{}", r.remediation, kRotateFirst);
  std::string markdown = fmt::format("**{}**\n\n{}", r.name, text);
  if (!r.references.empty()) {
    text += "\nReferences:";
    markdown += "\n\nReferences:\n";
    for (const auto& ref : r.references) {
      text += " " + ref;
      markdown += fmt::format("\n- <{}>", ref);
    }
  }
  Json j = {
      {"id", r.id},
      {"name", rule_name(r.id)},
      {"shortDescription", {{"text", r.name}}},
      {"fullDescription",
       {{"text", fmt::format("{}: a secret that must not be committed ({} confidence).", r.name,
                             rules::to_string(r.confidence))}}},
      {"help", {{"text", text}, {"markdown", markdown}}},
  };
  if (!r.references.empty() && r.references.front().rfind("https://", 0) == 0) {
    j["helpUri"] = r.references.front();
  }
  j["defaultConfiguration"] = {{"level", level(r.confidence)}};
  j["properties"] = {{"tags", {"security", "secret"}},
                     {"precision", rules::to_string(r.confidence)}};
  return j;
}

// The secret's region, and the line around it when that is more than the secret itself.
Json physical_location(const engine::Finding& f, const Options& o) {
  const std::string& line = f.line_text;
  std::size_t start_column = f.column;
  if (f.line_offset == 0 && f.column - 1 <= line.size()) {
    start_column = 1 + code_points(std::string_view(line).substr(0, f.column - 1));
  }
  std::size_t newlines = std::size_t(std::count(f.secret.begin(), f.secret.end(), '\n'));
  std::size_t end_line = f.line + newlines;
  std::size_t end_column =
      newlines == 0 ? start_column + code_points(f.secret)
                    : 1 + code_points(std::string_view(f.secret).substr(f.secret.rfind('\n') + 1));
  Json j = {{"artifactLocation", artifact_location(f)},
            {"region",
             {{"startLine", f.line},
              {"startColumn", start_column},
              {"endLine", end_line},
              {"endColumn", end_column},
              {"snippet", {{"text", shown(f, o)}}}}}};
  // SARIF requires the context region to be a proper superset of the region.
  if (newlines == 0 && (f.column > 1 || line.size() > f.secret.size())) {
    j["contextRegion"] = {{"startLine", f.line},
                          {"endLine", f.line},
                          {"snippet", {{"text", snippet(f, o.show_secrets)}}}};
  }
  return j;
}

class SarifSink final : public Sink {
 public:
  SarifSink(const Options& o, std::FILE* out) : o_(o), out_(out) {}

  void finding(const engine::Finding& f) override {
    auto [it, added] = rule_index_.try_emplace(f.rule->id, rules_.size());
    if (added) rules_.push_back(rule_json(*f.rule));
    std::string message = fmt::format("{}: {}", f.rule->name, shown(f, o_));
    if (f.from_history && !f.origin.commit.empty()) {
      message += fmt::format(" (committed in {})", f.origin.commit.substr(0, 12));
    }
    Json r = {{"ruleId", f.rule->id},
              {"ruleIndex", it->second},
              {"level", level(f.rule->confidence)},
              {"message", {{"text", message}}}};
    // Standard input has no place to point at.
    if (!f.path.empty() || f.from_history) {
      r["locations"] = Json::array({{{"physicalLocation", physical_location(f, o_)}}});
    }
    r["partialFingerprints"] = {{"leakgateFingerprint/v1", f.fingerprint}};
    Json props = {{"confidence", rules::to_string(f.rule->confidence)},
                  {"redacted", !o_.show_secrets}};
    if (f.from_history) {
      props["commit"] = f.origin.commit.empty() ? Json(nullptr) : Json(f.origin.commit);
      props["author"] = f.origin.author;
      props["email"] = f.origin.email;
      props["date"] = f.origin.date;
      props["blob"] = f.origin.blob;
      props["reachable"] = f.origin.reachable;
    }
    r["properties"] = props;
    results_.push_back(std::move(r));
  }

  void finish(const Summary& s) override {
    Json driver = {{"name", "leakgate"}};
    if (!o_.tool_version.empty()) {
      driver["version"] = o_.tool_version;
      driver["semanticVersion"] = o_.tool_version;
    }
    driver["rules"] = rules_;
    Json run = {{"tool", {{"driver", driver}}}};
    if (!o_.root.empty() && o_.root.front() == '/') {
      std::string root = uri_path(o_.root);
      if (root.back() != '/') root += '/';
      run["originalUriBaseIds"] = {{kSrcRoot, {{"uri", "file://" + root}}}};
    }
    run["invocations"] = Json::array({invocation(s)});
    run["columnKind"] = "unicodeCodePoints";
    run["results"] = results_;
    Json summary = summary_json(s, o_);
    summary["version"] = kSchemaVersion;
    run["properties"] = {{"leakgate", summary}};
    Json log = {{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", Json::array({run})}};
    fmt::print(out_, "{}\n", dump(log, 2));
    std::fflush(out_);
  }

 private:
  static Json invocation(const Summary& s) {
    Json notes = Json::array();
    for (const auto& e : s.stats.errors) {
      notes.push_back({{"level", "error"}, {"message", {{"text", e}}}});
    }
    for (const auto& n : s.stats.notes) {
      notes.push_back({{"level", "note"}, {"message", {{"text", n}}}});
    }
    Json j = {{"executionSuccessful", s.stats.errors.empty()}};
    if (!notes.empty()) j["toolExecutionNotifications"] = notes;
    return j;
  }

  Options o_;
  std::FILE* out_;
  std::map<std::string, std::size_t> rule_index_;
  Json rules_ = Json::array();
  Json results_ = Json::array();
};

}  // namespace

std::unique_ptr<Sink> make_sarif_sink(const Options& o, std::FILE* out) {
  return std::make_unique<SarifSink>(o, out);
}

}  // namespace leakgate::report::detail
