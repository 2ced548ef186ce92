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

std::size_t line_end(std::string_view text, std::size_t pos, std::size_t from) {
  std::size_t limit = std::min(text.size(), pos + kLineReach);
  const void* nl = std::memchr(text.data() + from, '\n', limit - from);
  return nl ? std::size_t(static_cast<const char*>(nl) - text.data()) + 1 : limit;
}

std::size_t line_end(std::string_view text, std::size_t pos) { return line_end(text, pos, pos); }

// A rule's windows: spans around its keyword hits, merged where they touch. Hits come in order
// of their end, so a hit inside the last window usually changes little, and what is known of
// that window spares reading the same bytes again: without it, a line of a million keywords
// ("pk_pk_pk_...") made each hit search 4 KB back and forth, and the scan crawl.
struct Window {
  std::size_t lo, hi;
  std::size_t lo_from;  // line_start(lo_from) was the last start worked out, and is >= lo
};

void add_hit(std::string_view text, std::vector<Window>& windows, std::size_t from,
             std::size_t to) {
  if (windows.empty() || from > windows.back().hi) {
    std::size_t lo = line_start(text, from);
    if (windows.empty() || lo > windows.back().hi) {
      windows.push_back({lo, line_end(text, to), from});
      return;
    }
    windows.back().lo_from = from;  // lo is above this window's start: nothing to widen
  }
  Window& w = windows.back();
  // line_start only grows with its argument: from a later place it cannot reach below lo.
  if (from < w.lo_from) {
    w.lo = std::min(w.lo, line_start(text, from));
    w.lo_from = from;
  }
  if (to >= w.hi) {
    w.hi = line_end(text, to);
  } else if (text[w.hi - 1] != '\n') {
    // hi = line_end(p) for an earlier p <= to: no newline lies between to and hi, so the
    // search goes on from hi.
    w.hi = line_end(text, to, w.hi);
  }
}

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
      auto& w = windows[r];
      if (w.empty()) active.push_back(r);
      add_hit(text, w, begin > ctx ? begin - ctx : 0, std::min(text.size(), end + ctx));
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
