// onemap-bench PLAN SITES: what the viewer feels (a single site against loaded layers) and
// what a batch costs (load once, then all sites with 1 and 2 threads). JSON on stdout.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "onemap/core/compliance_engine.hpp"
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

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: onemap-bench PLAN SITES\n";
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
        const core::ComplianceEngine engine(map);
        const auto sites = core::SiteSet::load(argv[2], plan.crs);
        engine.bind(sites);
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
        // Frame times of the shared renderer: the whole corridor, and a 1 km view on farmland.
        const render::MapRenderer renderer(map);
        auto frame = [&](const std::optional<gis::Envelope>& extent) {
            std::vector<double> t;
            for (int i = 0; i < 5; ++i) {
                render::RenderOptions o;
                o.size = QSize(1600, 1000);
                o.bare = true;
                o.extent = extent;
                const auto a = Clock::now();
                (void)renderer.renderImage(o);
                t.push_back(seconds(a, Clock::now()) * 1000);
            }
            std::sort(t.begin(), t.end());
            return t[2];
        };
        const auto c = sites.sites.front().geometry.envelope().center();
        out["render_ms"] = {
            {"full_extent", frame(std::nullopt)},
            {"view_1km", frame(gis::Envelope{c.x - 500, c.y - 500, c.x + 500, c.y + 500})}};
#endif
        out["peak_rss_mb"] = peakRssMb();
        std::cout << out.dump(2) << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "onemap-bench: " << e.what() << "\n";
        return 2;
    }
}
