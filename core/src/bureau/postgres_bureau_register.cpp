// PostgresBureauStore's register of approved projects: a PostGIS table, onemap_bureau.register,
// that plans read as a layer (source "PG:…", table "onemap_bureau.register") and that approvals
// from any number of servers append to.
//
// How approvals are serialised. An approval's check reads the register through GDAL, on a
// connection of GDAL's own: PostgreSQL's SERIALIZABLE cannot see those reads (they are in
// another transaction), so it could not order two approvals that each read the register
// without the other's site. Instead every approval takes one transaction-level advisory lock
// (kRegisterLockKey) first and holds it until it commits or rolls back: the check runs after
// the lock is had, so the register it reads (READ COMMITTED, a fresh connection) holds every
// approval that went before, since each committed before releasing the lock. Then the audit
// lock (always after the register lock, never before: no lock-order cycle), the register rows,
// the decision and its audit record, all in the same transaction. A deadlock or serialisation
// failure PostgreSQL reports is retried (kAttempts, the check run again); a lost connection is
// StoreUnavailableError: the transaction was rolled back by the server, nothing half-written.
#include <cstdio>
#include <mutex>

#include "bureau/postgres_store_state.hpp"
#include "onemap/core/bureau/postgres_bureau_store.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {
namespace {

/// The register's table: the fields ApprovalRegister writes to a GeoPackage register (so the
/// quota and overlap rules read it unchanged), the submission approved, and the geometry.
std::string registerTableSql(int srid) {
    const std::string s = std::to_string(srid);
    return "CREATE TABLE onemap_bureau.register(\n"
           "  fid bigserial PRIMARY KEY,\n"
           "  project_id text NOT NULL UNIQUE,\n"
           "  name text NOT NULL,\n"
           "  verdict text NOT NULL,\n"
           "  approved text NOT NULL,\n"
           "  doc text NOT NULL,\n"
           "  area_m2 double precision NOT NULL,\n"
           "  area_mu double precision NOT NULL,\n"
           "  plan text NOT NULL,\n"
           "  as_of text NOT NULL,\n"
           "  \"check\" text NOT NULL,\n"
           "  submission bigint NOT NULL,\n"
           "  geom geometry(MultiPolygon, " +
           s +
           ") NOT NULL);\n"
           "CREATE INDEX register_geom ON onemap_bureau.register USING gist(geom);\n"
           "CREATE INDEX register_by_submission ON onemap_bureau.register(submission);\n";
}

std::string hexOf(const std::string& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const unsigned char c : bytes) {
        out += kDigits[c >> 4];
        out += kDigits[c & 15];
    }
    return out;
}

std::string number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

}  // namespace

PostgresStoreState& PostgresBureauStore::approvalState() {
    // The caller holds approvalsMutex_. Made on the first approval: a CLI's store needs none.
    if (!approvals_) {
        try {
            approvals_ = std::make_unique<PostgresStoreState>(url_, options_);
        } catch (const InputError& e) {  // it could connect a moment ago: it went away
            throw StoreUnavailableError(e.what());
        }
    }
    return *approvals_;
}

void PostgresBureauStore::prepareRegister(int srid) {
    std::lock_guard lock(state_->mutex);
    state_->writeTransaction(true, [&] {
        auto& db = state_->db;
        if (!db.exec("SELECT to_regtype('geometry') IS NOT NULL").flag(0, 0))
            throw InputError(db.name() +
                             ": the database has no PostGIS, which the register needs (a "
                             "superuser runs CREATE EXTENSION postgis in it)");
        if (!db.exec("SELECT to_regclass('onemap_bureau.register') IS NOT NULL").flag(0, 0)) {
            db.execScript(registerTableSql(srid).c_str());
            return;
        }
        const auto found = db.exec(
            "SELECT srid, type FROM geometry_columns WHERE f_table_schema = 'onemap_bureau' "
            "AND f_table_name = 'register' AND f_geometry_column = 'geom'");
        if (found.rows() != 1)
            throw InputError(db.name() +
                             ": onemap_bureau.register has no geometry column geom; is it a "
                             "onemap register?");
        if (found.integer(0, 0) != srid)
            throw InputError(db.name() + ": onemap_bureau.register is in EPSG:" + found.text(0, 0) +
                             ", the plan in EPSG:" + std::to_string(srid));
    });
}

std::string PostgresBureauStore::registerVersion() {
    std::lock_guard lock(state_->mutex);
    state_->db.reopenIfLost();
    const auto q =
        state_->db.exec("SELECT count(*), coalesce(max(fid), 0) FROM onemap_bureau.register");
    return q.text(0, 0) + ":" + q.text(0, 1);
}

std::optional<Submission> PostgresBureauStore::approveUnderRegisterLock(
    const std::string& actor, std::int64_t id, const std::string& reason,
    const ApprovalCheckRun& check) {
    std::lock_guard lock(approvalsMutex_);
    PostgresStoreState& st = approvalState();
    std::lock_guard stateLock(st.mutex);
    auto& db = st.db;
    const std::string key = std::to_string(id);
    for (int attempt = 1;; ++attempt) {
        db.reopenIfLost();
        db.exec("BEGIN ISOLATION LEVEL READ COMMITTED");
        try {
            db.exec("SELECT pg_advisory_xact_lock($1::bigint)", {std::to_string(kRegisterLockKey)});
            // Decided while this approval waited for the lock (another approver, another
            // server): nothing to check.
            const auto state =
                db.exec("SELECT state FROM onemap_bureau.submissions WHERE id = $1", {key});
            if (state.rows() == 0) throw InputError("submission " + key + ": no such submission");
            if (state.text(0, 0) != "pending")
                throw DecidedAlreadyError("submission " + key + " is " + state.text(0, 0) +
                                          " already");
            const ApprovalCheck verdict = check();
            st.lockAudit();
            if (verdict.refusal) {
                st.appendInTransaction(*verdict.refusal);
                db.exec("COMMIT");
                return std::nullopt;
            }
            for (const auto& e : verdict.entries) {
                if (db.exec("SELECT 1 FROM onemap_bureau.register WHERE project_id = $1",
                            {e.projectId})
                        .rows() > 0)
                    throw InputError("project '" + e.projectId +
                                     "' is already in the register (ids must be unique); "
                                     "nothing written");
                db.exec(
                    "INSERT INTO onemap_bureau.register(project_id, name, verdict, approved, "
                    "doc, area_m2, area_mu, plan, as_of, \"check\", submission, geom) "
                    "VALUES($1, $2, $3, $4, $5, $6::double precision, $7::double precision, "
                    "$8, $9, $10, $11::bigint, ST_Multi(ST_SetSRID(ST_GeomFromWKB(decode($12, "
                    "'hex')), Find_SRID('onemap_bureau', 'register', 'geom'))))",
                    {e.projectId, e.name, e.verdict, e.approved, e.doc, number(e.areaM2),
                     number(e.areaMu), e.plan, e.asOf, e.check, key, hexOf(e.wkb)});
            }
            Submission decided = st.decideInTransaction(actor, id, SubmissionState::Approved,
                                                        reason, verdict.decisionJson, {});
            db.exec("COMMIT");
            return decided;
        } catch (const PostgresStatementError& e) {
            db.rollbackQuietly();
            if (!e.retryable() || attempt >= PostgresStoreState::kAttempts) throw;
        } catch (...) {
            db.rollbackQuietly();
            throw;
        }
    }
}

}  // namespace onemap::core::bureau
