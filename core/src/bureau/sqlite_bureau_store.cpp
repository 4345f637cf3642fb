#include "onemap/core/bureau/sqlite_bureau_store.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "bureau/data_folder.hpp"
#include "bureau/sqlite_database.hpp"
#include "bureau/sqlite_statement.hpp"
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

constexpr const char* kAuditColumns =
    "seq, time, actor, action, subject, detail, inputs_sha256, answer_sha256, prev_hash, hash";
constexpr const char* kUserColumns = "name, role, cities, disabled, created, changed";

std::string utcNow() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm tm{};
    ::gmtime_r(&seconds, &tm);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    return text;
}

/// Fields joined unambiguously (8-byte length before each), for the inputs' and answers' hashes.
std::string fieldsHash(std::initializer_list<std::string> fields) {
    std::string bytes;
    for (const auto& f : fields) {
        for (int shift = 56; shift >= 0; shift -= 8)
            bytes.push_back(
                static_cast<char>((static_cast<std::uint64_t>(f.size()) >> shift) & 0xff));
        bytes += f;
    }
    return gis::sha256(bytes);
}

std::string joinCities(const std::vector<std::string>& cities) {
    std::string out;
    for (const auto& c : cities) out += (out.empty() ? "" : ",") + c;
    return out;
}

std::vector<std::string> splitCities(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto comma = text.find(',', start);
        const auto end = comma == std::string::npos ? text.size() : comma;
        out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

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

std::string describe(const User& u) {
    return fieldsHash({u.name, roleName(u.role), joinCities(u.cities), u.disabled ? "1" : "0"});
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

std::string roleDetail(Role role, const std::vector<std::string>& cities) {
    std::string out = "role " + roleName(role) + " (" + roleLabel(role) + ")";
    if (!cities.empty()) out += ", cities " + joinCities(cities);
    return out;
}

void checkCities(const std::vector<std::string>& cities) {
    for (const auto& c : cities) checkCity(c);
}

}  // namespace

struct SqliteBureauStore::State {
    State(const std::string& file, const SqliteStoreOptions& options)
        : db(file, options.create, options.busyTimeoutMs), hasher(options.cost) {}

    std::mutex mutex;
    SqliteDatabase db;
    PasswordHasher hasher;
    std::string decoyHash;  // verified against for unknown names, so they take as long

    std::optional<User> findUser(const std::string& name) {
        SqliteStatement q(
            db, (std::string("SELECT ") + kUserColumns + " FROM users WHERE name = ?1").c_str());
        q.bind(1, name);
        if (!q.step()) return std::nullopt;
        return userFromRow(q);
    }

    User requireUser(const std::string& name) {
        auto u = findUser(name);
        if (!u) throw InputError("user \"" + name + "\": no such user");
        return *u;
    }

    /// Appends inside the caller's write transaction.
    AuditRecord appendInTransaction(const AuditEntry& entry) {
        AuditRecord r;
        r.entry = entry;
        r.time = utcNow();
        r.previousHash = kGenesisHash;
        {
            SqliteStatement last(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
            if (last.step()) {
                r.seq = last.integer(0);
                r.previousHash = last.text(1);
            }
        }
        r.seq += 1;
        r.hash = auditRecordHash(r);
        SqliteStatement insert(db, (std::string("INSERT INTO audit(") + kAuditColumns +
                                    ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                                       .c_str());
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
        return r;
    }

    void setUpSchema(bool create) {
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
            const std::string version = std::to_string(kSchemaVersion);
            SqliteStatement meta(db,
                                 "INSERT INTO meta(key, value) VALUES('store', "
                                 "'onemap-bureau'), ('schema', ?1), ('created', ?2)");
            meta.bind(1, version).bind(2, utcNow());
            meta.run();
        } else {
            SqliteStatement schema(db, "SELECT value FROM meta WHERE key = 'schema'");
            const std::string version = schema.step() ? schema.text(0) : "";
            if (version != std::to_string(kSchemaVersion))
                throw InputError(db.path() + ": bureau store schema \"" + version +
                                 "\"; this onemap reads schema " + std::to_string(kSchemaVersion));
        }
        t.commit();
    }
};

std::string SqliteBureauStore::fileIn(const std::string& dataFolder) {
    return dataFolder + "/bureau.sqlite";
}

SqliteBureauStore::SqliteBureauStore(const std::string& dataFolder, SqliteStoreOptions options) {
    prepareDataFolder(dataFolder, options.create);
    const std::string file = fileIn(dataFolder);
    prepareStoreFile(file, options.create);
    state_ = std::make_unique<State>(file, options);
    try {
        state_->setUpSchema(options.create);
    } catch (const InputError&) {
        throw;
    } catch (const Error& e) {  // "file is not a database" and the like: the user's file
        throw InputError(std::string(e.what()));
    }
}

SqliteBureauStore::~SqliteBureauStore() = default;

User SqliteBureauStore::addUser(const std::string& actor, const std::string& name, Role role,
                                const std::vector<std::string>& cities, const Secret& password) {
    checkName(name, "user name");
    checkCities(cities);
    const std::string hash = state_->hasher.hash(password);  // slow: outside the lock
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    if (state_->findUser(name)) throw InputError("user \"" + name + "\": already exists");
    const std::string now = utcNow();
    SqliteStatement insert(state_->db,
                           "INSERT INTO users(name, role, cities, disabled, created, changed, "
                           "password_hash) VALUES(?1, ?2, ?3, 0, ?4, ?4, ?5)");
    insert.bind(1, name)
        .bind(2, roleName(role))
        .bind(3, joinCities(cities))
        .bind(4, now)
        .bind(5, hash);
    insert.run();
    const User added = state_->requireUser(name);
    state_->appendInTransaction({actor, "user.add", name, roleDetail(role, cities),
                                 fieldsHash({name, roleName(role), joinCities(cities)}),
                                 describe(added)});
    t.commit();
    return added;
}

void SqliteBureauStore::setPassword(const std::string& actor, const std::string& name,
                                    const Secret& password) {
    checkName(name, "user name");
    const std::string hash = state_->hasher.hash(password);
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    state_->requireUser(name);
    SqliteStatement update(state_->db,
                           "UPDATE users SET password_hash = ?1, changed = ?2 WHERE name = ?3");
    update.bind(1, hash).bind(2, utcNow()).bind(3, name);
    update.run();
    state_->appendInTransaction(
        {actor, "user.passwd", name, "password changed", fieldsHash({name}), ""});
    t.commit();
}

User SqliteBureauStore::setRole(const std::string& actor, const std::string& name, Role role,
                                const std::vector<std::string>& cities) {
    checkName(name, "user name");
    checkCities(cities);
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    const User before = state_->requireUser(name);
    SqliteStatement update(state_->db,
                           "UPDATE users SET role = ?1, cities = ?2, changed = ?3 WHERE name = ?4");
    update.bind(1, roleName(role)).bind(2, joinCities(cities)).bind(3, utcNow()).bind(4, name);
    update.run();
    const User after = state_->requireUser(name);
    state_->appendInTransaction(
        {actor, "user.role", name,
         "was " + roleDetail(before.role, before.cities) + "; now " + roleDetail(role, cities),
         fieldsHash({name, roleName(role), joinCities(cities)}), describe(after)});
    t.commit();
    return after;
}

void SqliteBureauStore::disableUser(const std::string& actor, const std::string& name) {
    checkName(name, "user name");
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    const User before = state_->requireUser(name);
    SqliteStatement update(state_->db,
                           "UPDATE users SET disabled = 1, changed = ?1 WHERE name = ?2");
    update.bind(1, utcNow()).bind(2, name);
    update.run();
    const User after = state_->requireUser(name);
    state_->appendInTransaction({actor, "user.disable", name,
                                 before.disabled ? "already disabled" : "disabled",
                                 fieldsHash({name}), describe(after)});
    t.commit();
}

std::vector<User> SqliteBureauStore::users() {
    std::lock_guard lock(state_->mutex);
    SqliteStatement q(
        state_->db, (std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name").c_str());
    std::vector<User> out;
    while (q.step()) out.push_back(userFromRow(q));
    return out;
}

std::optional<User> SqliteBureauStore::user(const std::string& name) {
    std::lock_guard lock(state_->mutex);
    return state_->findUser(name);
}

std::optional<User> SqliteBureauStore::authenticate(const std::string& name, const Secret& password,
                                                    const std::string& from) {
    std::optional<User> found;
    std::string stored;
    {
        std::lock_guard lock(state_->mutex);
        found = state_->findUser(name);
        if (found) {
            SqliteStatement q(state_->db, "SELECT password_hash FROM users WHERE name = ?1");
            q.bind(1, name);
            if (q.step()) stored = q.text(0);
        } else if (state_->decoyHash.empty()) {
            state_->decoyHash = state_->hasher.hash(Secret("decoy password, never matches"));
        }
    }
    // Argon2id outside the lock: logins verify in parallel.
    const bool matches = state_->hasher.verify(found ? stored : state_->decoyHash, password);
    const bool ok = found && matches && !found->disabled;
    std::string newHash;
    if (ok && state_->hasher.needsRehash(stored)) newHash = state_->hasher.hash(password);

    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    std::string why = "from " + from;
    if (!found) {
        // The name typed is not kept as text: people type passwords into the name field.
        state_->appendInTransaction(
            {"", "login.refused", "", why + ": no such user", fieldsHash({name}), ""});
    } else if (!ok) {
        state_->appendInTransaction({name, "login.refused", name,
                                     why + (matches ? ": account disabled" : ": wrong password"),
                                     fieldsHash({name}), ""});
    } else {
        if (!newHash.empty()) {
            SqliteStatement update(state_->db,
                                   "UPDATE users SET password_hash = ?1 WHERE name = ?2 AND "
                                   "password_hash = ?3");
            update.bind(1, newHash).bind(2, name).bind(3, stored);
            update.run();
            why += "; password rehashed at the current cost";
        }
        state_->appendInTransaction({name, "login", name, why, fieldsHash({name}), ""});
    }
    t.commit();
    return ok ? found : std::nullopt;
}

AuditRecord SqliteBureauStore::append(const AuditEntry& entry) {
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    AuditRecord r = state_->appendInTransaction(entry);
    t.commit();
    return r;
}

AuditVerdict SqliteBureauStore::verify(const std::optional<AuditHead>& expectedHead) {
    std::lock_guard lock(state_->mutex);
    AuditChainCheck check(expectedHead);
    state_->db.exec("BEGIN");  // one snapshot for the whole pass
    try {
        SqliteStatement q(
            state_->db,
            (std::string("SELECT ") + kAuditColumns + " FROM audit ORDER BY seq").c_str());
        while (q.step())
            if (!check.feed(recordFromRow(q))) break;
    } catch (...) {
        state_->db.exec("ROLLBACK");
        throw;
    }
    state_->db.exec("COMMIT");
    return check.finish();
}

std::vector<AuditRecord> SqliteBureauStore::records(std::int64_t fromSeq, std::int64_t limit) {
    std::lock_guard lock(state_->mutex);
    SqliteStatement q(state_->db, (std::string("SELECT ") + kAuditColumns +
                                   " FROM audit WHERE seq >= ?1 ORDER BY seq LIMIT ?2")
                                      .c_str());
    q.bind(1, fromSeq).bind(2, limit);
    std::vector<AuditRecord> out;
    while (q.step()) out.push_back(recordFromRow(q));
    return out;
}

AuditHead SqliteBureauStore::head() {
    std::lock_guard lock(state_->mutex);
    SqliteStatement q(state_->db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (!q.step()) return {0, kGenesisHash};
    return {q.integer(0), q.text(1)};
}

}  // namespace onemap::core::bureau
