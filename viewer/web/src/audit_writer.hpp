#pragma once
// Private: writes the server's audit records of reads (checks, finds, exports, reports) to the
// store in groups, from one thread of its own: one transaction (one disk flush) per group, not
// per request, so that auditing keeps up with thousands of checks a second. A full queue makes
// the request wait, then refuses it (memory bounded; no answer given unrecorded). A record is
// written within about kFlushEvery; a crash can lose at most the records of that last interval.
// Changes (users, sessions, submissions, approvals) are not written here but in the transaction of
// the change. Any thread may record.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "onemap/core/bureau/bureau_store.hpp"

namespace onemap::web {

class AuditWriter {
  public:
    static constexpr std::chrono::milliseconds kFlushEvery{50};
    static constexpr std::size_t kQueued = 8192;  ///< records waiting, at most
    /// How long a record waits for room in a full queue before its request is refused.
    static constexpr std::chrono::seconds kFullWait{10};

    explicit AuditWriter(std::shared_ptr<core::bureau::BureauStore> store);
    /// Writes what is queued, then stops.
    ~AuditWriter();
    AuditWriter(const AuditWriter&) = delete;
    AuditWriter& operator=(const AuditWriter&) = delete;

    /// Queues one record (waits while the queue is full, at most kFullWait; then throws
    /// core::bureau::StoreUnavailableError, which the server answers 503).
    void record(core::bureau::AuditEntry entry);
    /// Returns when every record queued before the call is in the store.
    void flush();

  private:
    void run();

    std::shared_ptr<core::bureau::BureauStore> store_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<core::bureau::AuditEntry> queue_;
    std::uint64_t queuedTotal_ = 0;   ///< records ever queued
    std::uint64_t writtenTotal_ = 0;  ///< records ever written
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace onemap::web
