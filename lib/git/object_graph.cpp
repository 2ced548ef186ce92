#include "git/object_graph.h"

#include <algorithm>
#include <charconv>

#include "git/pack_order.h"
#include "git/repo.h"

namespace leakgate::git {
namespace {

bool parse_hex_oid(std::string_view hex, git_oid& out) {
  return hex.size() >= GIT_OID_HEXSZ && git_oid_fromstrn(&out, hex.data(), GIT_OID_HEXSZ) == 0;
}

// The value of the header line starting with `key ` in a commit or tag, or empty.
std::string_view header(std::string_view data, std::string_view key, std::size_t& pos) {
  while (pos < data.size()) {
    std::size_t eol = data.find('\n', pos);
    if (eol == std::string_view::npos) eol = data.size();
    std::string_view line = data.substr(pos, eol - pos);
    if (line.empty()) return {};  // end of headers
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ' ') {
      pos = eol + 1;
      return line.substr(key.size() + 1);
    }
    pos = eol + 1;
  }
  return {};
}

}  // namespace

std::uint32_t ObjectGraph::find(const git_oid& id) const {
  const std::uint32_t* i = index_.find(id);
  return i ? *i : kNone;
}

std::uint32_t ObjectGraph::intern_object(const git_oid& id) {
  auto [slot, fresh] = index_.insert(id, std::uint32_t(ids_.size()));
  if (fresh) {
    ids_.push_back(id);
    types_.push_back(std::uint8_t(GIT_OBJECT_INVALID));
    sizes_.push_back(0);
    records_.push_back(kNone);
  }
  return *slot;
}

std::uint32_t ObjectGraph::intern_name(std::string_view name) {
  auto it = name_ids_.find(name);
  if (it != name_ids_.end()) return it->second;
  std::string_view stored = name_store_.emplace_back(name);
  std::uint32_t i = std::uint32_t(names_.size());
  names_.push_back(stored);
  name_ids_.emplace(stored, i);
  return i;
}

bool ObjectGraph::parse_commit(std::uint32_t object, std::string_view data) {
  std::size_t pos = 0;
  git_oid id;
  if (!parse_hex_oid(header(data, "tree", pos), id)) return false;
  Commit c{object, intern_object(id), 0, std::uint32_t(parents_.size()), 0};
  // Parents follow the tree line directly.
  while (data.substr(pos, 7) == "parent ") {
    if (!parse_hex_oid(data.substr(pos + 7), id)) {
      parents_.resize(c.parents_begin);
      return false;
    }
    parents_.push_back(intern_object(id));
    pos += 7 + GIT_OID_HEXSZ + 1;
  }
  c.parents_end = std::uint32_t(parents_.size());
  std::string_view committer = header(data, "committer", pos);
  std::size_t gt = committer.rfind('>');
  if (gt != std::string_view::npos && gt + 2 < committer.size()) {
    std::string_view t = committer.substr(gt + 2);
    std::from_chars(t.data(), t.data() + t.size(), c.time);
  }
  records_[object] = std::uint32_t(commits_.size());
  commits_.push_back(c);
  return true;
}

bool ObjectGraph::parse_tree(std::uint32_t object, std::string_view data) {
  std::size_t pos = 0;
  const std::size_t start = entries_.size();
  while (pos < data.size()) {
    std::size_t space = data.find(' ', pos);
    std::size_t nul = data.find('\0', space == std::string_view::npos ? pos : space);
    if (space == std::string_view::npos || nul == std::string_view::npos ||
        nul + 1 + GIT_OID_RAWSZ > data.size()) {
      entries_.resize(start);
      return false;
    }
    // The mode is octal; old tools wrote trees as "040000", which git still reads.
    unsigned mode = 0;
    for (char ch : data.substr(pos, space - pos)) mode = mode * 8 + unsigned(ch - '0');
    git_oid id;
    git_oid_fromraw(&id, reinterpret_cast<const unsigned char*>(data.data() + nul + 1));
    EntryKind kind = (mode & 0170000) == 0040000   ? EntryKind::tree
                     : (mode & 0170000) == 0160000 ? EntryKind::gitlink
                                                   : EntryKind::blob;
    std::uint32_t name = intern_name(data.substr(space + 1, nul - space - 1));
    entries_.push_back({intern_object(id), name | std::uint32_t(kind) << 30});
    pos = nul + 1 + GIT_OID_RAWSZ;
  }
  records_[object] = std::uint32_t(tree_begin_.size() - 1);
  tree_begin_.push_back(std::uint32_t(entries_.size()));
  return true;
}

bool ObjectGraph::parse_tag(std::uint32_t object, std::string_view data) {
  std::size_t pos = 0;
  git_oid id;
  if (!parse_hex_oid(header(data, "object", pos), id)) return false;
  records_[object] = std::uint32_t(tag_targets_.size());
  tag_targets_.push_back(intern_object(id));
  return true;
}

Result<ObjectGraph> ObjectGraph::load(git_repository* repo, git_odb* odb,
                                      engine::ScanStats& stats,
                                      const std::function<void(std::size_t, std::size_t)>& progress) {
  std::vector<git_oid> all;
  auto collect = [](const git_oid* id, void* payload) {
    static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
    return 0;
  };
  if (git_odb_foreach(odb, collect, &all) < 0) return last_error("cannot list objects");

  // Number the objects in pack order; loose objects come last.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> order;
  {
    PackOrder packs = PackOrder::load(repo);
    order.reserve(all.size());
    for (std::uint32_t i = 0; i < all.size(); ++i) order.emplace_back(packs.key(all[i]), i);
    std::sort(order.begin(), order.end());
  }
  ObjectGraph g;
  g.ids_.reserve(all.size());
  for (const auto& [key, i] : order) g.intern_object(all[i]);
  std::vector<git_oid>().swap(all);

  // Pass 1: types and sizes, so that the tree entries can be allocated once.
  const std::uint32_t n = g.size();
  std::size_t tree_bytes = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (progress && (i & 8191) == 0) progress(i / 4, n);
    std::size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&size, &type, odb, &g.ids_[i]) < 0) {
      stats.errors.push_back(last_error(fmt::format("object {}", oid_hex(g.ids_[i]))).message);
      continue;
    }
    g.types_[i] = std::uint8_t(type);
    g.sizes_[i] = size;
    if (type == GIT_OBJECT_TREE) tree_bytes += size;
  }
  // A tree entry takes at least 28 bytes ("100644 " + a name + NUL + 20-byte id).
  g.entries_.reserve(tree_bytes / 28);

  // Pass 2: commits, trees and tags, parsed from their raw bytes.
  for (std::uint32_t i = 0; i < n; ++i) {
    git_object_t type = g.type(i);
    if (type != GIT_OBJECT_COMMIT && type != GIT_OBJECT_TREE && type != GIT_OBJECT_TAG) continue;
    if (progress && (i & 4095) == 0) progress(n / 4 + i * 3 / 4, n);
    git_odb_object* raw = nullptr;
    if (git_odb_read(&raw, odb, &g.ids_[i]) < 0) {
      stats.errors.push_back(last_error(fmt::format("object {}", oid_hex(g.ids_[i]))).message);
      g.types_[i] = std::uint8_t(GIT_OBJECT_INVALID);
      continue;
    }
    OdbObjectPtr obj(raw);
    std::string_view data(static_cast<const char*>(git_odb_object_data(raw)),
                          git_odb_object_size(raw));
    bool ok = type == GIT_OBJECT_COMMIT ? g.parse_commit(i, data)
              : type == GIT_OBJECT_TREE ? g.parse_tree(i, data)
                                        : g.parse_tag(i, data);
    if (!ok) {
      stats.errors.push_back(fmt::format("object {}: malformed {}", oid_hex(g.ids_[i]),
                                         git_object_type2string(type)));
      g.types_[i] = std::uint8_t(GIT_OBJECT_INVALID);
      g.records_[i] = kNone;
    }
  }
  if (progress) progress(n, n);
  return g;
}

}  // namespace leakgate::git
