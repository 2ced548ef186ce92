#include "report/sink.h"

#include <fmt/format.h>

#include "report/redact.h"
#include "report/writers.h"

namespace leakgate::report {

std::optional<Format> parse_format(std::string_view s) {
  for (std::size_t i = 0; i < std::size(kFormatNames); ++i) {
    if (s == kFormatNames[i]) return Format(i);
  }
  return std::nullopt;
}

std::string_view to_string(Format f) { return kFormatNames[std::size_t(f)]; }

void Summary::add(const engine::Finding& f) {
  ++findings;
  ++by_rule[f.rule->id];
  ++by_confidence[std::string(rules::to_string(f.rule->confidence))];
  if (f.from_history) ++(f.origin.reachable ? reachable : unreachable);
  fingerprints.insert(f.fingerprint);
}

namespace detail {

std::string shown(const engine::Finding& f, const Options& o) {
  return o.show_secrets ? f.secret : redact(f.secret);
}

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

namespace {

// The length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  unsigned char d = byte(i + 1);
  if (c == 0xE0 && d < 0xA0) return 0;  // overlong
  if (c == 0xED && d > 0x9F) return 0;  // a UTF-16 surrogate
  if (c == 0xF0 && d < 0x90) return 0;  // overlong
  if (c == 0xF4 && d > 0x8F) return 0;  // beyond U+10FFFF
  return n;
}

}  // namespace

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8_sequence(s, i);
    if (n == 0) {
      out += "\uFFFD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

nlohmann::ordered_json finding_json(const engine::Finding& f, const Options& o) {
  nlohmann::ordered_json j = {
      {"rule", f.rule->id},
      {"name", f.rule->name},
      {"confidence", rules::to_string(f.rule->confidence)},
      {"path", f.path},
      {"line", f.line},
      {"column", f.column},
      {"secret", shown(f, o)},
      {"redacted", !o.show_secrets},
      {"fingerprint", f.fingerprint},
      {"secret_id", f.fingerprint},
      {"snippet", snippet(f, o.show_secrets)},
  };
  if (f.from_history) {
    j["commit"] = f.origin.commit.empty() ? nlohmann::ordered_json(nullptr)
                                          : nlohmann::ordered_json(f.origin.commit);
    j["author"] = f.origin.author;
    j["email"] = f.origin.email;
    j["date"] = f.origin.date;
    j["blob"] = f.origin.blob;
    j["reachable"] = f.origin.reachable;
    j["versions"] = f.origin.versions;
    j["refs"] = f.origin.refs;
    j["tips"] = f.origin.tips;
  }
  return j;
}

nlohmann::ordered_json summary_json(const Summary& s, const Options& o) {
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  std::map<std::string, std::size_t> skipped_by_reason;
  for (const auto& sk : s.stats.skipped) {
    skipped.push_back({{"what", sk.what}, {"reason", sk.reason}});
    ++skipped_by_reason[sk.reason];
  }
  nlohmann::ordered_json j = {
      {"mode", o.mode},
      {"findings", s.findings},
      {"secrets", s.fingerprints.size()},
      {"by_rule", s.by_rule},
      {"by_confidence", s.by_confidence},
      {"files", s.stats.files},
      {"bytes", s.stats.bytes},
      {"seconds", s.seconds},
  };
  if (o.mode == "history") {
    j["commits"] = s.stats.commits;
    j["cached"] = s.stats.cached;
    j["reachable"] = s.reachable;
    j["unreachable"] = s.unreachable;
    j["cached"] = s.stats.cached;
  }
  j["skipped"] = skipped;
  j["skipped_by_reason"] = skipped_by_reason;
  j["errors"] = s.stats.errors;
  j["notes"] = s.stats.notes;
  j["complete"] = s.stats.errors.empty();
  return j;
}

std::string dump(const nlohmann::ordered_json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace detail

namespace {

// Hands everything to two sinks: a report and the text summary beside it.
class TeeSink final : public Sink {
 public:
  TeeSink(std::unique_ptr<Sink> a, std::unique_ptr<Sink> b) : a_(std::move(a)), b_(std::move(b)) {}
  void finding(const engine::Finding& f) override {
    a_->finding(f);
    b_->finding(f);
  }
  void finish(const Summary& s) override {
    a_->finish(s);
    b_->finish(s);
  }

 private:
  std::unique_ptr<Sink> a_, b_;
};

}  // namespace

std::unique_ptr<Sink> make_sink(Format format, const Options& options, std::FILE* out,
                                std::FILE* err) {
  std::unique_ptr<Sink> sink;
  bool text_summary = options.text_summary;
  switch (format) {
    case Format::text:
      return detail::make_text_sink(options, out, err);
    case Format::json:
      sink = detail::make_json_sink(options, out);
      break;
    case Format::jsonl:
      sink = detail::make_jsonl_sink(options, out);
      break;
    case Format::sarif:
      sink = detail::make_sarif_sink(options, out);
      break;
    case Format::junit:
      sink = detail::make_junit_sink(options, out);
      break;
    case Format::csv:
      // A table has no room for a summary.
      sink = detail::make_csv_sink(options, out);
      text_summary = true;
      break;
  }
  if (!text_summary || options.quiet) return sink;
  Options summary = options;
  summary.grouped = false;
  return std::make_unique<TeeSink>(std::move(sink), detail::make_text_sink(summary, nullptr, err));
}

}  // namespace leakgate::report
