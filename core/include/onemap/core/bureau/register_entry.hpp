#pragma once
// One approved site as the register in the bureau's database keeps it (the fields
// ApprovalRegister writes to a GeoPackage register, and the site's geometry as WKB), and what an
// approval's check, run under the register lock, tells the store to do. Plain values; any thread.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/bureau/audit_record.hpp"

namespace onemap::core::bureau {

struct RegisterEntry {
    std::string projectId;  ///< unique in the register
    std::string name;
    std::string verdict;
    std::string approved;  ///< YYYY-MM-DD
    std::string doc;
    double areaM2 = 0;
    double areaMu = 0;
    std::string plan;
    std::string asOf;
    std::string check;  ///< the site's check as JSON
    std::string wkb;    ///< the site's (multi)polygon in the plan's CRS, ISO WKB bytes
};

/// The answer of the check an approval runs once the register is locked.
struct ApprovalCheck {
    /// Set when the sites may not be approved: this record ("approve.refused") is appended and
    /// nothing else is done.
    std::optional<AuditEntry> refusal;
    /// Otherwise: the sites to add to the register, and the check as JSON (the decision's).
    std::vector<RegisterEntry> entries;
    std::string decisionJson;
};

/// Runs the check; called with the register locked, possibly more than once (a retry).
using ApprovalCheckRun = std::function<ApprovalCheck()>;

}  // namespace onemap::core::bureau
