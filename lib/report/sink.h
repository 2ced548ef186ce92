// Sinks: where findings go, as they are made. A history sweep streams through a sink; nothing
// waits for the whole scan unless the format needs it (text grouped for a terminal, SARIF and
// JUnit buffer; text for a pipe, JSON, JSON Lines and CSV stream). docs/formats.md describes
// every format.
//
//   auto sink = report::make_sink(report::Format::json, options, stdout, stderr);
//   sink->finding(f);   // as many times as there are findings; summary.add(f) each time
//   sink->finish(summary);
//
// Every format redacts secrets, in the snippet of the line too, unless options.show_secrets.
#pragma once

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "engine/finding.h"
#include "engine/stats.h"

namespace leakgate::report {

enum class Format { text, json, jsonl, sarif, csv, junit };
std::optional<Format> parse_format(std::string_view s);
std::string_view to_string(Format f);
inline constexpr const char* kFormatNames[] = {"text", "json", "jsonl", "sarif", "csv", "junit"};

struct Options {
  bool show_secrets = false;
  bool quiet = false;    // text: findings only, no summary
  bool color = false;    // text: ANSI colour
  bool grouped = false;  // text: one block per secret with its places (a terminal)
  // Also print the text summary on `err` although the format carries one (the report goes to
  // a file). Text and CSV always print it there.
  bool text_summary = false;
  std::string mode;          // "staged", "history", "scan": shapes the summary's words
  std::string tool_version;  // SARIF and JUnit name the version that wrote them
  std::string root;          // absolute directory that relative paths start from; may be empty
};

struct Summary {
  std::size_t findings = 0;
  double seconds = 0;
  engine::ScanStats stats;
  std::map<std::string, std::size_t> by_rule;
  std::map<std::string, std::size_t> by_confidence;
  std::size_t reachable = 0, unreachable = 0;  // history findings, by whether a ref reaches them
  std::set<std::string> fingerprints;          // one per distinct secret

  // Counts a finding; call it for every finding the sink is given.
  void add(const engine::Finding& f);
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void finding(const engine::Finding& f) = 0;
  virtual void finish(const Summary& summary) = 0;
};

// `out` receives the report; text summaries go to `err` so that stdout stays one finding a line.
std::unique_ptr<Sink> make_sink(Format format, const Options& options, std::FILE* out,
                                std::FILE* err);

}  // namespace leakgate::report
