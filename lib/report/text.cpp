// The text report. For a pipe: one line per finding, plain and stable, for grep. For a
// terminal: one block per secret, listing every place it was found, in colour when asked.
// The summary goes to `err` in both, so that `out` holds findings only.
#include "base/text.h"

#include <fmt/format.h>

#include <deque>
#include <map>
#include <vector>

#include "report/redact.h"
#include "report/writers.h"

namespace leakgate::report::detail {
namespace {

struct Style {
  explicit Style(bool on)
      : bold(on ? "\033[1m" : ""),
        red(on ? "\033[31m" : ""),
        dim(on ? "\033[2m" : ""),
        reset(on ? "\033[0m" : "") {}
  const char *bold, *red, *dim, *reset;
};

std::string where(const engine::Finding& f) {
  // A blob that no commit holds has no path; standard input has none either.
  std::string path = !f.path.empty()  ? printable(f.path)
                     : f.from_history ? std::string("(no path)")
                                      : std::string("(stdin)");
  return fmt::format("{}:{}:{}", path, f.line, f.column);
}

// "main, feature, and 3 more refs", without the refs/heads/ and refs/tags/ prefixes.
std::string short_refs(const std::vector<std::string>& refs) {
  constexpr std::size_t kShown = 3;
  std::string out;
  for (std::size_t i = 0; i < refs.size() && i < kShown; ++i) {
    std::string_view r = refs[i];
    for (std::string_view p : {"refs/heads/", "refs/tags/", "refs/remotes/"}) {
      if (r.substr(0, p.size()) == p) r.remove_prefix(p.size());
    }
    out += fmt::format("{}{}", i ? ", " : "", printable(r));
  }
  if (refs.size() > kShown) out += fmt::format(" and {} more", refs.size() - kShown);
  return out;
}

// Where a history finding entered history, or "" for other findings.
std::string provenance(const engine::Finding& f, const Style& s) {
  if (!f.from_history) return "";
  if (f.origin.commit.empty()) {
    return fmt::format(" {}(blob {}, in no commit, unreachable){}", s.dim,
                       f.origin.blob.substr(0, 12), s.reset);
  }
  std::string where;
  if (!f.origin.reachable) {
    where = ", unreachable: only in objects that gc would remove";
  } else if (!f.origin.tips.empty()) {
    where = fmt::format(", still in {}", short_refs(f.origin.tips));
  } else if (!f.origin.refs.empty()) {
    where = fmt::format(", deleted but reachable from {}", short_refs(f.origin.refs));
  }
  return fmt::format(" {}(commit {} {} <{}> {}{}){}", s.dim, f.origin.commit.substr(0, 12),
                     printable(f.origin.author), printable(f.origin.email),
                     f.origin.date.substr(0, 10), where, s.reset);
}

std::string counts(const std::map<std::string, std::size_t>& m) {
  std::string out;
  for (const auto& [key, n] : m) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", key, n);
  return out;
}

class TextSink final : public Sink {
 public:
  TextSink(const Options& o, std::FILE* out, std::FILE* err) : o_(o), out_(out), err_(err) {}

  void finding(const engine::Finding& f) override {
    rules_[f.rule->id] = f.rule;
    if (!out_) return;
    if (o_.grouped) {
      group(f);
      return;
    }
    Style s(o_.color);
    fmt::print(out_, "{}{}{}: {}{}{}: {}{}\n", s.bold, where(f), s.reset, s.red, f.rule->id,
               s.reset, printable(shown(f, o_)), provenance(f, s));
    std::fflush(out_);
  }

  void finish(const Summary& s) override {
    print_groups();
    if (o_.quiet) return;
    print_summary(s);
  }

 private:
  struct Place {
    std::string where, provenance, snippet;
  };
  struct Group {
    const engine::Finding* first;  // owned by `kept_`
    std::vector<Place> places;
  };

  // A terminal gets one block per secret, so the same key committed in ten files reads as one
  // problem with ten places, not ten problems.
  void group(const engine::Finding& f) {
    Style s(o_.color);
    auto [it, added] = index_.try_emplace(f.fingerprint, groups_.size());
    if (added) {
      kept_.push_back(f);
      groups_.push_back({&kept_.back(), {}});
    }
    groups_[it->second].places.push_back(
        {where(f), provenance(f, s), printable(snippet(f, o_.show_secrets))});
  }

  void print_groups() {
    Style s(o_.color);
    for (const Group& g : groups_) {
      const engine::Finding& f = *g.first;
      fmt::print(out_, "{}{}{}{} {}  {}({}, {} confidence, {} place{}){}\n", s.bold, s.red,
                 f.rule->id, s.reset, printable(shown(f, o_)), s.dim, f.rule->name,
                 rules::to_string(f.rule->confidence), g.places.size(),
                 g.places.size() == 1 ? "" : "s", s.reset);
      for (const Place& p : g.places) {
        fmt::print(out_, "  {}{}{}{}\n", s.bold, p.where, s.reset, p.provenance);
        if (!p.snippet.empty()) fmt::print(out_, "    {}{}{}\n", s.dim, p.snippet, s.reset);
      }
    }
    if (!groups_.empty()) std::fflush(out_);
  }

  void print_summary(const Summary& s) const {
    const auto& st = s.stats;
    std::string what = o_.mode == "history"
                           ? fmt::format("{} commits, {} unique blobs{}", st.commits, st.files,
                                         st.cached ? fmt::format(" ({} more known clean from the cache)", st.cached) : "")
                           : fmt::format("{} files", st.files);
    fmt::print(err_, "leakgate {}: {} {} in {} ({}) in {:.2f}s", o_.mode, s.findings,
               s.findings == 1 ? "secret" : "secrets", what, format_size(st.bytes), s.seconds);
    if (!st.skipped.empty()) fmt::print(err_, "; {} skipped", st.skipped.size());
    fmt::print(err_, "\n");
    if (s.findings > 0) {
      fmt::print(err_, "  {} distinct; by rule: {}; by confidence: {}\n", s.fingerprints.size(),
                 counts(s.by_rule), counts(s.by_confidence));
      if (o_.mode == "history") {
        fmt::print(err_, "  {} reachable from a ref, {} unreachable\n", s.reachable, s.unreachable);
      }
    }
    print_skipped(st);
    for (const auto& n : st.notes) fmt::print(err_, "  note: {}\n", n);
    for (const auto& e : st.errors) fmt::print(err_, "  error: {}\n", printable(e));
    if (!st.errors.empty()) {
      fmt::print(err_, "  the scan is incomplete: {} item(s) could not be read\n",
                 st.errors.size());
    }
    // How to revoke or rotate: once per rule found.
    for (const auto& [id, rule] : rules_) {
      if (!rule->remediation.empty()) fmt::print(err_, "  {}: {}\n", id, rule->remediation);
    }
  }

  // Files skipped in bulk (binaries, allowlisted paths) are counted; other skips are listed
  // with their reason, up to a limit.
  void print_skipped(const engine::ScanStats& st) const {
    auto bulk = [](const std::string& reason) {
      return reason == "binary" || reason == "allowlisted path";
    };
    std::map<std::string, std::size_t> by_reason;
    for (const auto& sk : st.skipped) ++by_reason[sk.reason];
    constexpr std::size_t kListed = 10;
    std::size_t listed = 0, unlisted = 0;
    for (const auto& sk : st.skipped) {
      if (bulk(sk.reason)) continue;
      if (listed++ < kListed) {
        fmt::print(err_, "  skipped {}: {}\n", printable(sk.what), sk.reason);
      } else {
        ++unlisted;
      }
    }
    if (unlisted > 0) fmt::print(err_, "  skipped {} more\n", unlisted);
    for (const auto& [reason, n] : by_reason) {
      if (bulk(reason)) fmt::print(err_, "  skipped {} {} file(s)\n", n, reason);
    }
  }

  Options o_;
  std::FILE* out_;
  std::FILE* err_;
  std::map<std::string, const rules::Rule*> rules_;
  std::map<std::string, std::size_t> index_;  // fingerprint -> groups_ index
  std::vector<Group> groups_;
  std::deque<engine::Finding> kept_;  // stable addresses
};

}  // namespace

std::unique_ptr<Sink> make_text_sink(const Options& o, std::FILE* out, std::FILE* err) {
  return std::make_unique<TextSink>(o, out, err);
}

}  // namespace leakgate::report::detail
