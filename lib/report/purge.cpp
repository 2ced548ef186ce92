#include "report/purge.h"

#include <fmt/format.h>

#include <set>

#include "base/private_file.h"

namespace leakgate::report {

namespace {

// filter-repo reads the file line by line and strips trailing CR and LF, so a secret that holds
// either is written as a Python bytes regex instead, every byte but [A-Za-z0-9_] as \xNN.
bool needs_regex(std::string_view secret) {
  return secret.find_first_of("\r\n") != std::string_view::npos;
}

std::string regex_escape(std::string_view secret) {
  std::string out;
  for (unsigned char c : secret) {
    bool plain =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    out += plain ? std::string(1, char(c)) : fmt::format("\\x{:02x}", c);
  }
  return out;
}

}  // namespace

std::string shell_quote(std::string_view s) {
  bool plain = !s.empty() && s.find_first_not_of(
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                 "0123456789_-./") == std::string_view::npos;
  if (plain) return std::string(s);
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void PurgePlan::add(const engine::Finding& f) {
  if (!f.secret.empty()) secrets_.try_emplace(f.secret, f.rule);
}

std::string PurgePlan::replacements() const {
  std::string out;
  for (const auto& [secret, rule] : secrets_) {
    // filter-repo splits at the last "==>", so a secret may hold one; the replacement never does.
    std::string pattern =
        needs_regex(secret) ? "regex:" + regex_escape(secret) : "literal:" + secret;
    out += fmt::format("{}==>***REMOVED-{}***\n", pattern, rule->id);
  }
  return out;
}

Status PurgePlan::write(const std::string& path) const {
  return write_private_file(path, replacements());
}

std::string PurgePlan::instructions(const Where& w) const {
  std::string plan = shell_quote(w.plan);
  std::string out = fmt::format(
      "leakgate: purge plan written to {} ({} secret{}); it holds every secret in full (mode "
      "0600).\n",
      w.plan, size(), size() == 1 ? "" : "s");
  if (!w.complete) {
    out += "  warning: the sweep was incomplete, so the plan may miss secrets it could not read.\n";
  }
  out +=
      "\n1. Rotate first. Revoke or replace every secret found at its provider before you "
      "rewrite\n   anything: clones, forks, CI caches and the host's pull-request refs keep the "
      "old\n   history, so rewriting your copy does not take a leaked secret back.\n";
  std::set<std::string> seen;
  for (const auto& [secret, rule] : secrets_) {
    if (seen.insert(rule->id).second && !rule->remediation.empty()) {
      out += fmt::format("     {}: {}\n", rule->id, rule->remediation);
    }
  }
  out += fmt::format(
      "\n2. Rewrite history. git filter-repo works on a fresh clone (git clone --no-local), or "
      "here\n   with --force; every commit id from the first leak on changes:\n"
      "     cd {}\n"
      "     git filter-repo --replace-text {} --replace-message {}\n"
      "\n3. Check the result:\n"
      "     leakgate history\n"
      "\n4. Expire the reflogs and collect the old objects, then check that none is left:\n"
      "     git reflog expire --expire=now --all\n"
      "     git gc --prune=now\n"
      "     leakgate history --all-objects\n"
      "\n5. Publish the new history (git push --force --all && git push --force --tags), have\n"
      "   every clone re-cloned, and delete the plan: rm {}\n",
      shell_quote(w.repository), plan, plan, plan);
  return out;
}

}  // namespace leakgate::report
