#pragma once
// A fixed pool of worker threads with a bounded queue: the request handlers run here, off
// the I/O threads. tryPost refuses work beyond the bound (the session answers 503). Any
// thread may post; the owner drains and destroys it.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace onemap::web {

class WorkQueue {
  public:
    WorkQueue(std::size_t threads, std::size_t capacity);
    ~WorkQueue();
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    /// Queues `job`; false when `capacity` jobs already wait, or the queue is stopping.
    [[nodiscard]] bool tryPost(std::function<void()> job);
    /// Waits until every queued and running job has finished.
    void drain();

  private:
    void work();
    std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::deque<std::function<void()>> jobs_;
    std::size_t running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace onemap::web
