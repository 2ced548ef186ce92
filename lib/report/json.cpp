// JSON and JSON Lines: one schema (docs/formats.md), two framings. Both stream.
//   JSON:       {"version":1,"findings":[{...},...],"summary":{...}}
//   JSON Lines: {"type":"finding","version":1,...} per finding, then {"type":"summary",...}
#include <fmt/format.h>

#include "report/writers.h"

namespace leakgate::report::detail {
namespace {

class JsonSink final : public Sink {
 public:
  JsonSink(const Options& o, std::FILE* out) : o_(o), out_(out) {
    fmt::print(out_, "{{\"version\":{},\"findings\":[", kSchemaVersion);
  }

  void finding(const engine::Finding& f) override {
    fmt::print(out_, "{}\n{}", first_ ? "" : ",", dump(finding_json(f, o_)));
    first_ = false;
  }

  void finish(const Summary& s) override {
    fmt::print(out_, "\n],\"summary\":{}}}\n", dump(summary_json(s, o_)));
    std::fflush(out_);
  }

 private:
  Options o_;
  std::FILE* out_;
  bool first_ = true;
};

// Each line a complete record, flushed as it is made, so a consumer can follow a long sweep.
class JsonlSink final : public Sink {
 public:
  JsonlSink(const Options& o, std::FILE* out) : o_(o), out_(out) {}

  void finding(const engine::Finding& f) override { record("finding", finding_json(f, o_)); }
  void finish(const Summary& s) override { record("summary", summary_json(s, o_)); }

 private:
  void record(const char* type, const nlohmann::ordered_json& body) {
    nlohmann::ordered_json j = {{"type", type}, {"version", kSchemaVersion}};
    j.update(body);
    fmt::print(out_, "{}\n", dump(j));
    std::fflush(out_);
  }

  Options o_;
  std::FILE* out_;
};

}  // namespace

std::unique_ptr<Sink> make_json_sink(const Options& o, std::FILE* out) {
  return std::make_unique<JsonSink>(o, out);
}

std::unique_ptr<Sink> make_jsonl_sink(const Options& o, std::FILE* out) {
  return std::make_unique<JsonlSink>(o, out);
}

}  // namespace leakgate::report::detail
