#include "onemap/core/time/approval_register.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/plan/plan.hpp"
#include "onemap/core/report/json_report.hpp"
#include "onemap/core/rules/rule_registry.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/base/output_target.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/crs/geodesic.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "onemap/gis/layer/layer_writer.hpp"

namespace onemap::core {
namespace {

const std::vector<gis::Field> kFields = {
    {"project_id", gis::FieldType::String}, {"name", gis::FieldType::String},
    {"verdict", gis::FieldType::String},    {"approved", gis::FieldType::String},
    {"doc", gis::FieldType::String},        {"area_m2", gis::FieldType::Real},
    {"area_mu", gis::FieldType::Real},      {"plan", gis::FieldType::String},
    {"as_of", gis::FieldType::String},      {"check", gis::FieldType::String}};

}  // namespace

ApprovalRegister::Lock::Lock(const std::string& registerPath) {
    // The register is written through a symbolic link to the file it names: that file's
    // folder is locked (two links to one register take one lock), and a register that cannot
    // be written is refused now, before the check, never after it says "approved".
    const std::string target = gis::resolveOutputTarget(registerPath);
    gis::requireWritableTarget(registerPath, target);
    std::filesystem::path folder = std::filesystem::path(target).parent_path();
    if (folder.empty()) folder = ".";
    fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw InputError(registerPath + ": cannot open its folder to lock the register");
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(kLockWaitSeconds);
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (std::chrono::steady_clock::now() > until) {
            ::close(fd_);
            throw InputError(registerPath + ": another approval has held the register for " +
                             std::to_string(kLockWaitSeconds) + " s; try again");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

ApprovalRegister::Lock::~Lock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

std::vector<std::string> ApprovalRegister::refusals(const Report& report) {
    std::vector<std::string> out;
    for (const auto& s : report.sites) {
        if (!s.error.empty()) {
            out.push_back("site '" + s.id + "' could not be checked: " + s.error);
            continue;
        }
        std::string failed;
        for (const auto& r : s.rules)
            if (r.verdict() == Verdict::Fail)
                failed += (failed.empty() ? "" : ", ") + r.ruleId + " (" + r.summary.en + ")";
        if (!failed.empty()) out.push_back("site '" + s.id + "' fails " + failed);
        std::string notChecked;
        for (const auto& r : s.rules)
            if (!r.checked()) notChecked += (notChecked.empty() ? "" : ", ") + r.ruleId;
        if (failed.empty() && !notChecked.empty())
            out.push_back("site '" + s.id + "' was not checked on " + notChecked +
                          " (部分审查 partial)");
    }
    return out;
}

std::string ApprovalRegister::batchConflict(const Report& report, const SiteSet& sites,
                                            const gis::Crs& planCrs) {
    const auto& measure = gis::EllipsoidalMeasure::forThisThread(planCrs);
    const auto area = [](double m2) { return describeArea(m2); };
    for (std::size_t i = 0; i < sites.sites.size(); ++i)
        for (std::size_t j = i + 1; j < sites.sites.size(); ++j) {
            const gis::Geometry& a = sites.sites[i].geometry;
            const gis::Geometry& b = sites.sites[j].geometry;
            if (!a.envelope().intersects(b.envelope()) || !a.intersects(b)) continue;
            const gis::Geometry shared = a.intersection(b).polygonalPart();
            const double m2 = shared.isEmpty() ? 0 : measure.area(shared);
            if (m2 > kNoiseFloorM2)
                return "sites '" + report.sites[i].id + "' and '" + report.sites[j].id +
                       "' of this batch overlap by " + area(m2) +
                       "; one ground cannot be approved twice";
        }
    // Per error quota rule and unit: the least that remained before the batch (each site's
    // remaining plus its own draw) against the batch's draws added up.
    struct Draws {
        double before = 0;
        double total = 0;
        std::vector<std::string> sites;
    };
    std::map<std::pair<std::string, std::string>, Draws> draws;  // (rule, unit)
    for (const auto& s : report.sites)
        for (const auto& r : s.rules) {
            if (!RuleRegistry::instance().kind(r.kind).drawsOnQuota ||
                r.severity != Severity::Error)
                continue;
            std::vector<std::pair<std::string, double>> drawn, remaining;
            if (const Measure* by = r.measure("this_by_m2"); by && r.measure("remaining_by_m2")) {
                drawn = by->breakdown;
                remaining = r.measure("remaining_by_m2")->breakdown;
            } else if (const Measure* unit = r.measure("unit");
                       unit && r.number("this_m2") && r.number("remaining_m2")) {
                drawn = {{gis::toString(unit->value), *r.number("this_m2")}};
                remaining = {{gis::toString(unit->value), *r.number("remaining_m2")}};
            }
            for (const auto& [unitName, m2] : drawn) {
                if (m2 < kNoiseFloorM2) continue;
                const std::string& unit = unitName;  // clang 14 cannot capture a binding
                const auto left = std::find_if(remaining.begin(), remaining.end(),
                                               [&](const auto& x) { return x.first == unit; });
                if (left == remaining.end()) continue;
                Draws& d = draws[{r.ruleId, unit}];
                const double before = left->second + m2;
                d.before = d.sites.empty() ? before : std::min(d.before, before);
                d.total += m2;
                d.sites.push_back(s.id);
            }
        }
    for (const auto& [key, d] : draws) {
        if (d.sites.size() < 2 || d.total <= d.before + kNoiseFloorM2) continue;
        std::string names;
        for (const auto& id : d.sites) names += (names.empty() ? "'" : ", '") + id + "'";
        return "sites " + names + " of this batch together draw " + area(d.total) + " on " +
               key.second + "'s quota (rule '" + key.first + "'), where " + area(d.before) +
               " remain; approve fewer at once";
    }
    return "";
}

gis::VectorLayer ApprovalRegister::newRecords(const Report& report, const SiteSet& sites,
                                              const Approval& approval, const gis::Crs& planCrs,
                                              const std::string& asOf) {
    gis::VectorLayer out;
    out.name = kLayer;
    out.crs = planCrs;
    out.geometryType = "MultiPolygon";
    out.fields = kFields;
    for (std::size_t k = 0; k < report.sites.size(); ++k) {
        const SiteReport& s = report.sites[k];
        gis::Feature f;
        f.values.resize(kFields.size());
        auto set = [&](const std::string& field, gis::Value v) {
            f.values[*out.fieldIndex(field)] = std::move(v);
        };
        set("project_id", s.id);
        set("name", s.name);
        set("verdict", std::string(toString(s.verdict())));
        set("approved", approval.date);
        set("doc", approval.doc);
        set("area_m2", s.areaM2);
        set("area_mu", gis::toMu(s.areaM2));
        set("plan", report.planName);
        set("as_of", asOf);
        set("check", siteCheckJson(s));
        f.geometry = sites.sites[k].geometry;
        out.features.push_back(std::move(f));
    }
    return out;
}

void ApprovalRegister::append(const std::string& path, const Report& report, const SiteSet& sites,
                              const Approval& approval, const gis::Crs& planCrs,
                              const std::string& asOf) {
    if (!isIsoDate(approval.date))
        throw InputError("--approval-date: '" + approval.date +
                         "' is not a date; write YYYY-MM-DD");
    if (const auto no = refusals(report); !no.empty())
        throw InputError(path + ": not approved, nothing written: " + no.front());
    if (const std::string why = batchConflict(report, sites, planCrs); !why.empty())
        throw InputError(path + ": not approved, nothing written: " + why);
    gis::VectorLayer reg;
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        // The append rewrites the file: any other layer in it would be lost.
        for (const auto& name : gis::listLayers(path))
            if (name != kLayer)
                throw InputError(path + ": holds layer '" + name + "' besides '" + kLayer +
                                 "'; a register must be a file of its own (nothing written)");
        reg = gis::readLayer(path, gis::ReadOptions::forTable(kLayer));
        for (const auto& want : kFields)
            if (!reg.fieldIndex(want.name))
                throw InputError(path + ": layer '" + kLayer + "' has no field '" + want.name +
                                 "'; is this a onemap register?");
        if (!reg.crs.isEquivalentTo(planCrs))
            throw InputError(path + ": the register is in " + reg.crs.label() + ", the plan in " +
                             planCrs.label());
    } else {
        reg.name = kLayer;
        reg.crs = planCrs;
        reg.geometryType = "MultiPolygon";
        reg.fields = kFields;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < reg.features.size(); ++i)
        ids.insert(gis::toString(reg.value(i, "project_id")));
    const std::size_t before = reg.features.size();
    std::int64_t fid = 0;
    for (const auto& f : reg.features) fid = std::max(fid, f.fid);
    const gis::VectorLayer fresh = newRecords(report, sites, approval, planCrs, asOf);
    for (std::size_t k = 0; k < report.sites.size(); ++k) {
        const SiteReport& s = report.sites[k];
        if (!ids.insert(s.id).second)
            throw InputError(path + ": project '" + s.id +
                             "' is already in the register (ids must be unique); nothing written");
        gis::Feature f;
        f.fid = ++fid;
        f.values.resize(reg.fields.size());
        for (std::size_t i = 0; i < kFields.size(); ++i)
            f.values[*reg.fieldIndex(kFields[i].name)] = fresh.features[k].values[i];
        f.geometry = fresh.features[k].geometry;
        reg.features.push_back(std::move(f));
    }
    gis::writeLayer(path, reg);
    // Read back: the register holds every old record and every new one, or this is an error.
    const auto back = gis::readLayer(path, gis::ReadOptions::forTable(kLayer));
    if (back.features.size() != before + report.sites.size())
        throw InputError(path + ": read back " + std::to_string(back.features.size()) +
                         " records, expected " + std::to_string(before + report.sites.size()));
}

}  // namespace onemap::core
