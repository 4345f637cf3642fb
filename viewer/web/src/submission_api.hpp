#pragma once
// Private: submissions and approvals (issue 36). An enterprise or planner submits a site file
// (any format `check` reads) and gets its check; an approver sees the queue of their cities
// with each check and approves or rejects with a reason. An approval holds the register's lock,
// checks the sites again on the day against the register as it stands (the layers read afresh,
// as `onemap check --approve` does), refuses what fails a rule or clashes within the batch
// (409, the reasons given and recorded), else appends to the register and records the decision
// in one store transaction; the shared one map is then reloaded so that every later check sees
// the new project. Any worker thread.
#include <cstddef>
#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "check_api.hpp"
#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/web/api_request.hpp"
#include "onemap/web/map_store.hpp"
#include "register_watch.hpp"

namespace onemap::web {

class SubmissionApi {
  public:
    /// With the register in the database, a RegisterWatch keeps this server's one maps up with
    /// the other servers' approvals.
    SubmissionApi(std::shared_ptr<core::bureau::BureauStore> store, MapStore& maps,
                  const CheckApi& checks)
        : store_(std::move(store)), maps_(maps), checks_(checks) {
        if (registerInDatabase(maps_.declared()))
            watch_ = std::make_unique<RegisterWatch>(store_, maps_);
    }

    /// POST /api/submissions → {"id", "check"}
    ApiResponse submit(const ApiRequest& request) const;
    /// GET /api/submissions?state= → the caller's (enterprise), their cities' (approver) or all
    /// (planner), newest first, each with its check.
    ApiResponse list(const ApiRequest& request) const;
    /// POST /api/submissions/{id}/approve, {"reason", "doc"} → {"id", "state", "check"}; 409
    /// with "refusals" when the sites may not be approved today.
    ApiResponse approve(const ApiRequest& request) const;
    /// POST /api/submissions/{id}/reject, {"reason"} (required).
    ApiResponse reject(const ApiRequest& request) const;
    /// GET /api/register → the approved submissions, newest first.
    ApiResponse approved(const ApiRequest& request) const;

    /// The register the plan reads: the layer its quota rule names as `register` (else its only
    /// layer with a date_field), a GeoPackage. "" if there is none or no one.
    [[nodiscard]] static std::string registerPath(const core::Plan& plan);
    /// The table of the register in the bureau's database (PostgresBureauStore).
    static constexpr const char* kDatabaseRegisterTable = "onemap_bureau.register";
    /// Whether that layer is the bureau database's register: source "PG:…", table
    /// kDatabaseRegisterTable (then approvals lock and append in the database, --db).
    [[nodiscard]] static bool registerInDatabase(const core::Plan& plan);
    /// With the register in the database: creates its table (in the plan's CRS) unless it
    /// exists, before the plan is loaded. InputError for a store without one, a plan CRS
    /// without an EPSG code. Nothing when the plan's register is not in the database.
    static void prepareDatabaseRegister(core::bureau::BureauStore& store, const core::Plan& plan);

    /// A submission's site file is kept in the store: larger ones are refused (413).
    static constexpr std::size_t kMaxSiteBytes = std::size_t{16} << 20;
    /// Pending submissions one account may have at once; beyond, 409 until some are decided.
    static constexpr std::size_t kMaxPendingPerSubmitter = 100;

  private:
    [[nodiscard]] static const core::LayerSpec* registerLayer(const core::Plan& plan);
    /// approve() with the register in the database: lock, check, refuse or append and decide,
    /// in one transaction of the store.
    /// runAfresh of the submission's sites; StoreUnavailableError (503) when the register
    /// layer in the database cannot be read.
    CheckApi::Checked checkRegisterAfresh(const core::bureau::Submission& s,
                                          const std::string& day) const;
    ApiResponse approveInDatabase(const ApiRequest& request, const nlohmann::json& body,
                                  const core::bureau::Submission& s) const;
    /// The submission named by the path, which the caller (an approver) may decide: 404, 403.
    core::bureau::Submission decidable(const ApiRequest& request) const;

    std::shared_ptr<core::bureau::BureauStore> store_;
    MapStore& maps_;
    const CheckApi& checks_;
    std::unique_ptr<RegisterWatch> watch_;  // null unless the register is in the database
};

}  // namespace onemap::web
