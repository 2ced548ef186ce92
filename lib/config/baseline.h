// Baseline: the secrets a project has already accepted (or is rotating), so that a scan with
// `--baseline FILE` reports only what is new.
//
//   {
//     "version": 1,
//     "findings": [
//       {"fingerprint": "0a1b2c3d4e5f60718293a4b5", "rule": "clickup-personal-token",
//        "path": "config/app.env"}
//     ]
//   }
//
// A finding is known when its fingerprint (a hash of rule and secret) is in the baseline;
// rule and path are there for the people who review the file. Nothing that churns on every
// edit is written (no lines, columns, dates or commit ids) and entries are sorted, so the file
// changes only when the set of secrets does.
//
//   auto base = config::Baseline::load("leakgate-baseline.json");
//   if (!base->contains(finding.fingerprint)) sink.finding(finding);
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "base/result.h"
#include "engine/finding.h"

namespace leakgate::config {

struct BaselineEntry {
  std::string fingerprint, rule, path;
  friend bool operator<(const BaselineEntry& a, const BaselineEntry& b) {
    return std::tie(a.path, a.rule, a.fingerprint) < std::tie(b.path, b.rule, b.fingerprint);
  }
  friend bool operator==(const BaselineEntry& a, const BaselineEntry& b) = default;
};

class Baseline {
 public:
  static Result<Baseline> parse(std::string_view json_text, std::string_view source);
  // Reads a file; a missing file is an error (a mistyped --baseline must not hide nothing).
  static Result<Baseline> load(const std::string& path);

  void add(const engine::Finding& f);
  bool contains(std::string_view fingerprint) const;
  const std::set<BaselineEntry>& entries() const { return entries_; }

  // The file's text: stable, sorted, one entry a line.
  std::string to_json() const;
  // Writes the file whole (through a temporary file and a rename).
  Status save(const std::string& path) const;

 private:
  std::set<BaselineEntry> entries_;
  std::set<std::string, std::less<>> fingerprints_;
};

}  // namespace leakgate::config
