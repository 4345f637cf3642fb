#pragma once
// The register of approved projects: a GeoPackage layer that every approval appends to, read
// back by plans like any layer (a `must_not_overlap` against approved projects; with
// `date_field = "approved"`, --as-of shows the register as it stood that day). The file is
// shared by processes: whoever approves holds a Lock from reading it until append() is done.
#include <string>
#include <vector>

#include "onemap/core/check/report.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/gis/layer/vector_layer.hpp"

namespace onemap::core {

struct Approval {
    std::string date;  ///< YYYY-MM-DD
    std::string doc;   ///< the approving document ("" if none)
};

class ApprovalRegister {
  public:
    /// Held from before a check reads the register until its append is written: two
    /// approvals at once would otherwise each pass against the register without the other's
    /// project, and the second write would drop the first's record. Locks the register's
    /// folder (nothing is left beside the data; through a symbolic link, the folder of the
    /// file it names); waits up to kLockWaitSeconds, then throws InputError naming the
    /// register. First refuses (InputError "<path>: cannot write…: <reason>") a register that
    /// cannot be written: a link loop, a missing or read-only folder, a read-only or
    /// immutable file.
    class Lock {
      public:
        explicit Lock(const std::string& registerPath);
        ~Lock();
        Lock(const Lock&) = delete;
        Lock& operator=(const Lock&) = delete;

      private:
        int fd_ = -1;
    };
    static constexpr int kLockWaitSeconds = 60;

    /// The layer name inside the register's GeoPackage.
    static constexpr const char* kLayer = "register";

    /// Why the report's sites may not be approved: one line per site that fails an
    /// error-severity rule or could not be checked (naming the rules). Empty = all may be.
    [[nodiscard]] static std::vector<std::string> refusals(const Report& report);

    /// Why the sites of one batch may not be approved together, though each passes alone
    /// (each was checked against the register without the others): two that overlap by more
    /// than kNoiseFloorM2, or sites whose draws on one unit's quota (an error `quota` rule)
    /// add up to more than remains there. Names the sites; "" when there is no such conflict.
    [[nodiscard]] static std::string batchConflict(const Report& report, const SiteSet& sites,
                                                   const gis::Crs& planCrs);

    /// The register's records of the report's sites (fields project_id … check, in the plan's
    /// CRS; fids unset), as append writes them: what a register kept elsewhere (the bureau's
    /// database) stores.
    [[nodiscard]] static gis::VectorLayer newRecords(const Report& report, const SiteSet& sites,
                                                     const Approval& approval,
                                                     const gis::Crs& planCrs,
                                                     const std::string& asOf);

    /// Appends every site of `report` (all must be approvable, with no batch conflict) to the
    /// register at `path`, creating it if absent: the old features and the new are written to a
    /// temporary file, read back and counted, then renamed over the register (through a
    /// symbolic link: over the file it names, the link kept) — a failure leaves it as it was. Each
    /// record: project_id, name, verdict, approved, doc, area_m2, area_mu, plan, as_of and the
    /// site's check as JSON. Throws InputError: a register whose layer lacks these fields, a
    /// project id already registered, an invalid approval date, a batch conflict.
    static void append(const std::string& path, const Report& report, const SiteSet& sites,
                       const Approval& approval, const gis::Crs& planCrs, const std::string& asOf);
};

}  // namespace onemap::core
