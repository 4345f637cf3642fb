#include "audit_writer.hpp"

#include <iostream>
#include <vector>

namespace onemap::web {

AuditWriter::AuditWriter(std::shared_ptr<core::bureau::BureauStore> store)
    : store_(std::move(store)), thread_([this] { run(); }) {}

AuditWriter::~AuditWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void AuditWriter::record(core::bureau::AuditEntry entry) {
    std::unique_lock lock(mutex_);
    // A store away for long (PostgreSQL down) fills the queue: the request is then refused
    // (503, try again) rather than answered unrecorded or left waiting for good.
    if (!changed_.wait_for(lock, kFullWait,
                           [this] { return queue_.size() < kQueued || stopping_; }))
        throw core::bureau::StoreUnavailableError("the audit trail cannot be written now (" +
                                                  std::to_string(queue_.size()) +
                                                  " records waiting)");
    queue_.push_back(std::move(entry));
    ++queuedTotal_;
    if (queue_.size() == 1) changed_.notify_all();
}

void AuditWriter::flush() {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = queuedTotal_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return writtenTotal_ >= target; });
}

void AuditWriter::run() {
    bool warned = false;
    for (;;) {
        std::vector<core::bureau::AuditEntry> group;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [this] { return !queue_.empty() || stopping_; });
            if (queue_.empty() && stopping_) return;
            // Let a group gather, unless someone waits for it (flush, stop, a full queue).
            changed_.wait_for(lock, kFlushEvery, [this] { return stopping_; });
            const std::size_t n = std::min<std::size_t>(queue_.size(), 1024);
            group.assign(std::make_move_iterator(queue_.begin()),
                         std::make_move_iterator(queue_.begin() + static_cast<long>(n)));
        }
        try {
            store_->appendAll(group);
        } catch (const std::exception& e) {
            // The store is away (a locked file, a lost connection): keep the records, try again.
            if (!warned) std::cerr << "onemap serve: audit trail: " << e.what() << "; retrying\n";
            warned = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            continue;
        }
        warned = false;
        {
            std::lock_guard lock(mutex_);
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(group.size()));
            writtenTotal_ += group.size();
        }
        changed_.notify_all();
    }
}

}  // namespace onemap::web
