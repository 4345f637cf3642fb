#include "plan_api.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "onemap/core/check/layer_source.hpp"
#include "onemap/core/report/plan_info_json.hpp"
#include "onemap/core/time/layer_diff.hpp"
#include "onemap/gis/base/calendar.hpp"
#include "onemap/gis/base/zip_writer.hpp"
#include "onemap/gis/layer/layer_writer.hpp"
#include "onemap/web/http_error.hpp"
#include "upload_dir.hpp"

namespace onemap::web {
namespace {

namespace fs = std::filesystem;

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string requiredParam(const ApiRequest& request, const std::string& name) {
    auto v = request.param(name);
    if (!v || v->empty()) throw HttpError(400, name + ": missing (e.g. ?" + name + "=...)");
    return *v;
}

}  // namespace

ApiResponse PlanApi::info(const ApiRequest& request) const {
    request.allowOnly({"as_of"});
    const auto map = maps_.map(request.date("as_of"));
    ApiResponse r;
    {
        std::lock_guard lock(infoMutex_);
        if (const auto it = infos_.find(map); it != infos_.end()) r.body = it->second;
    }
    if (!r.body.empty()) return r;
    r.body = core::planInfoJson(*map, version_);
    std::lock_guard lock(infoMutex_);
    if (infos_.size() >= 8) infos_.clear();  // as many days as anyone asks: kept bounded
    infos_.emplace(map, r.body);
    return r;
}

void PlanApi::prepare() const { (void)info(ApiRequest{}); }

ApiResponse PlanApi::diff(const ApiRequest& request) const {
    request.allowOnly({"layer", "from", "to"});
    const std::string layer = requiredParam(request, "layer");
    requiredParam(request, "from");
    const std::string from = request.date("from");
    const std::string to = request.param("to") ? request.date("to") : gis::todayIso();
    // `onemap diff` reads the plan as of today and diffs any layer it declares.
    const core::Plan plan = maps_.plan("");
    bool declared = false;
    for (const auto& l : plan.declaredLayers()) declared = declared || l.id == layer;
    if (!declared) throw HttpError(404, "the plan has no layer '" + layer + "'");
    ApiResponse r;
    r.body = core::diffJson(core::diffLayer(plan, layer, from, to));
    return r;
}

ApiResponse PlanApi::exportLayer(const ApiRequest& request) const {
    request.allowOnly({"layer", "format", "as_of"});
    const std::string id = requiredParam(request, "layer");
    const std::string format = request.param("format").value_or("gpkg");
    if (format != "shp" && format != "gpkg" && format != "geojson")
        throw HttpError(400, "format: '" + format + "' is not shp, gpkg or geojson");
    const core::Plan plan = maps_.plan(request.date("as_of"));
    const core::LayerSpec* spec = plan.layer(id);
    if (!spec) throw HttpError(404, "the plan has no layer '" + id + "' on " + plan.asOf);
    // As `onemap export --layer ID` writes it: the source as it stands, the records in force.
    gis::VectorLayer layer = core::readRaw(plan, *spec);
    std::vector<std::string> notInForce;
    if (!spec->dateField.empty()) core::keepInForce(plan, *spec, layer, notInForce);
    layer.name = spec->id;
    const UploadDir dir;
    ApiResponse r;
    if (format == "shp") {
        const std::string shp = (fs::path(dir.path()) / (id + ".shp")).string();
        (void)gis::writeLayer(shp, layer);
        std::vector<std::string> files;
        for (const auto& e : fs::directory_iterator(dir.path())) files.push_back(e.path().string());
        std::sort(files.begin(), files.end());
        const std::string zip = (fs::path(dir.path()) / (id + ".zip")).string();
        gis::writeZip(zip, files);
        r.body = readAll(zip);
        r.contentType = "application/zip";
        r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + id + ".zip\"");
    } else {
        const std::string file = (fs::path(dir.path()) / (id + "." + format)).string();
        (void)gis::writeLayer(file, layer);
        r.body = readAll(file);
        r.contentType =
            format == "gpkg" ? "application/geopackage+sqlite3" : "application/geo+json";
        r.headers.emplace_back("Content-Disposition",
                               "attachment; filename=\"" + id + "." + format + "\"");
    }
    return r;
}

}  // namespace onemap::web
