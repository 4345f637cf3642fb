#include "submission_api.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "onemap/core/report/json_report.hpp"
#include "onemap/core/time/approval_register.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/calendar.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/text/terminal_text.hpp"
#include "onemap/web/http_error.hpp"

namespace onemap::web {
namespace {

using Json = nlohmann::json;
namespace bureau = core::bureau;

constexpr std::size_t kMaxReason = 2000;

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

ApiResponse jsonAnswer(const Json& j, int status = 200) {
    ApiResponse r;
    r.status = status;
    r.body = dump(j);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

/// The admin units the report's sites lie in, in order of first appearance.
std::vector<std::string> citiesOf(const Json& check) {
    std::vector<std::string> out;
    for (const auto& site : check.at("sites"))
        for (const auto& name : site.value("admin", Json::array()))
            if (name.is_string() &&
                std::find(out.begin(), out.end(), name.get<std::string>()) == out.end())
                out.push_back(name.get<std::string>());
    return out;
}

std::string summaryOf(const core::Report& report) {
    return std::to_string(report.sites.size()) +
           " sites: " + std::to_string(report.countWhole(core::Verdict::Pass)) + " pass, " +
           std::to_string(report.countWhole(core::Verdict::Warn)) + " warn, " +
           std::to_string(report.count(core::Verdict::Fail)) + " fail";
}

Json submissionJson(const bureau::Submission& s) {
    Json j{{"id", s.id},
           {"submitter", s.submitter},
           {"created", s.created},
           {"file_name", s.fileName},
           {"site_sha256", s.siteSha256},
           {"cities", s.cities},
           {"summary", s.summary},
           {"state", bureau::stateName(s.state)},
           {"check", Json::parse(s.checkJson, nullptr, false)}};
    if (s.state != bureau::SubmissionState::Pending) {
        j["decided_by"] = s.decidedBy;
        j["decided"] = s.decided;
        j["reason"] = s.reason;
    }
    if (!s.decisionJson.empty()) j["decision_check"] = Json::parse(s.decisionJson, nullptr, false);
    return j;
}

/// {"reason": …, "doc": …} from a body that may be empty; 400 for anything else.
Json decisionBody(const ApiRequest& request) {
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
    if (request.body.size() > 16384) throw HttpError(413, "a decision is a short JSON object");
    Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object()) throw HttpError(400, "send {\"reason\": \"…\"}");
    for (const auto& [key, value] : body.items()) {
        if (key != "reason" && key != "doc") throw HttpError(400, "unknown key \"" + key + "\"");
        if (!value.is_string()) throw HttpError(400, "\"" + key + "\" must be text");
        if (value.get_ref<const std::string&>().size() > kMaxReason)
            throw HttpError(
                413, "\"" + key + "\" is longer than " + std::to_string(kMaxReason) + " bytes");
    }
    return body;
}

std::int64_t submissionId(const ApiRequest& request) {
    const std::string& text = request.pathParams.at("id");
    if (text.empty() || text.size() > 15 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        throw HttpError(404, "no such submission: " + text.substr(0, 40));
    return std::stoll(text);
}

/// Why the sites of an approval's check may not be approved today: each site's refusals, then
/// any conflict within the batch. Empty = approvable.
std::vector<std::string> refusalsOf(const CheckApi::Checked& c) {
    auto refusals = core::ApprovalRegister::refusals(c.report);
    if (const auto batch =
            core::ApprovalRegister::batchConflict(c.report, c.sites, c.map->plan().crs);
        !batch.empty())
        refusals.push_back(batch);
    return refusals;
}

std::string joinedRefusals(const std::vector<std::string>& refusals) {
    std::string why;
    for (const auto& line : refusals) why += (why.empty() ? "" : "; ") + gis::oneLine(line);
    return why;
}

ApiResponse refusedAnswer(const std::string& today, const std::vector<std::string>& refusals,
                          const std::string& checkJson) {
    Json answer{{"error", "not approved on " + today + ": " + joinedRefusals(refusals)},
                {"refusals", refusals},
                {"check", Json::parse(checkJson)}};
    return jsonAnswer(answer, 409);
}

/// The register's records of an approval, as the bureau's database keeps them.
std::vector<bureau::RegisterEntry> registerEntries(const CheckApi::Checked& c,
                                                   const core::Approval& approval) {
    const auto& plan = c.map->plan();
    const gis::VectorLayer records =
        core::ApprovalRegister::newRecords(c.report, c.sites, approval, plan.crs, plan.asOf);
    std::vector<bureau::RegisterEntry> out;
    for (std::size_t i = 0; i < records.features.size(); ++i) {
        const auto text = [&](const char* field) { return gis::toString(records.value(i, field)); };
        const auto real = [&](const char* field) {
            const gis::Value v = records.value(i, field);
            const auto* d = std::get_if<double>(&v);
            return d ? *d : 0.0;
        };
        bureau::RegisterEntry e;
        e.projectId = text("project_id");
        e.name = text("name");
        e.verdict = text("verdict");
        e.approved = text("approved");
        e.doc = text("doc");
        e.areaM2 = real("area_m2");
        e.areaMu = real("area_mu");
        e.plan = text("plan");
        e.asOf = text("as_of");
        e.check = text("check");
        const auto wkb = records.features[i].geometry.wkb();
        e.wkb.assign(wkb.begin(), wkb.end());
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace

void SubmissionApi::prepareDatabaseRegister(bureau::BureauStore& store, const core::Plan& plan) {
    if (!registerInDatabase(plan)) return;
    const auto srid = plan.crs.epsg();
    if (!srid)
        throw InputError(plan.path + ": the register is the database table " +
                         std::string(kDatabaseRegisterTable) +
                         ", which needs a plan CRS with an EPSG code (the plan is in " +
                         plan.crs.label() + ")");
    try {
        store.prepareRegister(*srid);
    } catch (const InputError&) {
        throw;
    } catch (const bureau::StoreUnavailableError&) {
        throw;
    } catch (const Error& e) {  // a store that keeps no register: SQLite, --data
        throw InputError(plan.path + ": the register is the database table " +
                         std::string(kDatabaseRegisterTable) + "; serve it with --db (" + e.what() +
                         ")");
    }
}

const core::LayerSpec* SubmissionApi::registerLayer(const core::Plan& plan) {
    // The layer a quota rule draws approvals from; else the plan's only dated layer.
    std::set<std::string> ids;
    for (const auto& r : plan.rules)
        if (r.kind == "quota" && !r.text("register").empty()) ids.insert(r.text("register"));
    if (ids.empty())
        for (const auto& l : plan.layers)
            if (!l.dateField.empty()) ids.insert(l.id);
    if (ids.size() != 1) return nullptr;  // none, or two: which one is not ours to guess
    for (const auto& l : plan.layers)
        if (l.id == *ids.begin() && !l.dateField.empty()) return &l;
    return nullptr;
}

std::string SubmissionApi::registerPath(const core::Plan& plan) {
    const core::LayerSpec* l = registerLayer(plan);
    if (l && l->source.size() > 5 && l->source.compare(l->source.size() - 5, 5, ".gpkg") == 0)
        return l->source;
    return "";
}

bool SubmissionApi::registerInDatabase(const core::Plan& plan) {
    const core::LayerSpec* l = registerLayer(plan);
    return l && l->source.rfind("PG:", 0) == 0 && l->table == kDatabaseRegisterTable;
}

ApiResponse SubmissionApi::submit(const ApiRequest& request) const {
    request.allowOnly({"filename"});
    if (request.body.size() > kMaxSiteBytes)
        throw HttpError(413, "a submitted site file is kept: at most " +
                                 std::to_string(kMaxSiteBytes >> 20) + " MiB");
    bureau::SubmissionFilter mine;
    mine.submitter = request.caller.name();
    mine.state = bureau::SubmissionState::Pending;
    if (store_->submissions(mine).size() >= kMaxPendingPerSubmitter)
        throw HttpError(409, request.caller.name() + " has " +
                                 std::to_string(kMaxPendingPerSubmitter) +
                                 " submissions pending: wait for decisions before submitting more");
    const CheckApi::Checked c = checks_.run(request, false);
    bureau::Submission s;
    s.submitter = request.caller.name();
    s.fileName = uploadName(request);
    s.siteBytes = request.body;
    s.checkJson = core::reportJson(c.report, checks_.version());
    s.cities = citiesOf(Json::parse(s.checkJson));
    s.summary = summaryOf(c.report);
    const auto stored = store_->addSubmission(std::move(s));
    ApiResponse r;
    r.body = "{\"id\":" + std::to_string(stored.id) + ",\"check\":" + stored.checkJson + "}";
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

ApiResponse SubmissionApi::list(const ApiRequest& request) const {
    request.allowOnly({"state"});
    bureau::SubmissionFilter f;
    if (const auto state = request.param("state")) {
        f.state = bureau::parseState(*state);
        if (!f.state) throw HttpError(400, "?state=" + *state + ": pending, approved or rejected");
    }
    const auto& caller = request.caller;
    if (caller.role() == Role::Enterprise) f.submitter = caller.name();
    Json out = Json::array();
    for (const auto& s : store_->submissions(f)) {
        if (caller.role() == Role::Approver) {
            const auto& mine = caller.session->user.cities;
            const bool ours = std::any_of(s.cities.begin(), s.cities.end(), [&](const auto& c) {
                return std::find(mine.begin(), mine.end(), c) != mine.end();
            });
            if (!ours) continue;
        }
        out.push_back(submissionJson(s));
    }
    return jsonAnswer({{"submissions", out}});
}

bureau::Submission SubmissionApi::decidable(const ApiRequest& request) const {
    const std::int64_t id = submissionId(request);
    auto s = store_->submission(id);
    if (!s) throw HttpError(404, "no such submission: " + std::to_string(id));
    const auto& mine = request.caller.session->user.cities;
    for (const auto& city : s->cities)
        if (std::find(mine.begin(), mine.end(), city) == mine.end())
            throw HttpError(403, "submission " + std::to_string(id) + " has a site in " + city +
                                     ", where " + request.caller.name() + " does not approve");
    if (s->cities.empty())
        throw HttpError(403, "submission " + std::to_string(id) +
                                 " lies in no city of the plan; no approver's to decide");
    if (s->state != bureau::SubmissionState::Pending)
        throw HttpError(409, "submission " + std::to_string(id) + " is " +
                                 bureau::stateName(s->state) + " already");
    return *s;
}

ApiResponse SubmissionApi::approve(const ApiRequest& request) const {
    request.allowOnly({});
    const Json body = decisionBody(request);
    const bureau::Submission s = decidable(request);
    if (registerInDatabase(maps_.declared())) return approveInDatabase(request, body, s);
    const std::string registerAt = registerPath(maps_.declared());
    if (registerAt.empty())
        throw HttpError(409,
                        "the plan names no register of approved projects (one layer with "
                        "date_field, a GeoPackage): nothing can be approved");
    const std::string today = gis::todayIso();
    // From reading the register to appending to it, no other approval (any process) runs.
    const core::ApprovalRegister::Lock lock(registerAt);
    const CheckApi::Checked c = checks_.runAfresh(s.fileName, s.siteBytes, today);
    const std::string checkJson = core::reportJson(c.report, checks_.version());
    const auto refusals = refusalsOf(c);
    if (!refusals.empty()) {
        store_->append({request.caller.name(), "approve.refused",
                        "submission " + std::to_string(s.id), joinedRefusals(refusals),
                        s.siteSha256, gis::sha256(checkJson)});
        return refusedAnswer(today, refusals, checkJson);
    }
    const core::Approval approval{today, body.value("doc", "")};
    const auto decided =
        store_->decide(request.caller.name(), s.id, bureau::SubmissionState::Approved,
                       body.value("reason", ""), checkJson, [&] {
                           core::ApprovalRegister::append(registerAt, c.report, c.sites, approval,
                                                          c.map->plan().crs, c.map->plan().asOf);
                       });
    maps_.reload();  // every later check sees the new project
    return jsonAnswer(submissionJson(decided));
}

CheckApi::Checked SubmissionApi::checkRegisterAfresh(const bureau::Submission& s,
                                                     const std::string& day) const {
    try {
        return checks_.runAfresh(s.fileName, s.siteBytes, day);
    } catch (const InputError& e) {
        // The register cannot be read (the database restarts, refuses connections): not the
        // submission's fault, so not 400; the message, which holds the connection string, is
        // not passed on.
        const core::LayerSpec* reg = registerLayer(maps_.declared());
        if (reg && std::string(e.what()).find(reg->source) != std::string::npos)
            throw bureau::StoreUnavailableError(
                "the register in the bureau's database cannot be read now; try again");
        throw;
    }
}

ApiResponse SubmissionApi::approveInDatabase(const ApiRequest& request, const Json& body,
                                             const bureau::Submission& s) const {
    const std::string today = gis::todayIso();
    const core::Approval approval{today, body.value("doc", "")};
    std::vector<std::string> refused;
    std::string refusedJson;
    std::optional<bureau::Submission> decided;
    try {
        decided = store_->approveUnderRegisterLock(
            request.caller.name(), s.id, body.value("reason", ""), [&] {
                // The register lock is held: the register read here holds every approval
                // committed before, from any server.
                const CheckApi::Checked c = checkRegisterAfresh(s, today);
                bureau::ApprovalCheck out;
                out.decisionJson = core::reportJson(c.report, checks_.version());
                refused = refusalsOf(c);
                refusedJson = out.decisionJson;
                if (!refused.empty())
                    out.refusal = core::bureau::AuditEntry{request.caller.name(),
                                                           "approve.refused",
                                                           "submission " + std::to_string(s.id),
                                                           joinedRefusals(refused),
                                                           s.siteSha256,
                                                           gis::sha256(out.decisionJson)};
                else
                    out.entries = registerEntries(c, approval);
                return out;
            });
    } catch (const bureau::DecidedAlreadyError& e) {
        throw HttpError(409, e.what());
    }
    if (!decided) return refusedAnswer(today, refused, refusedJson);
    maps_.reload();  // every later check here sees the new project (other servers: the watch)
    return jsonAnswer(submissionJson(*decided));
}

ApiResponse SubmissionApi::reject(const ApiRequest& request) const {
    request.allowOnly({});
    const Json body = decisionBody(request);
    const std::string reason = body.value("reason", "");
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        throw HttpError(400, "a rejection gives its reason: {\"reason\": \"…\"}");
    const bureau::Submission s = decidable(request);
    const auto decided = store_->decide(request.caller.name(), s.id,
                                        bureau::SubmissionState::Rejected, reason, "", {});
    return jsonAnswer(submissionJson(decided));
}

ApiResponse SubmissionApi::approved(const ApiRequest& request) const {
    request.allowOnly({});
    bureau::SubmissionFilter f;
    f.state = bureau::SubmissionState::Approved;
    Json out = Json::array();
    for (const auto& s : store_->submissions(f)) out.push_back(submissionJson(s));
    return jsonAnswer({{"approved", out}});
}

}  // namespace onemap::web
