// onemap-bench [--frames] PLAN SITES: what the viewer feels (a single site against loaded
// layers, frame times) and what a batch costs (load once, then all sites with 1 and 2
// threads). JSON on stdout. --frames: only the renderer's frame times.
// onemap-bench --find PLAN: `onemap find` searches (load once, each search three times).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/find/site_finder.hpp"
#include "onemap/gis/crs/area_units.hpp"
#ifdef ONEMAP_BENCH_RENDER
#include "onemap/render/map_renderer.hpp"
#endif

using namespace onemap;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

double peakRssMb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Largest relative difference of any area between the two paths (the part outside a
// boundary relative to its site: it is the site less the inside on the moment path).
nlohmann::ordered_json agreement(const core::Report& overlay, const core::Report& moments) {
    double worst = 0;
    std::size_t compared = 0, verdictsDiffer = 0;
    for (std::size_t i = 0; i < overlay.sites.size(); ++i) {
        const auto& a = overlay.sites[i];
        const auto& b = moments.sites[i];
        if (a.verdict() != b.verdict()) ++verdictsDiffer;
        for (std::size_t r = 0; r < a.rules.size() && r < b.rules.size(); ++r)
            for (std::size_t m = 0; m < a.rules[r].measures.size(); ++m) {
                const auto& ma = a.rules[r].measures[m];
                if (ma.unit != core::Unit::SquareMetres) continue;
                const auto x = ma.number(), y = b.rules[r].measures[m].number();
                if (!x || !y) continue;
                const double scale = ma.name == "outside_m2" ? a.areaM2 : std::abs(*x);
                if (scale > 0) worst = std::max(worst, std::abs(*x - *y) / scale);
                ++compared;
            }
    }
    return {{"areas_compared", compared},
            {"max_relative_difference", worst},
            {"verdicts_differ", verdictsDiffer}};
}

#ifdef ONEMAP_BENCH_RENDER
// Frame times of the shared renderer at the viewer's size (1600×1000), into one kept image
// as the viewer draws them: the whole corridor,
// and views 1, 3 and 10 km wide centred on up to 5 sites spread through the file (median of
// 5 frames each; the worst view's median is reported too).
nlohmann::ordered_json frameTimes(const std::shared_ptr<const core::OneMap>& map,
                                  const core::SiteSet& sites) {
    const render::MapRenderer renderer(map);
    QImage image;  // kept from frame to frame, as the viewer's canvas keeps it
    auto frame = [&](const std::optional<gis::Envelope>& extent) {
        std::vector<double> t;
        for (int i = 0; i < 5; ++i) {
            render::RenderOptions o;
            o.size = QSize(1600, 1000);
            o.bare = true;
            o.extent = extent;
            const auto a = Clock::now();
            renderer.renderInto(image, o);
            t.push_back(seconds(a, Clock::now()) * 1000);
        }
        std::sort(t.begin(), t.end());
        return t[2];
    };
    nlohmann::ordered_json out;
    out["full_extent"] = frame(std::nullopt);
    const std::size_t places = std::min<std::size_t>(5, sites.sites.size());
    for (const double km : {1.0, 3.0, 10.0}) {
        std::vector<double> medians;
        for (std::size_t k = 0; k < places; ++k) {
            const auto& site = sites.sites[k * sites.sites.size() / places];
            const auto c = site.geometry.envelope().center();
            const double h = km * 500;
            medians.push_back(
                frame(gis::Envelope{c.x - h, c.y - h * 0.625, c.x + h, c.y + h * 0.625}));
        }
        std::sort(medians.begin(), medians.end());
        const std::string name = "view_" + std::to_string(static_cast<int>(km)) + "km";
        out[name] = medians[medians.size() / 2];
        out[name + "_worst"] = medians.back();
    }
    return out;
}
#endif

// Corridor-wide and one-city searches for a 150-亩 project, median of three, with the load
// (the map is read once, as `onemap find` does) measured apart.
nlohmann::ordered_json findTimes(const std::string& planPath) {
    nlohmann::ordered_json out;
    const auto t0 = Clock::now();
    const auto map = core::OneMap::load(core::Plan::load(planPath));
    out["load_s"] = seconds(t0, Clock::now());
    struct Search {
        const char* name;
        const char* industry;
        std::vector<std::string> cities;
    };
    for (const Search& s : {Search{"corridor_ic", "集成电路", {}}, Search{"corridor_any", "", {}},
                            Search{"suzhou_ic", "集成电路", {"苏州市"}}}) {
        core::ProjectBrief brief;
        brief.areaM2 = 150 * gis::kSquareMetresPerMu;
        brief.industry = s.industry;
        brief.cities = s.cities;
        brief.count = 5;
        std::vector<double> times;
        core::FindResult result;
        for (int run = 0; run < 3; ++run) {
            const auto a = Clock::now();
            result = core::SiteFinder(map, brief).find();
            times.push_back(seconds(a, Clock::now()));
        }
        std::sort(times.begin(), times.end());
        out[s.name] = {{"seconds_median", times[1]},
                       {"seconds_worst", times.back()},
                       {"free_land_m2", result.freeLand.areaM2},
                       {"candidates", result.candidates.size()},
                       {"plots_tried", result.plotsTried}};
    }
    out["peak_rss_mb"] = peakRssMb();
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--find") {
        try {
            std::cout << findTimes(argv[2]).dump(2) << "\n";
            return 0;
        } catch (const std::exception& e) {
            std::cerr << "onemap-bench: " << e.what() << "\n";
            return 2;
        }
    }
    const bool framesOnly = argc > 1 && std::string(argv[1]) == "--frames";
    if (framesOnly) {
        --argc;
        ++argv;
    }
    if (argc < 3) {
        std::cerr << "usage: onemap-bench [--frames] PLAN SITES | onemap-bench --find PLAN\n";
        return 2;
    }
    try {
        nlohmann::ordered_json out;
        auto t0 = Clock::now();
        const auto plan = core::Plan::load(argv[1]);
        const auto map = core::OneMap::load(plan);
        auto t1 = Clock::now();
        out["load_s"] = seconds(t0, t1);
        out["load_peak_rss_mb"] = peakRssMb();
        std::size_t features = 0;
        for (const auto& l : map->layers()) features += l->size();
        out["features"] = features;
        const auto sites = core::SiteSet::load(argv[2], plan.crs);
#ifdef ONEMAP_BENCH_RENDER
        if (framesOnly) {  // just the renderer (profiling the viewer's frames)
            out["render_ms"] = frameTimes(map, sites);
            std::cout << out.dump(2) << "\n";
            return 0;
        }
#endif
        const core::ComplianceEngine engine(map);
        engine.bind();
        // Single-site latency: each site checked alone, as the viewer does.
        std::vector<double> ms;
        const std::size_t n = std::min<std::size_t>(sites.sites.size(), 1000);
        for (std::size_t i = 0; i < n; ++i) {
            const auto a = Clock::now();
            (void)engine.check(sites, sites.sites[i]);
            ms.push_back(seconds(a, Clock::now()) * 1000);
        }
        std::sort(ms.begin(), ms.end());
        out["single_site_ms"] = {
            {"n", n}, {"median", ms[n / 2]}, {"p95", ms[n * 95 / 100]}, {"max", ms.back()}};
        // Batches as `onemap check` runs them: measured from area moments (no conflict
        // geometry), and, for comparison, by GEOS overlay with conflict geometries.
        core::Report overlay, moments;
        for (const bool geometries : {false, true}) {
            core::ComplianceEngine batchEngine(map);
            batchEngine.setConflictGeometries(geometries);
            for (int threads : {1, 2}) {
                const auto a = Clock::now();
                auto report = batchEngine.run(sites, nullptr, threads);
                const double s = seconds(a, Clock::now());
                out[geometries ? "batch_overlay" : "batch"][std::to_string(threads) + "_threads"] =
                    {{"sites", report.sites.size()},
                     {"seconds", s},
                     {"sites_per_s", report.sites.size() / s}};
                (geometries ? overlay : moments) = std::move(report);
            }
        }
        out["moments_vs_overlay"] = agreement(overlay, moments);
#ifdef ONEMAP_BENCH_RENDER
        out["render_ms"] = frameTimes(map, sites);
#endif
        out["peak_rss_mb"] = peakRssMb();
        std::cout << out.dump(2) << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "onemap-bench: " << e.what() << "\n";
        return 2;
    }
}
