// CSV (RFC 4180): a header, then one row per finding, streamed; CRLF line ends; a field is
// quoted when it holds a comma, a quote or a line break. A spreadsheet would run a text field
// that starts with = + - @ (or a tab or CR) as a formula, and a scanned repository chooses its
// paths and lines: such a field gets a leading apostrophe, as OWASP advises.
#include <fmt/format.h>

#include "report/redact.h"
#include "report/writers.h"

namespace leakgate::report::detail {
namespace {

constexpr const char* kColumns[] = {
    "rule",        "name",    "confidence", "path",   "line",  "column", "secret", "redacted",
    "fingerprint", "snippet", "commit",     "author", "email", "date",   "blob",   "reachable"};

std::string field(std::string_view s) {
  std::string text(s);
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    text.insert(0, 1, '\'');
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

class CsvSink final : public Sink {
 public:
  CsvSink(const Options& o, std::FILE* out) : o_(o), out_(out) {
    std::string header;
    for (const char* c : kColumns) header += fmt::format("{}{}", header.empty() ? "" : ",", c);
    fmt::print(out_, "{}\r\n", header);
  }

  void finding(const engine::Finding& f) override {
    const bool h = f.from_history;
    std::string row = fmt::format(
        "{},{},{},{},{},{},{},{},{},{}", field(f.rule->id), field(f.rule->name),
        rules::to_string(f.rule->confidence), field(f.path), f.line, f.column, field(shown(f, o_)),
        o_.show_secrets ? "false" : "true", f.fingerprint, field(snippet(f, o_.show_secrets)));
    row +=
        fmt::format(",{},{},{},{},{},{}", h ? f.origin.commit : "", h ? field(f.origin.author) : "",
                    h ? field(f.origin.email) : "", h ? f.origin.date : "", h ? f.origin.blob : "",
                    h ? (f.origin.reachable ? "true" : "false") : "");
    fmt::print(out_, "{}\r\n", row);
    std::fflush(out_);
  }

  void finish(const Summary&) override { std::fflush(out_); }

 private:
  Options o_;
  std::FILE* out_;
};

}  // namespace

std::unique_ptr<Sink> make_csv_sink(const Options& o, std::FILE* out) {
  return std::make_unique<CsvSink>(o, out);
}

}  // namespace leakgate::report::detail
