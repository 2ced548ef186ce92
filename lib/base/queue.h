// A blocking queue between threads, bounded by a cost (bytes) so memory stays bounded however
// fast one side runs.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace leakgate {

template <class T>
class Queue {
 public:
  explicit Queue(std::size_t max_cost) : max_cost_(max_cost) {}

  // Blocks while the queue is over its budget (a single item over budget still goes in).
  void push(T item, std::size_t cost) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return cost_ == 0 || cost_ + cost <= max_cost_; });
    cost_ += cost;
    items_.push_back({std::move(item), cost});
    not_empty_.notify_one();
  }

  // Blocks until an item arrives; nothing once closed and drained.
  std::optional<T> pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    return take(lock);
  }

  // Does not block.
  std::optional<T> try_pop() {
    std::unique_lock lock(mu_);
    return take(lock);
  }

  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  std::optional<T> take(std::unique_lock<std::mutex>&) {
    if (items_.empty()) return std::nullopt;
    auto [item, cost] = std::move(items_.front());
    items_.pop_front();
    cost_ -= cost;
    not_full_.notify_one();
    return std::move(item);
  }

  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::pair<T, std::size_t>> items_;
  std::size_t cost_ = 0, max_cost_;
  bool closed_ = false;
};

}  // namespace leakgate
