// SqliteBureauStore's submissions and decisions (the accounts and the audit trail are in
// sqlite_bureau_store.cpp, the sessions in sqlite_bureau_sessions.cpp).
#include <mutex>

#include "bureau/sqlite_statement.hpp"
#include "bureau/sqlite_store_state.hpp"
#include "bureau/sqlite_transaction.hpp"
#include "bureau/store_fields.hpp"
#include "onemap/core/bureau/sqlite_bureau_store.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {
namespace {

constexpr const char* kListColumns =
    "id, submitter, created, file_name, site_sha256, check_json, cities, summary, state, "
    "decided_by, decided, reason, decision_json";

Submission fromRow(const SqliteStatement& row) {
    Submission s;
    s.id = row.integer(0);
    s.submitter = row.text(1);
    s.created = row.text(2);
    s.fileName = row.text(3);
    s.siteSha256 = row.text(4);
    s.checkJson = row.text(5);
    s.cities = splitCities(row.text(6));
    s.summary = row.text(7);
    s.state = parseState(row.text(8)).value_or(SubmissionState::Pending);
    s.decidedBy = row.text(9);
    s.decided = row.text(10);
    s.reason = row.text(11);
    s.decisionJson = row.text(12);
    return s;
}

}  // namespace

Submission SqliteBureauStore::addSubmission(Submission s) {
    checkName(s.submitter, "submitter");
    for (const auto& c : s.cities) checkCity(c);
    s.created = utcNow();
    s.state = SubmissionState::Pending;
    s.siteSha256 = gis::sha256(s.siteBytes);
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    SqliteStatement insert(state_->db,
                           "INSERT INTO submissions(submitter, created, file_name, site_bytes, "
                           "site_sha256, check_json, cities, summary, state) "
                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')");
    insert.bind(1, s.submitter)
        .bind(2, s.created)
        .bind(3, s.fileName)
        .bindBlob(4, s.siteBytes)
        .bind(5, s.siteSha256)
        .bind(6, s.checkJson)
        .bind(7, joinCities(s.cities))
        .bind(8, s.summary);
    insert.run();
    SqliteStatement id(state_->db, "SELECT last_insert_rowid()");
    id.step();
    s.id = id.integer(0);
    state_->appendInTransaction({s.submitter, "submit", "submission " + std::to_string(s.id),
                                 s.fileName + ": " + s.summary, s.siteSha256,
                                 gis::sha256(s.checkJson)});
    t.commit();
    return s;
}

std::vector<Submission> SqliteBureauStore::submissions(const SubmissionFilter& filter) {
    std::lock_guard lock(state_->mutex);
    SqliteStatement q(state_->db, (std::string("SELECT ") + kListColumns +
                                   " FROM submissions WHERE (?1 = '' OR submitter = ?1) AND "
                                   "(?2 = '' OR state = ?2) ORDER BY id DESC LIMIT ?3")
                                      .c_str());
    q.bind(1, filter.submitter)
        .bind(2, filter.state ? stateName(*filter.state) : std::string())
        .bind(3, filter.limit);
    std::vector<Submission> out;
    while (q.step()) out.push_back(fromRow(q));
    return out;
}

std::optional<Submission> SqliteBureauStore::submission(std::int64_t id) {
    std::lock_guard lock(state_->mutex);
    SqliteStatement q(state_->db, (std::string("SELECT ") + kListColumns +
                                   ", site_bytes FROM submissions WHERE id = ?1")
                                      .c_str());
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    Submission s = fromRow(q);
    s.siteBytes = q.blob(13);
    return s;
}

Submission SqliteBureauStore::decide(const std::string& actor, std::int64_t id, SubmissionState to,
                                     const std::string& reason, const std::string& decisionJson,
                                     const std::function<void()>& inTransaction) {
    if (to == SubmissionState::Pending) throw InputError("a decision approves or rejects");
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    SqliteStatement find(state_->db, "SELECT state FROM submissions WHERE id = ?1");
    find.bind(1, id);
    if (!find.step()) throw InputError("submission " + std::to_string(id) + ": no such submission");
    if (find.text(0) != "pending")
        throw InputError("submission " + std::to_string(id) + " is " + find.text(0) + " already");
    const std::string now = utcNow();
    SqliteStatement update(state_->db,
                           "UPDATE submissions SET state = ?1, decided_by = ?2, decided = ?3, "
                           "reason = ?4, decision_json = ?5 WHERE id = ?6 AND state = 'pending'");
    update.bind(1, stateName(to))
        .bind(2, actor)
        .bind(3, now)
        .bind(4, reason)
        .bind(5, decisionJson)
        .bind(6, id);
    update.run();
    SqliteStatement site(state_->db, "SELECT site_sha256 FROM submissions WHERE id = ?1");
    site.bind(1, id);
    site.step();
    state_->appendInTransaction({actor, to == SubmissionState::Approved ? "approve" : "reject",
                                 "submission " + std::to_string(id), reason, site.text(0),
                                 decisionJson.empty() ? "" : gis::sha256(decisionJson)});
    if (inTransaction) inTransaction();
    t.commit();
    SqliteStatement q(
        state_->db,
        (std::string("SELECT ") + kListColumns + " FROM submissions WHERE id = ?1").c_str());
    q.bind(1, id);
    q.step();
    return fromRow(q);
}

}  // namespace onemap::core::bureau
