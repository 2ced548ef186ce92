#include "engine/placeholder.h"

#include <array>
#include <cctype>

#include "base/text.h"

namespace leakgate::engine {
namespace {

// Runs and sequences this long are not random: a 32-character random token holds a run of 6
// with a probability of about 1e-6. Long secrets (key blocks) have structured padding, so the
// run and sequence tests only apply below kStructuredLength.
constexpr std::size_t kRun = 6;
constexpr std::size_t kStructuredLength = 100;

constexpr std::array<std::string_view, 7> kTemplates = {"${", "{{", "<", ">", "%s", "%(", "$("};

constexpr std::array<std::string_view, 16> kWords = {
    "example", "sample",  "dummy",    "changeme",  "change_me", "placeholder",
    "your_",   "your-",   "yourtoken", "redacted", "fake",
    "notreal", "not_real", "insert",  "replace_me", "***"};

constexpr std::array<std::string_view, 9> kWholeValues = {
    "password", "passwd", "pass", "pwd", "secret", "token", "changeme", "null", "none"};

bool has_run(std::string_view s) {
  std::size_t run = 1;
  for (std::size_t i = 1; i < s.size(); ++i) {
    run = s[i] == s[i - 1] ? run + 1 : 1;
    if (run >= kRun) return true;
  }
  return false;
}

bool has_sequence(std::string_view s) {
  std::size_t up = 1, down = 1;
  for (std::size_t i = 1; i < s.size(); ++i) {
    bool alnum = std::isalnum(static_cast<unsigned char>(s[i])) &&
                 std::isalnum(static_cast<unsigned char>(s[i - 1]));
    up = alnum && s[i] == s[i - 1] + 1 ? up + 1 : 1;
    down = alnum && s[i] == s[i - 1] - 1 ? down + 1 : 1;
    if (up >= kRun || down >= kRun) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string_view> placeholder_reason(std::string_view secret) {
  // Public by design: Stripe publishable keys and Mapbox public tokens go into web pages.
  for (std::string_view p : {"pk_live_", "pk_test_", "pk.eyJ"}) {
    if (secret.substr(0, p.size()) == p) return "public key by design";
  }
  // A run of x in one case is a mask; in mixed case it is as random as any other letters.
  if (secret.find("xxxx") != std::string_view::npos ||
      secret.find("XXXX") != std::string_view::npos) {
    return "placeholder word";
  }
  for (std::string_view t : kTemplates) {
    if (secret.find(t) != std::string_view::npos) return "template syntax";
  }
  for (std::string_view w : kWords) {
    if (icontains(secret, w)) return "placeholder word";
  }
  std::string lower = to_lower(secret);
  for (std::string_view v : kWholeValues) {
    if (lower == v) return "placeholder word";
  }
  if (secret.size() < kStructuredLength) {
    if (has_run(secret)) return "repeated characters";
    if (has_sequence(secret)) return "sequential characters";
  }
  return std::nullopt;
}

}  // namespace leakgate::engine
