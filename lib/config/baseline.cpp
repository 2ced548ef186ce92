#include "config/baseline.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace leakgate::config {

Result<Baseline> Baseline::parse(std::string_view json_text, std::string_view source) {
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return make_error("{}: not a leakgate baseline (expected a JSON object)", source);
  }
  if (!doc.contains("version") || doc["version"] != 1) {
    return make_error("{}: unsupported baseline version (expected \"version\": 1)", source);
  }
  const auto found = doc.find("findings");
  if (found == doc.end() || !found->is_array()) {
    return make_error("{}: a baseline needs a \"findings\" array", source);
  }
  Baseline b;
  std::size_t i = 0;
  for (const auto& item : *found) {
    auto text = [&](const char* key) -> std::string {
      auto it = item.is_object() ? item.find(key) : item.end();
      return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    BaselineEntry e{text("fingerprint"), text("rule"), text("path")};
    if (e.fingerprint.empty()) {
      return make_error("{}: findings[{}] has no \"fingerprint\"", source, i);
    }
    b.fingerprints_.insert(e.fingerprint);
    b.entries_.insert(std::move(e));
    ++i;
  }
  return b;
}

Result<Baseline> Baseline::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("{}: cannot read baseline: {}", path, std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

void Baseline::add(const engine::Finding& f) {
  fingerprints_.insert(f.fingerprint);
  entries_.insert({f.fingerprint, f.rule ? f.rule->id : std::string(), f.path});
}

bool Baseline::contains(std::string_view fingerprint) const {
  return fingerprints_.find(fingerprint) != fingerprints_.end();
}

std::string Baseline::to_json() const {
  std::string out = "{\n  \"version\": 1,\n  \"findings\": [";
  bool first = true;
  for (const BaselineEntry& e : entries_) {
    nlohmann::json j = {{"fingerprint", e.fingerprint}, {"rule", e.rule}, {"path", e.path}};
    out += first ? "\n    " : ",\n    ";
    out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    first = false;
  }
  out += entries_.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

Status Baseline::save(const std::string& path) const {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out || !(out << to_json()) || !out.flush()) {
      return make_error("{}: cannot write: {}", tmp, std::strerror(errno));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    return make_error("{}: cannot write: {}", path, std::strerror(err));
  }
  return {};
}

}  // namespace leakgate::config
