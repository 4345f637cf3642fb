#pragma once
// Checks an audit trail record by record, in sequence order, and stops at the first bad one:
// the store feeds it (SQLite today, PostgreSQL later) so every store judges a chain the same way.
// One checker per pass; one thread at a time.
#include <cstdint>
#include <optional>
#include <string>

#include "onemap/core/bureau/audit_record.hpp"

namespace onemap::core::bureau {

/// The verdict on a whole trail.
struct AuditVerdict {
    bool intact = true;
    std::int64_t badSeq = 0;   ///< the first bad record (when not intact)
    std::string why;           ///< "record 5: its hash does not match its content", …
    std::int64_t records = 0;  ///< records read
    AuditHead head;            ///< the last record read
};

class AuditChainCheck {
  public:
    /// `expectedHead`: a head kept elsewhere; the trail must still hold that record with that
    /// hash (a hash chain alone cannot see its last records deleted).
    explicit AuditChainCheck(std::optional<AuditHead> expectedHead = std::nullopt);

    /// Feeds the next record (ascending seq). Returns false once the chain is broken; later
    /// records are then ignored.
    bool feed(const AuditRecord& record);
    /// The verdict after the last record.
    [[nodiscard]] AuditVerdict finish() const;

  private:
    void fail(std::int64_t seq, const std::string& why);

    std::optional<AuditHead> expectedHead_;
    std::optional<std::string> hashAtExpected_;
    AuditVerdict verdict_;
};

}  // namespace onemap::core::bureau
