#include "engine/matcher.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>

#include <re2/re2.h>

#include "engine/prefilter.h"

namespace leakgate::engine {
namespace {

// How far a window may reach along one line from a keyword hit. Secrets are shorter than
// this; minified files have lines of megabytes, which must not each be searched whole.
constexpr std::size_t kLineReach = 4096;

std::vector<std::string> all_keywords(const std::vector<rules::Rule>& rules,
                                      std::vector<std::vector<std::uint32_t>>& owners) {
  std::vector<std::string> keywords;
  for (std::uint32_t r = 0; r < rules.size(); ++r) {
    for (const std::string& k : rules[r].keywords) {
      std::string lower(k);
      for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
      auto it = std::find(keywords.begin(), keywords.end(), lower);
      std::size_t idx = std::size_t(it - keywords.begin());
      if (it == keywords.end()) {
        keywords.push_back(lower);
        owners.emplace_back();
      }
      if (std::find(owners[idx].begin(), owners[idx].end(), r) == owners[idx].end()) {
        owners[idx].push_back(r);
      }
    }
  }
  return keywords;
}

std::size_t line_start(std::string_view text, std::size_t pos) {
  std::size_t limit = pos > kLineReach ? pos - kLineReach : 0;
  while (pos > limit && text[pos - 1] != '\n') --pos;
  return pos;
}

std::size_t line_end(std::string_view text, std::size_t pos) {
  std::size_t limit = std::min(text.size(), pos + kLineReach);
  const void* nl = std::memchr(text.data() + pos, '\n', limit - pos);
  return nl ? std::size_t(static_cast<const char*>(nl) - text.data()) + 1 : limit;
}

struct Window {
  std::size_t lo, hi;
};

}  // namespace

struct Matcher::Impl {
  struct Compiled {
    std::once_flag once;
    std::unique_ptr<RE2> re;
    std::string error;
  };

  std::vector<rules::Rule> rules;
  std::vector<std::vector<std::uint32_t>> owners;  // keyword -> rules that use it
  Prefilter prefilter;
  std::unique_ptr<Compiled[]> compiled;
  std::atomic<std::size_t> compiled_count{0};

  explicit Impl(std::vector<rules::Rule> r)
      : rules(std::move(r)),
        prefilter(all_keywords(rules, owners)),
        compiled(new Compiled[rules.size()]) {}

  const Compiled& get(std::size_t i) {
    Compiled& c = compiled[i];
    std::call_once(c.once, [&] {
      RE2::Options opt;
      opt.set_encoding(RE2::Options::EncodingLatin1);
      opt.set_log_errors(false);
      opt.set_max_mem(64 << 20);
      auto re = std::make_unique<RE2>(rules[i].pattern, opt);
      if (!re->ok()) {
        c.error = fmt::format("{}: rule '{}': pattern does not compile: {}", rules[i].origin,
                              rules[i].id, re->error());
      } else if (re->NumberOfCapturingGroups() != 1) {
        c.error = fmt::format("{}: rule '{}': pattern must have exactly one capture group "
                              "(the secret), it has {}",
                              rules[i].origin, rules[i].id, re->NumberOfCapturingGroups());
      } else {
        c.re = std::move(re);
      }
      compiled_count.fetch_add(1, std::memory_order_relaxed);
    });
    return c;
  }
};

Matcher::Matcher(std::vector<rules::Rule> rules) : impl_(std::make_unique<Impl>(std::move(rules))) {}
Matcher::~Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;

const std::vector<rules::Rule>& Matcher::rules() const { return impl_->rules; }

std::size_t Matcher::compiled_count() const {
  return impl_->compiled_count.load(std::memory_order_relaxed);
}

Status Matcher::compile(std::size_t i) const {
  const auto& c = impl_->get(i);
  if (!c.re) return Error{c.error};
  return {};
}

Status Matcher::scan(std::string_view text, std::vector<Match>& out) const {
  const auto& rules = impl_->rules;
  // Windows per rule, merged as they come: hits arrive in order, so windows do too.
  std::vector<std::vector<Window>> windows(rules.size());
  std::vector<std::uint32_t> active;
  impl_->prefilter.scan(text, [&](std::uint32_t k, std::size_t end) {
    std::size_t begin = end - impl_->prefilter.keyword_length(k);
    for (std::uint32_t r : impl_->owners[k]) {
      std::size_t ctx = rules[r].context;
      std::size_t lo = line_start(text, begin > ctx ? begin - ctx : 0);
      std::size_t hi = line_end(text, std::min(text.size(), end + ctx));
      auto& w = windows[r];
      if (w.empty()) active.push_back(r);
      if (!w.empty() && lo <= w.back().hi) {
        w.back().lo = std::min(w.back().lo, lo);
        w.back().hi = std::max(w.back().hi, hi);
      } else {
        w.push_back({lo, hi});
      }
    }
  });

  std::sort(active.begin(), active.end());
  re2::StringPiece whole(text.data(), text.size());
  re2::StringPiece groups[2];
  for (std::uint32_t r : active) {
    const auto& c = impl_->get(r);
    if (!c.re) return Error{c.error};
    for (const Window& w : windows[r]) {
      std::size_t pos = w.lo;
      while (pos < w.hi && c.re->Match(whole, pos, w.hi, RE2::UNANCHORED, groups, 2)) {
        std::size_t mb = std::size_t(groups[0].data() - text.data());
        std::size_t me = mb + groups[0].size();
        if (groups[1].data() != nullptr && !groups[1].empty()) {
          std::size_t sb = std::size_t(groups[1].data() - text.data());
          out.push_back({r, sb, sb + groups[1].size(), mb, me});
        }
        pos = me > pos ? me : pos + 1;
      }
    }
  }
  return {};
}

}  // namespace leakgate::engine
