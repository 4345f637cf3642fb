#include "audit_witness_writer.hpp"

#include <algorithm>
#include <exception>

#include "onemap/core/bureau/audit_witness.hpp"

namespace onemap::web {

AuditWitnessWriter::AuditWitnessWriter(std::shared_ptr<core::bureau::BureauStore> store,
                                       std::string path, std::chrono::milliseconds every,
                                       std::ostream& warnings)
    : store_(std::move(store)),
      path_(std::move(path)),
      every_(std::max(every, std::chrono::milliseconds(1))),
      warnings_(warnings),
      thread_([this] { run(); }) {}

AuditWitnessWriter::~AuditWitnessWriter() { stop(); }

void AuditWitnessWriter::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void AuditWitnessWriter::run() {
    try {
        if (auto last = core::bureau::lastWitnessAnchor(path_)) anchored_ = last->head;
    } catch (const std::exception& e) {
        warnOnce(e.what());  // a malformed file: anchors are still appended
    }
    anchorIfMoved();
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
        lock.unlock();
        anchorIfMoved();  // at each interval
        lock.lock();
    }
    lock.unlock();
    anchorIfMoved();  // and once more at stop
}

void AuditWitnessWriter::anchorIfMoved() {
    try {
        const auto head = store_->head();
        if (head.seq == 0) return;  // nothing recorded yet
        if (anchored_ && anchored_->seq == head.seq && anchored_->hash == head.hash) return;
        core::bureau::appendWitnessAnchor(path_, head);
        anchored_ = head;
    } catch (const std::exception& e) {
        warnOnce(e.what());
    }
}

void AuditWitnessWriter::warnOnce(const std::string& why) {
    if (warned_) return;
    warned_ = true;
    warnings_ << "onemap serve: warning: " << why
              << " (serving goes on; anchors are retried, further failures not shown)" << std::endl;
}

}  // namespace onemap::web
