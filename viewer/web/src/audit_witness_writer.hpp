#pragma once
// Private: anchors the audit trail's head in the witness file (`onemap serve --audit-witness`)
// from a thread of its own: at start, every `every`, and once more at stop(), each time only when
// the head moved since the file's last anchor. A failure (file not writable, store away) is
// warned once on the warnings stream and serving goes on; the next interval tries again. The
// owner (Server) calls stop() from one thread; the destructor stops too.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "onemap/core/bureau/audit_record.hpp"
#include "onemap/core/bureau/bureau_store.hpp"

namespace onemap::web {

class AuditWitnessWriter {
  public:
    AuditWitnessWriter(std::shared_ptr<core::bureau::BureauStore> store, std::string path,
                       std::chrono::milliseconds every, std::ostream& warnings);
    /// stop()
    ~AuditWitnessWriter();
    AuditWitnessWriter(const AuditWitnessWriter&) = delete;
    AuditWitnessWriter& operator=(const AuditWitnessWriter&) = delete;

    /// Anchors the head a last time (when it moved), then ends the thread. Call it after the
    /// last record is in the store (the audit writer flushed). Idempotent.
    void stop();

  private:
    void run();
    /// Appends the store's head when it is not the last anchor; warns once on failure.
    void anchorIfMoved();
    void warnOnce(const std::string& why);

    std::shared_ptr<core::bureau::BureauStore> store_;
    std::string path_;
    std::chrono::milliseconds every_;
    std::ostream& warnings_;
    std::optional<core::bureau::AuditHead> anchored_;  ///< the file's last anchor, if known
    bool warned_ = false;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace onemap::web
