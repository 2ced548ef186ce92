#include "report/sink.h"

#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "report/redact.h"

namespace leakgate::report {

std::optional<Format> parse_format(std::string_view s) {
  if (s == "text") return Format::text;
  if (s == "json") return Format::json;
  return std::nullopt;
}

namespace {

std::string shown(const engine::Finding& f, const Options& o) {
  return o.show_secrets ? f.secret : redact(f.secret);
}

// Paths and secrets may hold any bytes; text output shows control characters escaped so a
// crafted path cannot forge lines or terminal sequences.
std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += char(c);
    }
  }
  return out;
}

class TextSink final : public Sink {
 public:
  TextSink(const Options& o, std::FILE* out, std::FILE* err) : o_(o), out_(out), err_(err) {}

  void finding(const engine::Finding& f) override {
    const char* bold = o_.color ? "\033[1m" : "";
    const char* red = o_.color ? "\033[31m" : "";
    const char* dim = o_.color ? "\033[2m" : "";
    const char* reset = o_.color ? "\033[0m" : "";
    std::string where = f.path.empty() ? std::string("(stdin)") : printable(f.path);
    std::string line = fmt::format("{}{}:{}:{}{}: {}{}{}: {}", bold, where, f.line, f.column,
                                   reset, red, f.rule->id, reset, printable(shown(f, o_)));
    if (f.from_history) {
      if (f.origin.commit.empty()) {
        line += fmt::format(" {}(blob {}, in no commit, unreachable){}", dim,
                            f.origin.blob.substr(0, 12), reset);
      } else {
        line += fmt::format(" {}(commit {} {} <{}> {}{}){}", dim, f.origin.commit.substr(0, 12),
                            printable(f.origin.author), printable(f.origin.email),
                            f.origin.date.substr(0, 10),
                            f.origin.reachable ? "" : ", unreachable", reset);
      }
    }
    fmt::print(out_, "{}\n", line);
    std::fflush(out_);
    rules_[f.rule->id] = f.rule;
  }

  void finish(const Summary& s) override {
    if (o_.quiet) return;
    const auto& st = s.stats;
    std::string what = o_.mode == "history"
                           ? fmt::format("{} commits, {} unique blobs", st.commits, st.files)
                           : fmt::format("{} files", st.files);
    fmt::print(err_, "leakgate {}: {} {} in {} ({}) in {:.2f}s", o_.mode, s.findings,
               s.findings == 1 ? "secret" : "secrets", what, format_size(st.bytes), s.seconds);
    if (!st.skipped.empty()) fmt::print(err_, "; {} skipped", st.skipped.size());
    fmt::print(err_, "\n");
    print_skipped(st);
    for (const auto& n : st.notes) fmt::print(err_, "  note: {}\n", n);
    for (const auto& e : st.errors) fmt::print(err_, "  error: {}\n", printable(e));
    if (!st.errors.empty()) {
      fmt::print(err_, "  the scan is incomplete: {} item(s) could not be read\n",
                 st.errors.size());
    }
    for (const auto& [id, rule] : rules_) {
      if (!rule->remediation.empty()) fmt::print(err_, "  {}: {}\n", id, rule->remediation);
    }
  }

 private:
  void print_skipped(const engine::ScanStats& st) const {
    std::map<std::string, std::size_t> by_reason;
    for (const auto& sk : st.skipped) ++by_reason[sk.reason];
    constexpr std::size_t kListed = 10;
    std::size_t listed = 0;
    for (const auto& sk : st.skipped) {
      if (sk.reason == "binary" || sk.reason == "allowlisted path") continue;
      if (listed++ < kListed) fmt::print(err_, "  skipped {}: {}\n", printable(sk.what), sk.reason);
    }
    for (const auto& [reason, n] : by_reason) {
      if (reason == "binary" || reason == "allowlisted path") {
        fmt::print(err_, "  skipped {} {} file(s)\n", n, reason);
      }
    }
  }

  Options o_;
  std::FILE* out_;
  std::FILE* err_;
  std::map<std::string, const rules::Rule*> rules_;
};

// JSON: one object, streamed: {"version":1,"findings":[...],"summary":{...}}.
class JsonSink final : public Sink {
 public:
  JsonSink(const Options& o, std::FILE* out) : o_(o), out_(out) {
    fmt::print(out_, "{{\"version\":1,\"findings\":[");
  }

  void finding(const engine::Finding& f) override {
    nlohmann::json j = {
        {"rule", f.rule->id},
        {"name", f.rule->name},
        {"confidence", rules::to_string(f.rule->confidence)},
        {"path", f.path},
        {"line", f.line},
        {"column", f.column},
        {"secret", shown(f, o_)},
        {"redacted", !o_.show_secrets},
        {"fingerprint", f.fingerprint},
    };
    if (f.from_history) {
      j["commit"] = f.origin.commit.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.origin.commit);
      j["author"] = f.origin.author;
      j["email"] = f.origin.email;
      j["date"] = f.origin.date;
      j["blob"] = f.origin.blob;
      j["reachable"] = f.origin.reachable;
    }
    fmt::print(out_, "{}\n{}", first_ ? "" : ",", dump(j));
    first_ = false;
  }

  void finish(const Summary& s) override {
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& sk : s.stats.skipped) skipped.push_back({{"what", sk.what}, {"reason", sk.reason}});
    nlohmann::json summary = {
        {"mode", o_.mode},
        {"findings", s.findings},
        {"files", s.stats.files},
        {"bytes", s.stats.bytes},
        {"seconds", s.seconds},
        {"skipped", skipped},
        {"errors", s.stats.errors},
        {"notes", s.stats.notes},
        {"complete", s.stats.errors.empty()},
    };
    if (o_.mode == "history") summary["commits"] = s.stats.commits;
    fmt::print(out_, "\n],\"summary\":{}}}\n", dump(summary));
    std::fflush(out_);
  }

 private:
  static std::string dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  Options o_;
  std::FILE* out_;
  bool first_ = true;
};

}  // namespace

std::unique_ptr<Sink> make_sink(Format format, const Options& options, std::FILE* out,
                                std::FILE* err) {
  if (format == Format::json) return std::make_unique<JsonSink>(options, out);
  return std::make_unique<TextSink>(options, out, err);
}

}  // namespace leakgate::report
