// OidMap: a flat open-addressing hash map from object id to a small value. History walks look
// up millions of tree entries; a node-based map costs a cache miss per node, this one costs one
// per lookup. Object ids are already uniformly random, so their first bytes are the hash.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include <git2.h>

namespace leakgate::git {

template <class V>
class OidMap {
 public:
  OidMap() : slots_(1024) {}

  std::size_t size() const { return size_; }

  // Inserts (id, value) unless id is present; returns the stored value and whether it is new.
  std::pair<V*, bool> insert(const git_oid& id, const V& value) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    Slot& s = find_slot(slots_, id);
    if (s.used) return {&s.value, false};
    s.used = true;
    s.id = id;
    s.value = value;
    ++size_;
    return {&s.value, true};
  }

  V* find(const git_oid& id) {
    Slot& s = find_slot(slots_, id);
    return s.used ? &s.value : nullptr;
  }
  const V* find(const git_oid& id) const { return const_cast<OidMap*>(this)->find(id); }
  bool contains(const git_oid& id) const { return find(id) != nullptr; }

  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const Slot& s : slots_) {
      if (s.used) fn(s.id);
    }
  }

 private:
  struct Slot {
    git_oid id;
    bool used = false;
    V value{};
  };

  static std::size_t hash(const git_oid& id) {
    std::uint64_t h;
    std::memcpy(&h, id.id, sizeof h);
    return std::size_t(h);
  }

  static Slot& find_slot(std::vector<Slot>& slots, const git_oid& id) {
    std::size_t mask = slots.size() - 1;
    for (std::size_t i = hash(id) & mask;; i = (i + 1) & mask) {
      Slot& s = slots[i];
      if (!s.used || std::memcmp(s.id.id, id.id, GIT_OID_RAWSZ) == 0) return s;
    }
  }

  void grow() {
    std::vector<Slot> bigger(slots_.size() * 2);
    for (Slot& s : slots_) {
      if (s.used) find_slot(bigger, s.id) = s;
    }
    slots_.swap(bigger);
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

struct Empty {};
using OidSet = OidMap<Empty>;

}  // namespace leakgate::git
