#include "onemap/core/bureau/audit_chain_check.hpp"

namespace onemap::core::bureau {

AuditChainCheck::AuditChainCheck(std::optional<AuditHead> expectedHead)
    : expectedHead_(std::move(expectedHead)) {
    verdict_.head = AuditHead{0, kGenesisHash};
}

void AuditChainCheck::fail(std::int64_t seq, const std::string& why) {
    verdict_.intact = false;
    verdict_.badSeq = seq;
    verdict_.why = "record " + std::to_string(seq) + ": " + why;
}

bool AuditChainCheck::feed(const AuditRecord& record) {
    if (!verdict_.intact) return false;
    const std::int64_t expected = verdict_.head.seq + 1;
    if (record.seq != expected) {
        fail(record.seq,
             record.seq > expected
                 ? "record " + std::to_string(expected) +
                       (record.seq - expected > 1 ? " to " + std::to_string(record.seq - 1) + " are"
                                                  : " is") +
                       " missing before it"
                 : "its sequence number repeats or goes back");
        return false;
    }
    if (auditRecordHash(record) != record.hash) {
        fail(record.seq, "its hash does not match its content");
        return false;
    }
    if (record.previousHash != verdict_.head.hash) {
        fail(record.seq, record.seq == 1 ? "the first record does not start the chain"
                                         : "its link to record " + std::to_string(record.seq - 1) +
                                               " is broken (another predecessor hash)");
        return false;
    }
    ++verdict_.records;
    verdict_.head = AuditHead{record.seq, record.hash};
    if (expectedHead_ && record.seq == expectedHead_->seq) hashAtExpected_ = record.hash;
    return true;
}

AuditVerdict AuditChainCheck::finish() const {
    AuditVerdict out = verdict_;
    if (!out.intact || !expectedHead_) return out;
    const AuditHead& want = *expectedHead_;
    if (want.seq == 0) return out;
    if (!hashAtExpected_) {
        out.intact = false;
        out.badSeq = want.seq;
        out.why = "record " + std::to_string(want.seq) + ": missing; the trail ends at record " +
                  std::to_string(out.head.seq) + " (records were cut off its end)";
    } else if (*hashAtExpected_ != want.hash) {
        out.intact = false;
        out.badSeq = want.seq;
        out.why = "record " + std::to_string(want.seq) +
                  ": its hash is not the expected head's (the trail was rewritten up to it)";
    }
    return out;
}

}  // namespace onemap::core::bureau
