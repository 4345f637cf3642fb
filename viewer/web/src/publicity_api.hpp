#pragma once
// Private: GET /api/publicity, the approved projects under 公示 (issue 36): those decided within
// the last `days` days, each with its sites as submitted (GeoJSON, WGS84) and the verdicts of
// its approval-day check, nothing else of it (no overlap shapes, so nothing of a layer that is
// not public). The sites of a submission are read once (as `check` reads them) and kept. Any
// worker thread.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/web/api_request.hpp"
#include "onemap/web/map_store.hpp"

namespace onemap::web {

class PublicityApi {
  public:
    /// `days` 0: nothing is under publicity.
    PublicityApi(std::shared_ptr<core::bureau::BureauStore> store, const MapStore& maps, int days)
        : store_(std::move(store)), maps_(maps), days_(days) {}

    /// GET /api/publicity → {"days", "projects": [{"id", "file_name", "cities", "decided",
    /// "publicity_ends", "summary", "sites": [{"id", "name", "verdict"}], "geometry"}]}
    ApiResponse list(const ApiRequest& request) const;

    /// The approved submission `id` when it is under publicity now; HttpError 404 for an
    /// unknown id, 409 for one that is not (pending, rejected, or its period over).
    [[nodiscard]] core::bureau::Submission underPublicity(std::int64_t id) const;

    /// The last moment of the publicity of a decision made at `decidedUtc`
    /// ("2026-12-07T11:04:05.123Z"), as seconds since 1970; nullopt for a time not of that form.
    [[nodiscard]] std::optional<long long> endsAt(const std::string& decidedUtc) const;

  private:
    [[nodiscard]] bool isUnder(const core::bureau::Submission& s) const;
    /// The sites of `s` as a GeoJSON FeatureCollection in WGS84 (kept by id).
    [[nodiscard]] nlohmann::json sitesGeoJson(const core::bureau::Submission& s) const;

    std::shared_ptr<core::bureau::BureauStore> store_;
    const MapStore& maps_;
    int days_;
    mutable std::mutex mutex_;
    mutable std::map<std::int64_t, nlohmann::json> sites_;  // by submission id
};

}  // namespace onemap::web
