#pragma once
// POST /api/check, /api/conflicts and /api/report: the posted sites checked against the one
// map, as `onemap check` checks a file — the same loading (SiteSet::load on the uploaded file, kept
// under the client's file name in a private temp folder), the same engine, the same writers
// (reportJson, conflictsGeoJson, the report documents). Handlers are called from many worker
// threads at once.
#include <memory>
#include <mutex>
#include <string>

#include "onemap/core/check/report.hpp"
#include "onemap/core/check/site_set.hpp"
#include "onemap/web/api_request.hpp"
#include "onemap/web/map_store.hpp"

namespace onemap::web {

/// The name an uploaded site file is read under: ?filename= or Content-Disposition, else
/// sites.geojson for a body that looks like JSON; HttpError 400 otherwise.
[[nodiscard]] std::string uploadName(const ApiRequest& request);

class CheckApi {
  public:
    CheckApi(MapStore& maps, std::string version) : maps_(maps), version_(std::move(version)) {}

    /// ?as_of=&rules=&from=gcj02|bd09&lang=zh|en&id_field=&layer=&filename= → the JSON of
    /// `onemap check --format json`.
    ApiResponse check(const ApiRequest& request) const;
    /// The same inputs → the conflict areas as GeoJSON (core::conflictsGeoJson, lon/lat): the
    /// file `onemap check --conflicts x.geojson` writes.
    ApiResponse conflicts(const ApiRequest& request) const;
    /// The same, ?format=pdf|html&date= → the compliance report document.
    ApiResponse report(const ApiRequest& request) const;

    struct Checked {
        core::Report report;
        std::shared_ptr<const core::OneMap> map;
        core::SiteSet sites;
    };
    /// The request's sites checked against the shared one map of ?as_of= (what check() answers).
    Checked run(const ApiRequest& request, bool conflictGeometries) const;
    /// A site file checked with every rule of the plan taken on `day` against the layers read
    /// afresh from their sources near the sites (the register as it stands now, not as the
    /// shared map loaded it): what `onemap check --approve` checks.
    Checked runAfresh(const std::string& fileName, const std::string& bytes,
                      const std::string& day) const;
    [[nodiscard]] const std::string& version() const { return version_; }

  private:
    MapStore& maps_;
    std::string version_;
};

}  // namespace onemap::web
