// Fuzz target: the matching engine and its filters over arbitrary bytes, with the built-in
// catalogue, and every report format over what they find.
//
// Besides crashes, it checks the promise every report makes: a finding's line snippet never
// holds its secret in full unless --show-secrets. Each input is scanned twice, whole and as a
// staged change that adds only some lines.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/matcher.h"
#include "engine/scanner.h"
#include "report/redact.h"
#include "report/sink.h"
#include "rules/catalogue.h"

namespace {

using namespace leakgate;

struct Engine {
  std::unique_ptr<engine::Matcher> matcher;
  std::unique_ptr<engine::Scanner> scanner;
  std::FILE* null = nullptr;
};

const Engine& get_engine() {
  static const Engine e = [] {
    Engine out;
    auto catalogue = rules::Catalogue::builtin();
    if (!catalogue) {
      std::fprintf(stderr, "%s\n", catalogue.error().message.c_str());
      std::abort();
    }
    out.matcher = std::make_unique<engine::Matcher>(std::move(catalogue->rules()));
    auto scanner = engine::Scanner::create(*out.matcher, rules::Allowlist{});
    if (!scanner) std::abort();
    out.scanner = std::make_unique<engine::Scanner>(std::move(*scanner));
    out.null = std::fopen("/dev/null", "w");
    return out;
  }();
  return e;
}

void report_all(const Engine& e, const std::vector<engine::Finding>& findings) {
  for (const char* name : report::kFormatNames) {
    report::Options o;
    o.mode = "scan";
    o.tool_version = "fuzz";
    auto sink = report::make_sink(*report::parse_format(name), o, e.null, e.null);
    report::Summary summary;
    for (const auto& f : findings) {
      summary.add(f);
      sink->finding(f);
    }
    sink->finish(summary);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Engine& e = get_engine();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool staged : {false, true}) {
    engine::Chunk chunk{text, "fuzz/input.txt", {}};
    if (staged) chunk.only_lines = {{2, 2}, {4, 7}};
    std::vector<engine::Finding> findings;
    Status s =
        e.scanner->scan(chunk, [&](engine::Finding&& f) { findings.push_back(std::move(f)); });
    if (!s) {
      // The built-in rules all compile: an error here is a bug.
      std::fprintf(stderr, "scan failed: %s\n", s.error().message.c_str());
      std::abort();
    }
    for (const auto& f : findings) {
      if (f.secret.size() >= 8 && report::snippet(f, false).find(f.secret) != std::string::npos) {
        std::fprintf(stderr, "a redacted snippet holds the secret of rule %s\n",
                     f.rule->id.c_str());
        std::abort();
      }
    }
    report_all(e, findings);
  }
  return 0;
}
