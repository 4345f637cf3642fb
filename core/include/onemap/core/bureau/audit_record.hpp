#pragma once
// One record of the audit trail (规划全过程留痕) and its hash: SHA-256 over a canonical encoding
// of every field, the previous record's hash included, so each record vouches for all before it.
// Plain values and pure functions; any thread.
#include <cstdint>
#include <string>

namespace onemap::core::bureau {

/// What a caller asks to record; the store adds the sequence number, time and hashes.
struct AuditEntry {
    std::string actor;         ///< who: a user name, or "cli:<os user>" for the command line
    std::string action;        ///< what: "user.add", "login", "check", "approve", …
    std::string subject;       ///< on what: a user name, a submission id, …
    std::string detail;        ///< free text, stored as given
    std::string inputsSha256;  ///< hex SHA-256 of the inputs, or "" when there are none
    std::string answerSha256;  ///< hex SHA-256 of the answer, or ""
};

struct AuditRecord {
    std::int64_t seq = 0;  ///< 1, 2, 3, … without gaps
    std::string time;      ///< UTC, "2026-12-07T11:04:05.123Z"
    AuditEntry entry;
    std::string previousHash;  ///< the hash of record seq-1; kGenesisHash for record 1
    std::string hash;          ///< auditRecordHash(*this)
};

/// The predecessor of record 1: 64 zeros.
extern const std::string kGenesisHash;

/// The record's bytes as hashed: the tag "onemap-audit-v1", then each field (seq as 8 bytes
/// big-endian, then time, actor, action, subject, detail, inputs, answer, previous hash) as an
/// 8-byte big-endian length followed by its bytes. No two different records encode the same.
[[nodiscard]] std::string canonicalAuditBytes(const AuditRecord& record);
/// Lower-case hex SHA-256 of canonicalAuditBytes (the `hash` field ignored).
[[nodiscard]] std::string auditRecordHash(const AuditRecord& record);

/// Which records to list (GET /api/audit): every condition given must hold.
struct AuditFilter {
    std::string actor;   ///< "" = anyone
    std::string action;  ///< "" = any; "login" also matches "login.refused" (a prefix before '.')
    std::string since;   ///< UTC time text, inclusive ("" = from the start)
    std::string until;   ///< UTC time text, exclusive ("" = to the end)
    std::int64_t beforeSeq = 0;  ///< > 0: only records with a smaller seq (paging back)
    std::int64_t limit = 100;    ///< newest first, at most this many
};

/// Whether `record` passes `filter` (limit and paging aside).
[[nodiscard]] bool auditMatches(const AuditRecord& record, const AuditFilter& filter);

/// The last record of a chain: what to keep elsewhere to see the tail cut off.
struct AuditHead {
    std::int64_t seq = 0;  ///< 0 for an empty trail
    std::string hash;      ///< kGenesisHash for an empty trail

    /// "SEQ:HASH"
    [[nodiscard]] std::string text() const;
    /// Reads "SEQ:HASH" (64 hex digits); InputError naming the text otherwise.
    static AuditHead parse(const std::string& text);
};

}  // namespace onemap::core::bureau
