// The writers behind report::make_sink, one file each, and what they share. Internal to
// lib/report: everything else goes through sink.h.
#pragma once

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "report/sink.h"

namespace leakgate::report::detail {

// The text report: `out` gets the findings (nothing when `out` is null), `err` the summary.
std::unique_ptr<Sink> make_text_sink(const Options& o, std::FILE* out, std::FILE* err);
std::unique_ptr<Sink> make_json_sink(const Options& o, std::FILE* out);
std::unique_ptr<Sink> make_jsonl_sink(const Options& o, std::FILE* out);
std::unique_ptr<Sink> make_sarif_sink(const Options& o, std::FILE* out);
std::unique_ptr<Sink> make_csv_sink(const Options& o, std::FILE* out);
std::unique_ptr<Sink> make_junit_sink(const Options& o, std::FILE* out);

// The JSON schema's version, in JSON, JSON Lines and SARIF's run properties.
inline constexpr int kSchemaVersion = 1;

// The secret as the report may show it: in full with show_secrets, else redacted.
std::string shown(const engine::Finding& f, const Options& o);

// Control characters escaped (\x1b), so that a crafted path cannot forge lines or terminal
// sequences in text output.
std::string printable(std::string_view s);

// Valid UTF-8: each byte of an invalid sequence becomes U+FFFD.
std::string valid_utf8(std::string_view s);

// The finding and summary objects of docs/formats.md, shared by JSON and JSON Lines.
nlohmann::ordered_json finding_json(const engine::Finding& f, const Options& o);
nlohmann::ordered_json summary_json(const Summary& s, const Options& o);

// Serialises without throwing on invalid UTF-8 (replaced by U+FFFD).
std::string dump(const nlohmann::ordered_json& j, int indent = -1);

}  // namespace leakgate::report::detail
