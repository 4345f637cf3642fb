#include "onemap/core/bureau/sqlite_bureau_store.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "bureau/data_folder.hpp"
#include "bureau/sqlite_statement.hpp"
#include "bureau/sqlite_store_state.hpp"
#include "bureau/sqlite_transaction.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

std::string SqliteBureauStore::fileIn(const std::string& dataFolder) {
    return dataFolder + "/bureau.sqlite";
}

SqliteBureauStore::SqliteBureauStore(const std::string& dataFolder, SqliteStoreOptions options) {
    prepareDataFolder(dataFolder, options.create);
    const std::string file = fileIn(dataFolder);
    prepareStoreFile(file, options.create);
    state_ = std::make_unique<SqliteStoreState>(file, options);
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
                                 userDigest(added)});
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
    const int closed = state_->closeSessionsInTransaction(name);
    state_->appendInTransaction(
        {actor, "user.passwd", name,
         "password changed; " + std::to_string(closed) + " session(s) closed", fieldsHash({name}),
         ""});
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
    const int closed = state_->closeSessionsInTransaction(name);
    state_->appendInTransaction(
        {actor, "user.role", name,
         "was " + roleDetail(before.role, before.cities) + "; now " + roleDetail(role, cities) +
             "; " + std::to_string(closed) + " session(s) closed",
         fieldsHash({name, roleName(role), joinCities(cities)}), userDigest(after)});
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
    const int closed = state_->closeSessionsInTransaction(name);
    state_->appendInTransaction({actor, "user.disable", name,
                                 std::string(before.disabled ? "already disabled" : "disabled") +
                                     "; " + std::to_string(closed) + " session(s) closed",
                                 fieldsHash({name}), userDigest(after)});
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

std::vector<AuditRecord> SqliteBureauStore::appendAll(const std::vector<AuditEntry>& entries) {
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    auto out = state_->appendAllInTransaction(entries);
    t.commit();
    return out;
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

std::vector<AuditRecord> SqliteBureauStore::findRecords(const AuditFilter& filter) {
    // Every condition bound as a parameter; an empty one matches all.
    std::lock_guard lock(state_->mutex);
    SqliteStatement q(
        state_->db,
        (std::string("SELECT ") + kAuditColumns +
         " FROM audit WHERE (?1 = '' OR actor = ?1)"
         " AND (?2 = '' OR action = ?2 OR substr(action, 1, length(?2) + 1) = ?2 || '.')"
         " AND (?3 = '' OR time >= ?3) AND (?4 = '' OR time < ?4)"
         " AND (?5 <= 0 OR seq < ?5) ORDER BY seq DESC LIMIT ?6")
            .c_str());
    q.bind(1, filter.actor)
        .bind(2, filter.action)
        .bind(3, filter.since)
        .bind(4, filter.until)
        .bind(5, filter.beforeSeq)
        .bind(6, filter.limit);
    std::vector<AuditRecord> out;
    while (q.step()) out.push_back(recordFromRow(q));
    return out;
}

}  // namespace onemap::core::bureau
