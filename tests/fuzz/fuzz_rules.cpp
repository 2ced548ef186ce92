// Fuzz target: the rule-file parser (`leakgate rules check FILE`), then the linter, which
// compiles every pattern and runs every example through the real engine.
#include <cstdint>
#include <string_view>

#include "engine/lint.h"
#include "rules/catalogue.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leakgate;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto catalogue = rules::Catalogue::parse(text, "rules.toml");
  if (!catalogue) return 0;
  engine::LintOptions options;
  options.require_examples = false;
  options.require_remediation = false;
  (void)engine::lint(*catalogue, options);
  return 0;
}
