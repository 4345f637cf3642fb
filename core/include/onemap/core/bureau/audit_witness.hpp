#pragma once
// The audit trail's witness: a text file kept outside the database (another disk or machine)
// where heads of the trail are anchored, one line "SEQ HASH TIME" each, appended and flushed.
// Someone holding the database alone can then neither rewrite the trail with recomputed hashes
// nor cut its tail without `audit verify --witness` saying so. Plain functions; any thread, but
// one writer per file at a time (lines are appended whole, with O_APPEND).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/bureau/audit_chain_check.hpp"
#include "onemap/core/bureau/audit_record.hpp"

namespace onemap::core::bureau {

class BureauStore;

/// One line of a witness file.
struct WitnessAnchor {
    AuditHead head;    ///< the record anchored, and its hash
    std::string time;  ///< when it was anchored, UTC "2026-12-07T11:04:05.123Z"
    int line = 0;      ///< the line in the file (1-based)
};

/// Appends "SEQ HASH TIME\n" (TIME: now, UTC) to `path` in one write, then fsyncs it. The file is
/// created with mode 0600 when missing (its folder synced too). Returns the line written, without
/// its newline. InputError naming the file when it cannot be opened or written.
std::string appendWitnessAnchor(const std::string& path, const AuditHead& head);

/// Every anchor of `path`, in file order. InputError "FILE:LINE: …" on the first malformed line
/// (anything but a seq, a 64-digit lower-case hex hash and a UTC time, separated by one space),
/// and naming the file when it cannot be read.
[[nodiscard]] std::vector<WitnessAnchor> readWitnessAnchors(const std::string& path);

/// The last anchor of `path`, or an empty optional when the file is missing or holds none.
/// Throws as readWitnessAnchors on a malformed file.
[[nodiscard]] std::optional<WitnessAnchor> lastWitnessAnchor(const std::string& path);

/// Judges a trail that its chain already found intact (`chain`) against `anchors`: every anchor's
/// record must be in the trail with exactly the anchored hash ("record N differs from the witness
/// anchored at TIME": the trail was rewritten), and the trail must reach the last anchored record
/// ("the trail ends at N but the witness saw M": its tail was cut). Records are read from `store`
/// in pages, only where anchors fall. A broken `chain` is returned as it is.
[[nodiscard]] AuditVerdict checkAgainstWitness(const AuditVerdict& chain,
                                               const std::vector<WitnessAnchor>& anchors,
                                               BureauStore& store);

}  // namespace onemap::core::bureau
