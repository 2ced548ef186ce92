#include "engine/scanner.h"

#include <algorithm>
#include <map>

#include <re2/re2.h>

#include "base/sha256.h"
#include "base/text.h"
#include "engine/placeholder.h"

namespace leakgate::engine {

std::string fingerprint(std::string_view rule_id, std::string_view secret) {
  std::string input;
  input.reserve(rule_id.size() + 1 + secret.size());
  input.append(rule_id).append(1, '\0').append(secret);
  return sha256_hex(input).substr(0, 24);
}

bool inline_allowed(std::string_view line, std::string_view previous_line) {
  if (line.find("leakgate:allow") != std::string_view::npos &&
      line.find("leakgate:allow-next-line") == std::string_view::npos) {
    return true;
  }
  return line.find("gitleaks:allow") != std::string_view::npos ||
         line.find("pragma: allowlist secret") != std::string_view::npos ||
         previous_line.find("leakgate:allow-next-line") != std::string_view::npos ||
         previous_line.find("pragma: allowlist nextline secret") != std::string_view::npos;
}

namespace {

constexpr const char* kIgnored = "ignored fingerprint";

// Longest line text kept with a finding, around the secret.
constexpr std::size_t kLineTextMax = 240;

struct CompiledAllow {
  std::vector<std::string> paths;
  std::vector<std::unique_ptr<RE2>> secrets, lines;
  std::vector<std::string> stopwords;
};

Result<std::unique_ptr<RE2>> compile_allow(const std::string& pattern, std::string_view where) {
  RE2::Options opt;
  opt.set_encoding(RE2::Options::EncodingLatin1);
  opt.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, opt);
  if (!re->ok()) {
    return make_error("{}: allowlist pattern '{}' does not compile: {}", where, pattern,
                      re->error());
  }
  return re;
}

Result<CompiledAllow> compile(const rules::Allowlist& a, std::string_view where) {
  CompiledAllow c;
  c.paths = a.paths;
  c.stopwords = a.stopwords;
  for (const auto& p : a.secrets) {
    auto re = compile_allow(p, where);
    if (!re) return re.error();
    c.secrets.push_back(std::move(*re));
  }
  for (const auto& p : a.lines) {
    auto re = compile_allow(p, where);
    if (!re) return re.error();
    c.lines.push_back(std::move(*re));
  }
  return c;
}

bool any_path(const std::vector<std::string>& globs, std::string_view path) {
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& g) { return glob_match(g, path); });
}

bool any_line(const CompiledAllow& a, std::string_view line) {
  return std::any_of(a.lines.begin(), a.lines.end(), [&](const std::unique_ptr<RE2>& re) {
    return RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *re);
  });
}

// What the filters find in one line, worked out once for all the matches on it: a minified
// file is one huge line, and searching all of it again for each of its matches made a line of
// many tokens take quadratic time.
class LineFacts {
 public:
  template <class Compute>
  bool get(std::size_t line, const void* key, Compute&& compute) {
    if (line != line_) line_ = line, known_.clear();
    for (const auto& [k, v] : known_) {
      if (k == key) return v;
    }
    bool v = compute();
    known_.emplace_back(key, v);
    return v;
  }

 private:
  std::size_t line_ = 0;
  std::vector<std::pair<const void*, bool>> known_;
};

// Why the allowlist drops this candidate, or nullptr. `listed_line()` says whether one of
// a.lines matches the candidate's line.
template <class ListedLine>
const char* allow_reason(const CompiledAllow& a, std::string_view secret, std::string_view path,
                         ListedLine&& listed_line) {
  if (any_path(a.paths, path)) return "allowlisted path";
  for (const auto& re : a.secrets) {
    if (RE2::PartialMatch(re2::StringPiece(secret.data(), secret.size()), *re)) {
      return "allowlisted secret";
    }
  }
  if (!a.lines.empty() && listed_line()) return "allowlisted line";
  for (const auto& w : a.stopwords) {
    if (icontains(secret, w)) return "stopword";
  }
  return nullptr;
}

struct Line {
  std::size_t number, begin, end;  // 1-based number; [begin, end) excludes the newline
};

// Walks forward through text, turning offsets into lines. Offsets must not decrease.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {}
  Line at(std::size_t offset) {
    while (end_ < offset && end_ < text_.size()) {
      begin_ = end_ + 1;
      ++number_;
      end_ = find_end(begin_);
    }
    return {number_, begin_, end_};
  }

 private:
  std::size_t find_end(std::size_t from) const {
    std::size_t nl = text_.find('\n', from);
    return nl == std::string_view::npos ? text_.size() : nl;
  }
  std::string_view text_;
  std::size_t begin_ = 0, number_ = 1, end_ = find_end(0);
};

std::string_view previous_line(std::string_view text, const Line& l) {
  if (l.begin == 0) return {};
  std::size_t end = l.begin - 1;
  std::size_t begin = text.rfind('\n', end == 0 ? 0 : end - 1);
  begin = (begin == std::string_view::npos || end == 0) ? 0 : begin + 1;
  return text.substr(begin, end - begin);
}

bool touches(const std::vector<LineRange>& ranges, std::size_t first, std::size_t last) {
  auto it = std::lower_bound(ranges.begin(), ranges.end(), first,
                             [](const LineRange& r, std::size_t line) { return r.last < line; });
  return it != ranges.end() && it->first <= last;
}

// The line around the secret, at most kLineTextMax bytes; `from` receives where it starts.
std::string clip_line(std::string_view text, const Line& l, std::size_t secret_begin,
                      std::size_t& from) {
  std::string_view line = text.substr(l.begin, l.end - l.begin);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  from = 0;
  if (line.size() <= kLineTextMax) return std::string(line);
  std::size_t at = secret_begin - l.begin;
  from = at > kLineTextMax / 4 ? at - kLineTextMax / 4 : 0;
  return std::string(line.substr(from, kLineTextMax));
}

// Marks in f.line_text every part that any match holds, whatever the filters later decide: a
// report that shows the line must not reveal another secret on it. `matches` is sorted by
// begin, and none is longer than `longest`.
void mark_line_secrets(Finding& f, std::size_t text_begin, const std::vector<Match>& matches,
                       std::size_t longest) {
  std::size_t to = text_begin + f.line_text.size();
  std::size_t first = text_begin > longest ? text_begin - longest : 0;
  auto it = std::lower_bound(matches.begin(), matches.end(), first,
                             [](const Match& m, std::size_t at) { return m.begin < at; });
  for (; it != matches.end() && it->begin < to; ++it) {
    if (it->end <= text_begin) continue;
    f.line_secrets.push_back(
        {std::max(it->begin, text_begin) - text_begin, std::min(it->end, to) - text_begin});
  }
}

}  // namespace

struct Scanner::Impl {
  const Matcher* matcher;
  CompiledAllow allow;
  std::vector<CompiledAllow> rule_allow;  // per rule index
  std::vector<Ignore> ignores;

  const char* ignore_reason(const std::string& fp, std::string_view path) const {
    for (const Ignore& i : ignores) {
      if (i.fingerprint == fp && (i.path.empty() || glob_match(i.path, path))) {
        return kIgnored;
      }
    }
    return nullptr;
  }
};

Scanner::Scanner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Scanner::~Scanner() = default;
Scanner::Scanner(Scanner&&) noexcept = default;
Scanner& Scanner::operator=(Scanner&&) noexcept = default;

Result<Scanner> Scanner::create(const Matcher& matcher, const rules::Allowlist& allow,
                                std::vector<Ignore> ignores) {
  auto impl = std::make_unique<Impl>();
  impl->matcher = &matcher;
  auto global = compile(allow, "configuration");
  if (!global) return global.error();
  impl->allow = std::move(*global);
  for (const rules::Rule& r : matcher.rules()) {
    auto a = compile(r.allow, r.origin);
    if (!a) return a.error();
    impl->rule_allow.push_back(std::move(*a));
  }
  impl->ignores = std::move(ignores);
  return Scanner(std::move(impl));
}

const Matcher& Scanner::matcher() const { return *impl_->matcher; }

bool Scanner::path_allowed(std::string_view path) const {
  return !path.empty() && any_path(impl_->allow.paths, path);
}

Status Scanner::scan(const Chunk& chunk, const FindingFn& emit,
                     const SuppressedFn* suppressed) const {
  std::vector<Match> matches;
  LEAKGATE_TRY(impl_->matcher->scan(chunk.data, matches));
  if (matches.empty()) return {};

  const auto& rules = impl_->matcher->rules();
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.rule < b.rule;
  });

  // Pass 1, in offset order: locate each candidate and run the filters.
  struct Candidate {
    Finding finding;
    const Match* match;
    const char* reason;
  };
  std::vector<Candidate> candidates;
  std::size_t longest = 0;
  for (const Match& m : matches) longest = std::max(longest, m.end - m.begin);
  const std::string_view text = chunk.data;
  LineCursor cursor(text);
  LineFacts facts;
  const int kInline = 0;  // the key of the inline-comment fact; allowlists are keyed by address
  for (const Match& m : matches) {
    const rules::Rule& rule = rules[m.rule];
    Line line = cursor.at(m.begin);
    std::size_t last_line =
        line.number + std::size_t(std::count(text.begin() + std::ptrdiff_t(m.begin),
                                             text.begin() + std::ptrdiff_t(m.end), '\n'));
    if (!chunk.only_lines.empty() && !touches(chunk.only_lines, line.number, last_line)) {
      continue;  // not part of what is being added: not a candidate at all
    }
    Finding f;
    f.rule = &rule;
    f.secret = std::string(text.substr(m.begin, m.end - m.begin));
    f.path = std::string(chunk.path);
    f.line = line.number;
    f.column = m.begin - line.begin + 1;
    f.line_text = clip_line(text, line, m.begin, f.line_offset);
    mark_line_secrets(f, line.begin + f.line_offset, matches, longest);
    f.fingerprint = fingerprint(rule.id, f.secret);

    std::string_view line_view = text.substr(line.begin, line.end - line.begin);
    auto listed = [&](const CompiledAllow& a) {
      return [&] { return facts.get(line.number, &a, [&] { return any_line(a, line_view); }); };
    };
    const CompiledAllow& rule_allow = impl_->rule_allow[m.rule];
    const char* reason = nullptr;
    if (rule.entropy > 0 && shannon_entropy(f.secret) < rule.entropy) {
      reason = "low entropy";
    } else if (auto why = placeholder_reason(f.secret)) {
      reason = why->data();
    } else if (const char* a = allow_reason(impl_->allow, f.secret, f.path, listed(impl_->allow))) {
      reason = a;
    } else if (const char* ra = allow_reason(rule_allow, f.secret, f.path, listed(rule_allow))) {
      reason = ra;
    } else if (facts.get(line.number, &kInline,
                         [&] { return inline_allowed(line_view, previous_line(text, line)); })) {
      reason = "inline allow comment";
    } else {
      reason = impl_->ignore_reason(f.fingerprint, f.path);
    }
    candidates.push_back({std::move(f), &m, reason});
  }

  // Pass 2: where secrets overlap, the more confident rule wins, then the earlier rule. A
  // candidate dropped by an ignore entry still wins: its fingerprint names rule and secret, and a
  // secret ignored as a ClickUp token must not come back as a generic one. A candidate another
  // filter dropped (entropy, a rule's own allowlist) leaves the place to the next rule.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const char* why = candidates[i].reason;
    if (!why || std::string_view(why) == kIgnored) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Match& ma = *candidates[a].match;
    const Match& mb = *candidates[b].match;
    if (rules[ma.rule].confidence != rules[mb.rule].confidence) {
      return rules[ma.rule].confidence > rules[mb.rule].confidence;
    }
    return ma.rule < mb.rule;
  });
  std::map<std::size_t, std::size_t> taken;  // begin -> end of accepted secrets
  for (std::size_t i : order) {
    const Match& m = *candidates[i].match;
    auto next = taken.lower_bound(m.begin);
    bool overlaps = (next != taken.end() && next->first < m.end) ||
                    (next != taken.begin() && std::prev(next)->second > m.begin);
    if (overlaps) {
      if (!candidates[i].reason) candidates[i].reason = "overlaps a finding of a more specific rule";
    } else {
      taken.emplace(m.begin, m.end);
    }
  }

  // Pass 3, in offset order: report.
  for (Candidate& c : candidates) {
    if (!c.reason) {
      emit(std::move(c.finding));
    } else if (suppressed) {
      (*suppressed)(std::move(c.finding), c.reason);
    }
  }
  return {};
}

}  // namespace leakgate::engine
