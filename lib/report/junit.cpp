// JUnit XML, for CI systems that show test reports: one test suite for the scan, one failed
// test case per finding, one test case in error per item that could not be read, and a
// passing test case when there is neither, so that a clean scan still shows up. Buffered: the
// suite's counts come first.
#include <fmt/format.h>

#include <map>
#include <vector>

#include "report/redact.h"
#include "report/writers.h"

namespace leakgate::report::detail {
namespace {

// Text for XML 1.0: valid UTF-8, the five special characters escaped, and control characters
// (which XML 1.0 cannot hold at all) shown as \xNN. Line breaks stay in element text; in an
// attribute a parser would turn them into spaces, so they are written as references.
std::string xml(std::string_view s, bool attribute = true) {
  std::string out;
  for (char c : valid_utf8(s)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

class JunitSink final : public Sink {
 public:
  JunitSink(const Options& o, std::FILE* out) : o_(o), out_(out) {}

  void finding(const engine::Finding& f) override {
    std::string path = !f.path.empty() ? f.path : f.from_history ? "(no path)" : "(stdin)";
    std::string message = fmt::format("{}: {}", f.rule->name, shown(f, o_));
    std::string body =
        fmt::format("rule: {} ({} confidence)\nat: {}:{}:{}\nfingerprint: {}\n", f.rule->id,
                    rules::to_string(f.rule->confidence), path, f.line, f.column, f.fingerprint);
    if (f.from_history) {
      body += f.origin.commit.empty()
                  ? fmt::format("blob: {} (in no commit)\n", f.origin.blob)
                  : fmt::format("commit: {} by {} <{}> on {}{}\n", f.origin.commit, f.origin.author,
                                f.origin.email, f.origin.date,
                                f.origin.reachable ? "" : " (unreachable)");
    }
    body += fmt::format("line: {}\n", snippet(f, o_.show_secrets));
    if (!f.rule->remediation.empty()) body += fmt::format("remediation: {}\n", f.rule->remediation);
    cases_.push_back(fmt::format(
        "    <testcase classname=\"leakgate.{}\" name=\"{}:{}:{}\" file=\"{}\" line=\"{}\" "
        "time=\"0\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
        xml(f.rule->id), xml(path), f.line, f.column, xml(path), f.line, xml(f.rule->id),
        xml(message), xml(body, false)));
  }

  void finish(const Summary& s) override {
    const auto& errors = s.stats.errors;
    for (const auto& e : errors) {
      cases_.push_back(
          fmt::format("    <testcase classname=\"leakgate\" name=\"read: {}\" time=\"0\">\n"
                      "      <error type=\"incomplete\" message=\"{}\"/>\n    </testcase>\n",
                      xml(e), xml(e)));
    }
    if (cases_.empty()) {
      cases_.push_back(fmt::format(
          "    <testcase classname=\"leakgate\" name=\"no secrets in {}\" time=\"{:.3f}\"/>\n",
          xml(o_.mode), s.seconds));
    }
    std::string name = xml("leakgate " + o_.mode);
    fmt::print(out_, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fmt::print(out_,
               "<testsuites name=\"leakgate\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
               "time=\"{:.3f}\">\n",
               cases_.size(), s.findings, errors.size(), s.seconds);
    fmt::print(out_,
               "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" "
               "time=\"{:.3f}\">\n",
               name, cases_.size(), s.findings, errors.size(), s.seconds);
    print_properties(s);
    for (const auto& c : cases_) fmt::print(out_, "{}", c);
    fmt::print(out_, "  </testsuite>\n</testsuites>\n");
    std::fflush(out_);
  }

 private:
  void print_properties(const Summary& s) const {
    auto property = [&](std::string_view name, const std::string& value) {
      fmt::print(out_, "      <property name=\"{}\" value=\"{}\"/>\n", xml(name), xml(value));
    };
    fmt::print(out_, "    <properties>\n");
    if (!o_.tool_version.empty()) property("leakgate.version", o_.tool_version);
    property("secrets", std::to_string(s.fingerprints.size()));
    property("files", std::to_string(s.stats.files));
    property("bytes", std::to_string(s.stats.bytes));
    if (o_.mode == "history") {
      property("commits", std::to_string(s.stats.commits));
      property("reachable", std::to_string(s.reachable));
      property("unreachable", std::to_string(s.unreachable));
    }
    for (const auto& [id, n] : s.by_rule) property("rule." + id, std::to_string(n));
    for (const auto& [c, n] : s.by_confidence) property("confidence." + c, std::to_string(n));
    std::map<std::string, std::size_t> skipped;
    for (const auto& sk : s.stats.skipped) ++skipped[sk.reason];
    for (const auto& [reason, n] : skipped) property("skipped." + reason, std::to_string(n));
    for (const auto& n : s.stats.notes) property("note", n);
    fmt::print(out_, "    </properties>\n");
  }

  Options o_;
  std::FILE* out_;
  std::vector<std::string> cases_;
};

}  // namespace

std::unique_ptr<Sink> make_junit_sink(const Options& o, std::FILE* out) {
  return std::make_unique<JunitSink>(o, out);
}

}  // namespace leakgate::report::detail
