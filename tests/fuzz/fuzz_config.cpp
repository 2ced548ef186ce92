// Fuzz target: the configuration parser (.leakgate.toml), then everything built from a
// configuration that parses: the effective rules, the user's own patterns compiled, the
// scanner with its allowlists, and a scan of the input itself with all of it.
#include <cstdint>
#include <string_view>

#include "config/config.h"
#include "engine/matcher.h"
#include "engine/scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leakgate;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cfg = config::parse(text, ".leakgate.toml");
  if (!cfg) return 0;
  auto catalogue = config::effective_rules(*cfg);
  if (!catalogue) return 0;
  engine::Matcher matcher(std::move(catalogue->rules()));
  for (std::size_t i = 0; i < matcher.rules().size(); ++i) {
    if (matcher.rules()[i].origin.rfind("builtin:", 0) != 0 && !matcher.compile(i)) return 0;
  }
  auto scanner = engine::Scanner::create(matcher, cfg->allow, cfg->ignores);
  if (!scanner) return 0;
  (void)scanner->scan(engine::Chunk{text, ".leakgate.toml", {}}, [](engine::Finding&&) {});
  return 0;
}
