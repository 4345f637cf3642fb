#include "bureau/postgres_store_state.hpp"

#include <string>

#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {
namespace {

// Schema 1 of the PostgreSQL store, in a schema of its own. The tables mirror the SQLite
// store's (times as the same text, so records hash alike). The audit table refuses UPDATE,
// DELETE and TRUNCATE through triggers: not a defence against a superuser (who can disable
// them), which is what the hash chain is for, but it stops a slip of onemap's own code or of
// an administrator at the psql prompt.
constexpr const char* kSchema = R"sql(
CREATE SCHEMA onemap_bureau;
CREATE TABLE onemap_bureau.meta(key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE onemap_bureau.users(
  name text PRIMARY KEY,
  role text NOT NULL CHECK(role IN ('public','enterprise','planner','approver','admin')),
  cities text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created text NOT NULL,
  changed text NOT NULL,
  password_hash text NOT NULL);
CREATE TABLE onemap_bureau.sessions(
  id text PRIMARY KEY,
  user_name text NOT NULL REFERENCES onemap_bureau.users(name),
  created text NOT NULL,
  expires text NOT NULL,
  from_address text NOT NULL,
  csrf_hash text NOT NULL);
CREATE INDEX sessions_by_user ON onemap_bureau.sessions(user_name);
CREATE TABLE onemap_bureau.audit(
  seq bigint PRIMARY KEY,
  time text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  subject text NOT NULL,
  detail text NOT NULL,
  inputs_sha256 text NOT NULL,
  answer_sha256 text NOT NULL,
  prev_hash text NOT NULL UNIQUE,
  hash text NOT NULL);
CREATE FUNCTION onemap_bureau.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON onemap_bureau.audit
  FOR EACH ROW EXECUTE FUNCTION onemap_bureau.audit_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON onemap_bureau.audit
  FOR EACH ROW EXECUTE FUNCTION onemap_bureau.audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON onemap_bureau.audit
  FOR EACH STATEMENT EXECUTE FUNCTION onemap_bureau.audit_append_only();
)sql";

// Submissions and decisions (added to schema 1 after its first release: created when missing,
// in stores made before them too). The same columns as the SQLite store's; the site file as
// bytea.
constexpr const char* kSubmissionTables = R"sql(
CREATE TABLE IF NOT EXISTS onemap_bureau.submissions(
  id bigserial PRIMARY KEY,
  submitter text NOT NULL,
  created text NOT NULL,
  file_name text NOT NULL,
  site_bytes bytea NOT NULL,
  site_sha256 text NOT NULL,
  check_json text NOT NULL,
  cities text NOT NULL,
  summary text NOT NULL,
  state text NOT NULL CHECK(state IN ('pending','approved','rejected')),
  decided_by text NOT NULL DEFAULT '',
  decided text NOT NULL DEFAULT '',
  reason text NOT NULL DEFAULT '',
  decision_json text NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS submissions_by_submitter ON onemap_bureau.submissions(submitter);
)sql";

}  // namespace

const char* const kPostgresUserColumns = "name, role, cities, disabled, created, changed";
const char* const kPostgresAuditColumns =
    "seq, time, actor, action, subject, detail, inputs_sha256, answer_sha256, prev_hash, hash";

User userFromResult(const PostgresResult& result, int row, int first) {
    User u;
    u.name = result.text(row, first);
    u.role = parseRole(result.text(row, first + 1)).value_or(Role::Public);
    u.cities = splitCities(result.text(row, first + 2));
    u.disabled = result.flag(row, first + 3);
    u.created = result.text(row, first + 4);
    u.changed = result.text(row, first + 5);
    return u;
}

AuditRecord recordFromResult(const PostgresResult& result, int row) {
    AuditRecord r;
    r.seq = result.integer(row, 0);
    r.time = result.text(row, 1);
    r.entry.actor = result.text(row, 2);
    r.entry.action = result.text(row, 3);
    r.entry.subject = result.text(row, 4);
    r.entry.detail = result.text(row, 5);
    r.entry.inputsSha256 = result.text(row, 6);
    r.entry.answerSha256 = result.text(row, 7);
    r.previousHash = result.text(row, 8);
    r.hash = result.text(row, 9);
    return r;
}

void PostgresStoreState::lockAudit() {
    db.exec("SELECT pg_advisory_xact_lock($1::bigint)",
            {std::to_string(PostgresBureauStore::kAuditLockKey)});
}

std::optional<User> PostgresStoreState::findUser(const std::string& name) {
    const auto q = db.exec((std::string("SELECT ") + kPostgresUserColumns +
                            " FROM onemap_bureau.users WHERE name = $1")
                               .c_str(),
                           {name});
    if (q.rows() == 0) return std::nullopt;
    return userFromResult(q, 0);
}

User PostgresStoreState::requireUser(const std::string& name) {
    auto u = findUser(name);
    if (!u) throw InputError("user \"" + name + "\": no such user");
    return *u;
}

std::string PostgresStoreState::passwordHash(const std::string& name) {
    const auto q = db.exec("SELECT password_hash FROM onemap_bureau.users WHERE name = $1", {name});
    return q.rows() == 0 ? std::string() : q.text(0, 0);
}

AuditRecord PostgresStoreState::appendInTransaction(const AuditEntry& entry) {
    return appendAllInTransaction({entry}).back();
}

std::vector<AuditRecord> PostgresStoreState::appendAllInTransaction(
    const std::vector<AuditEntry>& entries) {
    AuditRecord previous;
    previous.hash = kGenesisHash;
    {
        // The audit lock is held: no other writer appends until this transaction ends, and in
        // READ COMMITTED this statement sees every record committed before the lock was taken.
        const auto last =
            db.exec("SELECT seq, hash FROM onemap_bureau.audit ORDER BY seq DESC LIMIT 1");
        if (last.rows() > 0) {
            previous.seq = last.integer(0, 0);
            previous.hash = last.text(0, 1);
        }
    }
    const std::string insert = std::string("INSERT INTO onemap_bureau.audit(") +
                               kPostgresAuditColumns +
                               ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    std::vector<AuditRecord> out;
    out.reserve(entries.size());
    for (const auto& entry : entries) {
        AuditRecord r;
        r.entry = entry;
        r.time = utcNow();
        r.seq = previous.seq + 1;
        r.previousHash = previous.hash;
        r.hash = auditRecordHash(r);
        db.exec(insert.c_str(), {std::to_string(r.seq), r.time, r.entry.actor, r.entry.action,
                                 r.entry.subject, r.entry.detail, r.entry.inputsSha256,
                                 r.entry.answerSha256, r.previousHash, r.hash});
        previous = r;
        out.push_back(std::move(r));
    }
    return out;
}

int PostgresStoreState::closeSessionsInTransaction(const std::string& name) {
    return db.exec("DELETE FROM onemap_bureau.sessions WHERE user_name = $1", {name}).changes();
}

void PostgresStoreState::setUpSchema(bool create) {
    // The audit lock also serialises two processes creating the store at once.
    writeTransaction(true, [&] {
        const auto schema =
            db.exec("SELECT count(*) FROM pg_namespace WHERE nspname = 'onemap_bureau'");
        if (schema.integer(0, 0) == 0) {
            if (!create)
                throw InputError(db.name() +
                                 ": no onemap bureau store in this database (schema "
                                 "onemap_bureau); `onemap user add … --db URL` creates one");
            db.execScript(kSchema);
            db.exec(
                "INSERT INTO onemap_bureau.meta(key, value) VALUES('store', 'onemap-bureau'), "
                "('schema', $1), ('created', $2)",
                {std::to_string(PostgresBureauStore::kSchemaVersion), utcNow()});
            addCommentTables(db);  // comments (意见征询): an addition to any version
            db.execScript(kSubmissionTables);
            return;
        }
        const auto meta = db.exec("SELECT to_regclass('onemap_bureau.meta') IS NOT NULL");
        if (!meta.flag(0, 0))
            throw InputError(db.name() +
                             ": schema onemap_bureau is not a onemap bureau store (no meta table)");
        const auto rows = db.exec(
            "SELECT (SELECT value FROM onemap_bureau.meta WHERE key = 'store'), "
            "(SELECT value FROM onemap_bureau.meta WHERE key = 'schema')");
        if (rows.text(0, 0) != "onemap-bureau")
            throw InputError(db.name() +
                             ": schema onemap_bureau is not a onemap bureau store (its meta "
                             "table names no onemap-bureau store)");
        const std::string version = rows.text(0, 1);
        if (version != std::to_string(PostgresBureauStore::kSchemaVersion))
            throw InputError(db.name() + ": bureau store schema \"" + version +
                             "\"; this onemap reads schema " +
                             std::to_string(PostgresBureauStore::kSchemaVersion));
        addCommentTables(db);  // comments (意见征询): an addition to any version
        if (!db.exec("SELECT to_regclass('onemap_bureau.submissions') IS NOT NULL").flag(0, 0))
            db.execScript(kSubmissionTables);
    });
}

}  // namespace onemap::core::bureau
