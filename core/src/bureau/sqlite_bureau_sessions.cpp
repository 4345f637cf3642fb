// SqliteBureauStore's sessions (the accounts and the audit trail are in sqlite_bureau_store.cpp).
#include <mutex>

#include "bureau/sqlite_statement.hpp"
#include "bureau/sqlite_store_state.hpp"
#include "bureau/sqlite_transaction.hpp"
#include "onemap/core/bureau/sqlite_bureau_store.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

OpenedSession SqliteBureauStore::openSession(const User& user, const std::string& from,
                                             std::chrono::seconds lifetime) {
    OpenedSession opened;
    opened.token = randomToken();
    opened.csrfToken = randomToken();
    Session& s = opened.session;
    s.id = gis::sha256(opened.token);
    s.user = user;
    s.created = utcNow();
    s.expires = utcAfter(lifetime.count());
    s.from = from;
    s.csrfHash = gis::sha256(opened.csrfToken);
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    // Expired sessions are swept here, where a write lock is held anyway.
    SqliteStatement sweep(state_->db, "DELETE FROM sessions WHERE expires <= ?1");
    sweep.bind(1, s.created);
    sweep.run();
    SqliteStatement insert(state_->db,
                           "INSERT INTO sessions(id, user_name, created, expires, from_address, "
                           "csrf_hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    insert.bind(1, s.id)
        .bind(2, user.name)
        .bind(3, s.created)
        .bind(4, s.expires)
        .bind(5, s.from)
        .bind(6, s.csrfHash);
    insert.run();
    t.commit();
    return opened;
}

std::optional<Session> SqliteBureauStore::session(const std::string& token) {
    if (!looksLikeToken(token)) return std::nullopt;
    const std::string id = gis::sha256(token);
    const std::string now = utcNow();
    const auto clock = std::chrono::steady_clock::now();
    auto& cache = state_->sessionCache;
    const auto cached = [&]() -> std::optional<Session> {
        std::lock_guard cacheLock(state_->cacheMutex);
        if (const auto hit = cache.find(id); hit != cache.end()) {
            if (clock - hit->second.read < SqliteStoreState::kSessionCache &&
                hit->second.session.expires > now)
                return hit->second.session;
            cache.erase(hit);
        }
        return std::nullopt;
    };
    if (auto hit = cached()) return hit;  // without waiting for a write in progress
    // A miss reads under the store's mutex, so no change to sessions or users interleaves
    // between the query and the caching of its answer.
    std::lock_guard lock(state_->mutex);
    if (auto hit = cached()) return hit;
    SqliteStatement q(state_->db,
                      (std::string("SELECT s.created, s.expires, s.from_address, s.csrf_hash, ") +
                       "u.name, u.role, u.cities, u.disabled, u.created, u.changed FROM sessions s "
                       "JOIN users u ON u.name = s.user_name WHERE s.id = ?1 AND s.expires > ?2")
                          .c_str());
    q.bind(1, id).bind(2, now);
    if (!q.step()) return std::nullopt;
    Session s;
    s.id = id;
    s.created = q.text(0);
    s.expires = q.text(1);
    s.from = q.text(2);
    s.csrfHash = q.text(3);
    s.user.name = q.text(4);
    s.user.role = parseRole(q.text(5)).value_or(Role::Public);
    s.user.cities = splitCities(q.text(6));
    s.user.disabled = q.integer(7) != 0;
    s.user.created = q.text(8);
    s.user.changed = q.text(9);
    if (s.user.disabled) return std::nullopt;
    std::lock_guard cacheLock(state_->cacheMutex);
    if (cache.size() >= 10000) cache.clear();  // bounded: at worst, more queries
    cache[id] = {s, clock};
    return s;
}

void SqliteBureauStore::closeSession(const std::string& token) {
    if (!looksLikeToken(token)) return;
    const std::string id = gis::sha256(token);
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    SqliteStatement find(state_->db, "SELECT user_name FROM sessions WHERE id = ?1");
    find.bind(1, id);
    if (!find.step()) return;
    const std::string name = find.text(0);
    state_->forgetSessions(id);
    SqliteStatement close(state_->db, "DELETE FROM sessions WHERE id = ?1");
    close.bind(1, id);
    close.run();
    state_->appendInTransaction(
        {name, "logout", name, "session " + id.substr(0, 12), fieldsHash({id}), ""});
    t.commit();
}

int SqliteBureauStore::closeSessions(const std::string& actor, const std::string& name) {
    checkName(name, "user name");
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    state_->requireUser(name);
    const int closed = state_->closeSessionsInTransaction(name);
    state_->appendInTransaction({actor, "logout.all", name,
                                 std::to_string(closed) + " session(s) closed", fieldsHash({name}),
                                 ""});
    t.commit();
    return closed;
}

}  // namespace onemap::core::bureau
