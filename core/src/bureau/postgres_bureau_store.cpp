// PostgresBureauStore's accounts and audit trail (its sessions are in
// postgres_bureau_sessions.cpp). The same records, details and errors as the SQLite store's.
#include "onemap/core/bureau/postgres_bureau_store.hpp"

#include <mutex>

#include "bureau/postgres_store_state.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

PostgresBureauStore::PostgresBureauStore(const std::string& url, PostgresStoreOptions options)
    : url_(url), options_(options) {
    state_ = std::make_unique<PostgresStoreState>(url, options);
    try {
        state_->setUpSchema(options.create);
    } catch (const InputError&) {
        throw;
    } catch (const Error& e) {  // no right to create the schema, a table of another shape, …
        throw InputError(std::string(e.what()));
    }
}

PostgresBureauStore::~PostgresBureauStore() = default;

User PostgresBureauStore::addUser(const std::string& actor, const std::string& name, Role role,
                                  const std::vector<std::string>& cities, const Secret& password) {
    checkName(name, "user name");
    checkCities(cities);
    const std::string hash = state_->hasher.hash(password);  // slow: outside the lock
    std::lock_guard lock(state_->mutex);
    return state_->writeTransaction(true, [&] {
        if (state_->findUser(name)) throw InputError("user \"" + name + "\": already exists");
        const std::string now = utcNow();
        state_->db.exec(
            "INSERT INTO onemap_bureau.users(name, role, cities, disabled, created, "
            "changed, password_hash) VALUES($1, $2, $3, false, $4, $4, $5)",
            {name, roleName(role), joinCities(cities), now, hash});
        const User added = state_->requireUser(name);
        state_->appendInTransaction({actor, "user.add", name, roleDetail(role, cities),
                                     fieldsHash({name, roleName(role), joinCities(cities)}),
                                     userDigest(added)});
        return added;
    });
}

void PostgresBureauStore::setPassword(const std::string& actor, const std::string& name,
                                      const Secret& password) {
    checkName(name, "user name");
    const std::string hash = state_->hasher.hash(password);
    std::lock_guard lock(state_->mutex);
    state_->writeTransaction(true, [&] {
        state_->requireUser(name);
        state_->db.exec(
            "UPDATE onemap_bureau.users SET password_hash = $1, changed = $2 WHERE name = $3",
            {hash, utcNow(), name});
        const int closed = state_->closeSessionsInTransaction(name);
        state_->appendInTransaction(
            {actor, "user.passwd", name,
             "password changed; " + std::to_string(closed) + " session(s) closed",
             fieldsHash({name}), ""});
    });
}

User PostgresBureauStore::setRole(const std::string& actor, const std::string& name, Role role,
                                  const std::vector<std::string>& cities) {
    checkName(name, "user name");
    checkCities(cities);
    std::lock_guard lock(state_->mutex);
    return state_->writeTransaction(true, [&] {
        const User before = state_->requireUser(name);
        state_->db.exec(
            "UPDATE onemap_bureau.users SET role = $1, cities = $2, changed = $3 WHERE name = $4",
            {roleName(role), joinCities(cities), utcNow(), name});
        const User after = state_->requireUser(name);
        const int closed = state_->closeSessionsInTransaction(name);
        state_->appendInTransaction(
            {actor, "user.role", name,
             "was " + roleDetail(before.role, before.cities) + "; now " + roleDetail(role, cities) +
                 "; " + std::to_string(closed) + " session(s) closed",
             fieldsHash({name, roleName(role), joinCities(cities)}), userDigest(after)});
        return after;
    });
}

void PostgresBureauStore::disableUser(const std::string& actor, const std::string& name) {
    checkName(name, "user name");
    std::lock_guard lock(state_->mutex);
    state_->writeTransaction(true, [&] {
        const User before = state_->requireUser(name);
        state_->db.exec(
            "UPDATE onemap_bureau.users SET disabled = true, changed = $1 WHERE name = $2",
            {utcNow(), name});
        const User after = state_->requireUser(name);
        const int closed = state_->closeSessionsInTransaction(name);
        state_->appendInTransaction(
            {actor, "user.disable", name,
             std::string(before.disabled ? "already disabled" : "disabled") + "; " +
                 std::to_string(closed) + " session(s) closed",
             fieldsHash({name}), userDigest(after)});
    });
}

std::vector<User> PostgresBureauStore::users() {
    std::lock_guard lock(state_->mutex);
    state_->db.reopenIfLost();
    const auto q = state_->db.exec((std::string("SELECT ") + kPostgresUserColumns +
                                    " FROM onemap_bureau.users ORDER BY name COLLATE \"C\"")
                                       .c_str());
    std::vector<User> out;
    for (int row = 0; row < q.rows(); ++row) out.push_back(userFromResult(q, row));
    return out;
}

std::optional<User> PostgresBureauStore::user(const std::string& name) {
    std::lock_guard lock(state_->mutex);
    state_->db.reopenIfLost();
    return state_->findUser(name);
}

std::optional<User> PostgresBureauStore::authenticate(const std::string& name,
                                                      const Secret& password,
                                                      const std::string& from) {
    std::optional<User> found;
    std::string stored;
    {
        std::lock_guard lock(state_->mutex);
        state_->db.reopenIfLost();
        found = state_->findUser(name);
        if (found) {
            stored = state_->passwordHash(name);
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
    state_->writeTransaction(true, [&] {
        std::string why = "from " + from;
        if (!found) {
            // The name typed is not kept as text: people type passwords into the name field.
            state_->appendInTransaction(
                {"", "login.refused", "", why + ": no such user", fieldsHash({name}), ""});
        } else if (!ok) {
            state_->appendInTransaction(
                {name, "login.refused", name,
                 why + (matches ? ": account disabled" : ": wrong password"), fieldsHash({name}),
                 ""});
        } else {
            if (!newHash.empty()) {
                state_->db.exec(
                    "UPDATE onemap_bureau.users SET password_hash = $1 WHERE name = "
                    "$2 AND password_hash = $3",
                    {newHash, name, stored});
                why += "; password rehashed at the current cost";
            }
            state_->appendInTransaction({name, "login", name, why, fieldsHash({name}), ""});
        }
    });
    return ok ? found : std::nullopt;
}

AuditRecord PostgresBureauStore::append(const AuditEntry& entry) {
    std::lock_guard lock(state_->mutex);
    return state_->writeTransaction(true, [&] { return state_->appendInTransaction(entry); });
}

std::vector<AuditRecord> PostgresBureauStore::appendAll(const std::vector<AuditEntry>& entries) {
    if (entries.empty()) return {};
    std::lock_guard lock(state_->mutex);
    return state_->writeTransaction(true, [&] { return state_->appendAllInTransaction(entries); });
}

AuditVerdict PostgresBureauStore::verify(const std::optional<AuditHead>& expectedHead) {
    constexpr int kBatch = 5000;
    std::lock_guard lock(state_->mutex);
    AuditChainCheck check(expectedHead);
    auto& db = state_->db;
    db.reopenIfLost();
    db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");  // one snapshot for the pass
    try {
        // Batches by seq; the first one without a lower bound (a tamperer may write any seq).
        const std::string select =
            std::string("SELECT ") + kPostgresAuditColumns + " FROM onemap_bureau.audit ";
        const std::string limit = " ORDER BY seq LIMIT " + std::to_string(kBatch);
        const std::string first = select + limit;
        const std::string next = select + "WHERE seq > $1" + limit;
        std::optional<std::int64_t> after;
        bool going = true;
        while (going) {
            const auto q =
                after ? db.exec(next.c_str(), {std::to_string(*after)}) : db.exec(first.c_str());
            for (int row = 0; row < q.rows() && going; ++row) {
                const AuditRecord r = recordFromResult(q, row);
                after = r.seq;
                going = check.feed(r);
            }
            if (q.rows() < kBatch) going = false;
        }
    } catch (...) {
        db.rollbackQuietly();
        throw;
    }
    db.exec("COMMIT");
    return check.finish();
}

std::vector<AuditRecord> PostgresBureauStore::records(std::int64_t fromSeq, std::int64_t limit) {
    std::lock_guard lock(state_->mutex);
    state_->db.reopenIfLost();
    const auto q = state_->db.exec((std::string("SELECT ") + kPostgresAuditColumns +
                                    " FROM onemap_bureau.audit WHERE seq >= $1 ORDER BY seq "
                                    "LIMIT $2")
                                       .c_str(),
                                   {std::to_string(fromSeq), std::to_string(limit)});
    std::vector<AuditRecord> out;
    for (int row = 0; row < q.rows(); ++row) out.push_back(recordFromResult(q, row));
    return out;
}

AuditHead PostgresBureauStore::head() {
    std::lock_guard lock(state_->mutex);
    state_->db.reopenIfLost();
    const auto q =
        state_->db.exec("SELECT seq, hash FROM onemap_bureau.audit ORDER BY seq DESC LIMIT 1");
    if (q.rows() == 0) return {0, kGenesisHash};
    return {q.integer(0, 0), q.text(0, 1)};
}

std::vector<AuditRecord> PostgresBureauStore::findRecords(const AuditFilter& filter) {
    // Every condition bound as a parameter; an empty one matches all.
    std::lock_guard lock(state_->mutex);
    state_->db.reopenIfLost();
    const auto q = state_->db.exec(
        (std::string("SELECT ") + kPostgresAuditColumns +
         " FROM onemap_bureau.audit WHERE ($1::text = '' OR actor = $1::text)"
         " AND ($2::text = '' OR action = $2::text OR"
         " substr(action, 1, length($2::text) + 1) = $2::text || '.')"
         " AND ($3::text = '' OR time >= $3::text) AND ($4::text = '' OR time < $4::text)"
         " AND ($5::bigint <= 0 OR seq < $5::bigint) ORDER BY seq DESC LIMIT $6::bigint")
            .c_str(),
        {filter.actor, filter.action, filter.since, filter.until, std::to_string(filter.beforeSeq),
         std::to_string(filter.limit)});
    std::vector<AuditRecord> out;
    for (int row = 0; row < q.rows(); ++row) out.push_back(recordFromResult(q, row));
    return out;
}

}  // namespace onemap::core::bureau
