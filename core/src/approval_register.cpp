#include "onemap/core/approval_register.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "onemap/core/plan.hpp"
#include "onemap/core/report_writer.hpp"
#include "onemap/gis/error.hpp"
#include "onemap/gis/geodesic.hpp"
#include "onemap/gis/vector_io.hpp"

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
    std::filesystem::path folder = std::filesystem::path(registerPath).parent_path();
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
                failed += (failed.empty() ? "" : ", ") + r.ruleId + " (" + r.summary + ")";
        if (!failed.empty()) out.push_back("site '" + s.id + "' fails " + failed);
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
    for (std::size_t k = 0; k < report.sites.size(); ++k) {
        const SiteReport& s = report.sites[k];
        if (!ids.insert(s.id).second)
            throw InputError(path + ": project '" + s.id +
                             "' is already in the register (ids must be unique); nothing written");
        gis::Feature f;
        f.fid = ++fid;
        f.values.resize(reg.fields.size());
        auto set = [&](const std::string& field, gis::Value v) {
            f.values[*reg.fieldIndex(field)] = std::move(v);
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
