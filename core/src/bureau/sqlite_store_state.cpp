#include "bureau/sqlite_store_state.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "bureau/sqlite_transaction.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {
namespace {

// Schema 1. The audit table refuses UPDATE and DELETE through triggers: not a defence against
// someone holding the file (they can drop a trigger), which is what the hash chain is for, but
// it stops a slip of onemap's own code or of an administrator at the sqlite3 prompt.
constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users(
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK(role IN ('public','enterprise','planner','approver','admin')),
  cities TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created TEXT NOT NULL,
  changed TEXT NOT NULL,
  password_hash TEXT NOT NULL);
CREATE TABLE audit(
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  inputs_sha256 TEXT NOT NULL,
  answer_sha256 TEXT NOT NULL,
  prev_hash TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql";

// Schema 2 adds the sessions (one row per open session, keyed by its token's SHA-256) and the
// submissions.
constexpr const char* kSessions = R"sql(
CREATE TABLE sessions(
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users(name),
  created TEXT NOT NULL,
  expires TEXT NOT NULL,
  from_address TEXT NOT NULL,
  csrf_hash TEXT NOT NULL);
CREATE INDEX sessions_by_user ON sessions(user_name);
CREATE TABLE submissions(
  id INTEGER PRIMARY KEY,
  submitter TEXT NOT NULL,
  created TEXT NOT NULL,
  file_name TEXT NOT NULL,
  site_bytes BLOB NOT NULL,
  site_sha256 TEXT NOT NULL,
  check_json TEXT NOT NULL,
  cities TEXT NOT NULL,
  summary TEXT NOT NULL,
  state TEXT NOT NULL CHECK(state IN ('pending','approved','rejected')),
  decided_by TEXT NOT NULL DEFAULT '',
  decided TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  decision_json TEXT NOT NULL DEFAULT '');
CREATE INDEX submissions_by_submitter ON submissions(submitter);
)sql";

// Schema 3 adds the public's comments on projects under 公示 (意见征询).
constexpr const char* kComments = R"sql(
CREATE TABLE comments(
  id INTEGER PRIMARY KEY,
  submission INTEGER NOT NULL REFERENCES submissions(id),
  created TEXT NOT NULL,
  author TEXT NOT NULL,
  from_hash TEXT NOT NULL,
  text TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0);
CREATE INDEX comments_by_submission ON comments(submission);
)sql";

}  // namespace

const char* const kAuditColumns =
    "seq, time, actor, action, subject, detail, inputs_sha256, answer_sha256, prev_hash, hash";
const char* const kUserColumns = "name, role, cities, disabled, created, changed";

User userFromRow(const SqliteStatement& row) {
    User u;
    u.name = row.text(0);
    u.role = parseRole(row.text(1)).value_or(Role::Public);
    u.cities = splitCities(row.text(2));
    u.disabled = row.integer(3) != 0;
    u.created = row.text(4);
    u.changed = row.text(5);
    return u;
}

AuditRecord recordFromRow(const SqliteStatement& row) {
    AuditRecord r;
    r.seq = row.integer(0);
    r.time = row.text(1);
    r.entry.actor = row.text(2);
    r.entry.action = row.text(3);
    r.entry.subject = row.text(4);
    r.entry.detail = row.text(5);
    r.entry.inputsSha256 = row.text(6);
    r.entry.answerSha256 = row.text(7);
    r.previousHash = row.text(8);
    r.hash = row.text(9);
    return r;
}

std::optional<User> SqliteStoreState::findUser(const std::string& name) {
    SqliteStatement q(
        db, (std::string("SELECT ") + kUserColumns + " FROM users WHERE name = ?1").c_str());
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    return userFromRow(q);
}

User SqliteStoreState::requireUser(const std::string& name) {
    auto u = findUser(name);
    if (!u) throw InputError("user \"" + name + "\": no such user");
    return *u;
}

AuditRecord SqliteStoreState::appendInTransaction(const AuditEntry& entry) {
    return appendAllInTransaction({entry}).back();
}

std::vector<AuditRecord> SqliteStoreState::appendAllInTransaction(
    const std::vector<AuditEntry>& entries) {
    // The predecessor read once, inside the write lock; each record then follows the last.
    AuditRecord previous;
    previous.hash = kGenesisHash;
    {
        SqliteStatement last(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
        if (last.step()) {
            previous.seq = last.integer(0);
            previous.hash = last.text(1);
        }
    }
    SqliteStatement insert(db, (std::string("INSERT INTO audit(") + kAuditColumns +
                                ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                                   .c_str());
    std::vector<AuditRecord> out;
    out.reserve(entries.size());
    for (const auto& entry : entries) {
        AuditRecord r;
        r.entry = entry;
        r.time = utcNow();
        r.seq = previous.seq + 1;
        r.previousHash = previous.hash;
        r.hash = auditRecordHash(r);
        insert.reset();
        insert.bind(1, r.seq)
            .bind(2, r.time)
            .bind(3, r.entry.actor)
            .bind(4, r.entry.action)
            .bind(5, r.entry.subject)
            .bind(6, r.entry.detail)
            .bind(7, r.entry.inputsSha256)
            .bind(8, r.entry.answerSha256)
            .bind(9, r.previousHash)
            .bind(10, r.hash);
        insert.run();
        previous = r;
        out.push_back(std::move(r));
    }
    return out;
}

void SqliteStoreState::setUpSchema(bool create) {
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    SqliteWriteTransaction t(db);
    SqliteStatement tables(db, "SELECT count(*) FROM sqlite_master WHERE name = 'meta'");
    tables.step();
    if (tables.integer(0) == 0) {
        SqliteStatement any(db, "SELECT count(*) FROM sqlite_master");
        any.step();
        if (!create || any.integer(0) != 0)
            throw InputError(db.path() + ": not a onemap bureau store (no meta table)");
        db.exec(kSchema);
        db.exec(kSessions);
        db.exec(kComments);
        const std::string version = std::to_string(SqliteBureauStore::kSchemaVersion);
        SqliteStatement meta(db,
                             "INSERT INTO meta(key, value) VALUES('store', "
                             "'onemap-bureau'), ('schema', ?1), ('created', ?2)");
        meta.bind(1, version).bind(2, utcNow());
        meta.run();
    } else {
        SqliteStatement schema(db, "SELECT value FROM meta WHERE key = 'schema'");
        const std::string version = schema.step() ? schema.text(0) : "";
        if (version == "1" || version == "2") {  // written before sessions or comments
            if (version == "1") db.exec(kSessions);
            db.exec(kComments);
            db.exec("UPDATE meta SET value = '3' WHERE key = 'schema'");
        } else if (version != std::to_string(SqliteBureauStore::kSchemaVersion))
            throw InputError(db.path() + ": bureau store schema \"" + version +
                             "\"; this onemap reads schema " +
                             std::to_string(SqliteBureauStore::kSchemaVersion));
    }
    t.commit();
}

void SqliteStoreState::forgetSessions(const std::string& id) {
    std::lock_guard lock(cacheMutex);
    if (id.empty())
        sessionCache.clear();
    else
        sessionCache.erase(id);
}

int SqliteStoreState::closeSessionsInTransaction(const std::string& name) {
    forgetSessions();
    SqliteStatement close(db, "DELETE FROM sessions WHERE user_name = ?1");
    close.bind(1, name);
    close.run();
    return db.changes();
}

}  // namespace onemap::core::bureau
