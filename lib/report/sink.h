// Sinks: where findings go, as they are made. A history sweep streams through a sink; nothing
// waits for the whole scan unless the format needs it.
//
//   auto sink = report::make_sink(report::Format::json, options, stdout);
//   sink->finding(f);   // as many times as there are findings
//   sink->finish(summary);
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/finding.h"
#include "engine/stats.h"

namespace leakgate::report {

enum class Format { text, json };
std::optional<Format> parse_format(std::string_view s);

struct Options {
  bool show_secrets = false;
  bool quiet = false;   // text: findings only, no summary
  bool color = false;   // text: ANSI colour (a terminal)
  std::string mode;     // "staged", "history", "scan": shapes the summary's words
};

struct Summary {
  std::size_t findings = 0;
  double seconds = 0;
  engine::ScanStats stats;
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
