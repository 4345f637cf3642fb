// PostgresBureauStore's submissions and decisions (the accounts and the audit trail are in
// postgres_bureau_store.cpp, the sessions in postgres_bureau_sessions.cpp). The same rows,
// records and errors as the SQLite store's (sqlite_bureau_submissions.cpp); each change and its
// audit record in one transaction that holds the audit lock.
#include <mutex>

#include "bureau/postgres_store_state.hpp"
#include "onemap/core/bureau/postgres_bureau_store.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {
namespace {

constexpr const char* kListColumns =
    "id, submitter, created, file_name, site_sha256, check_json, cities, summary, state, "
    "decided_by, decided, reason, decision_json";

Submission fromResult(const PostgresResult& q, int row) {
    Submission s;
    s.id = q.integer(row, 0);
    s.submitter = q.text(row, 1);
    s.created = q.text(row, 2);
    s.fileName = q.text(row, 3);
    s.siteSha256 = q.text(row, 4);
    s.checkJson = q.text(row, 5);
    s.cities = splitCities(q.text(row, 6));
    s.summary = q.text(row, 7);
    s.state = parseState(q.text(row, 8)).value_or(SubmissionState::Pending);
    s.decidedBy = q.text(row, 9);
    s.decided = q.text(row, 10);
    s.reason = q.text(row, 11);
    s.decisionJson = q.text(row, 12);
    return s;
}

/// Bytes as bytea's hex input ("\x4142…"): a site file may hold any byte, NUL included.
std::string byteaHex(const std::string& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out = "\\x";
    out.reserve(2 + bytes.size() * 2);
    for (const unsigned char c : bytes) {
        out += kDigits[c >> 4];
        out += kDigits[c & 15];
    }
    return out;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw Error("bureau store: a site file column that is not bytea hex");
}

/// bytea's hex output (bytea_output = hex, set by the connection's SELECT) back to bytes.
std::string fromByteaHex(const std::string& text) {
    if (text.rfind("\\x", 0) != 0) throw Error("bureau store: a site file column that is not hex");
    std::string out;
    out.reserve((text.size() - 2) / 2);
    for (std::size_t i = 2; i + 1 < text.size(); i += 2)
        out += static_cast<char>(hexValue(text[i]) * 16 + hexValue(text[i + 1]));
    return out;
}

}  // namespace

Submission PostgresBureauStore::addSubmission(Submission s) {
    checkName(s.submitter, "submitter");
    for (const auto& c : s.cities) checkCity(c);
    s.state = SubmissionState::Pending;
    s.siteSha256 = gis::sha256(s.siteBytes);
    const std::string bytes = byteaHex(s.siteBytes);
    std::lock_guard lock(state_->mutex);
    return state_->writeTransaction(true, [&] {
        Submission added = s;
        added.created = utcNow();
        const auto q = state_->db.exec(
            "INSERT INTO onemap_bureau.submissions(submitter, created, file_name, site_bytes, "
            "site_sha256, check_json, cities, summary, state) "
            "VALUES($1, $2, $3, $4::bytea, $5, $6, $7, $8, 'pending') RETURNING id",
            {added.submitter, added.created, added.fileName, bytes, added.siteSha256,
             added.checkJson, joinCities(added.cities), added.summary});
        added.id = q.integer(0, 0);
        state_->appendInTransaction({added.submitter, "submit",
                                     "submission " + std::to_string(added.id),
                                     added.fileName + ": " + added.summary, added.siteSha256,
                                     gis::sha256(added.checkJson)});
        return added;
    });
}

std::vector<Submission> PostgresBureauStore::submissions(const SubmissionFilter& filter) {
    std::lock_guard lock(state_->mutex);
    state_->db.reopenIfLost();
    const auto q = state_->db.exec(
        (std::string("SELECT ") + kListColumns +
         " FROM onemap_bureau.submissions WHERE ($1::text = '' OR submitter = $1::text) AND "
         "($2::text = '' OR state = $2::text) ORDER BY id DESC LIMIT $3::bigint")
            .c_str(),
        {filter.submitter, filter.state ? stateName(*filter.state) : std::string(),
         std::to_string(filter.limit)});
    std::vector<Submission> out;
    for (int row = 0; row < q.rows(); ++row) out.push_back(fromResult(q, row));
    return out;
}

std::optional<Submission> PostgresBureauStore::submission(std::int64_t id) {
    std::lock_guard lock(state_->mutex);
    state_->db.reopenIfLost();
    const auto q = state_->db.exec((std::string("SELECT ") + kListColumns +
                                    ", site_bytes FROM onemap_bureau.submissions WHERE id = $1")
                                       .c_str(),
                                   {std::to_string(id)});
    if (q.rows() == 0) return std::nullopt;
    Submission s = fromResult(q, 0);
    s.siteBytes = fromByteaHex(q.text(0, 13));
    return s;
}

Submission PostgresBureauStore::decide(const std::string& actor, std::int64_t id,
                                       SubmissionState to, const std::string& reason,
                                       const std::string& decisionJson,
                                       const std::function<void()>& inTransaction) {
    if (to == SubmissionState::Pending) throw InputError("a decision approves or rejects");
    std::lock_guard lock(state_->mutex);
    return state_->writeTransaction(true, [&] {
        return state_->decideInTransaction(actor, id, to, reason, decisionJson, inTransaction);
    });
}

Submission PostgresStoreState::decideInTransaction(const std::string& actor, std::int64_t id,
                                                   SubmissionState to, const std::string& reason,
                                                   const std::string& decisionJson,
                                                   const std::function<void()>& inTransaction) {
    const std::string key = std::to_string(id);
    // FOR UPDATE: a decision of the same submission elsewhere waits for this one (the audit
    // lock already orders them; the row lock keeps that true for any later writer).
    const auto find = db.exec(
        "SELECT state, site_sha256 FROM onemap_bureau.submissions WHERE id = $1 FOR UPDATE", {key});
    if (find.rows() == 0) throw InputError("submission " + key + ": no such submission");
    if (find.text(0, 0) != "pending")
        throw DecidedAlreadyError("submission " + key + " is " + find.text(0, 0) + " already");
    db.exec(
        "UPDATE onemap_bureau.submissions SET state = $1, decided_by = $2, decided = $3, "
        "reason = $4, decision_json = $5 WHERE id = $6 AND state = 'pending'",
        {stateName(to), actor, utcNow(), reason, decisionJson, key});
    appendInTransaction({actor, to == SubmissionState::Approved ? "approve" : "reject",
                         "submission " + key, reason, find.text(0, 1),
                         decisionJson.empty() ? "" : gis::sha256(decisionJson)});
    if (inTransaction) inTransaction();
    const auto q = db.exec(
        (std::string("SELECT ") + kListColumns + " FROM onemap_bureau.submissions WHERE id = $1")
            .c_str(),
        {key});
    return fromResult(q, 0);
}

}  // namespace onemap::core::bureau
