// PostgresBureauStore's sessions (the accounts and the audit trail are in
// postgres_bureau_store.cpp).
#include <mutex>

#include "bureau/postgres_store_state.hpp"
#include "onemap/core/bureau/postgres_bureau_store.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

OpenedSession PostgresBureauStore::openSession(const User& user, const std::string& from,
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
    state_->writeTransaction(false, [&] {  // appends nothing: no audit lock
        // Expired sessions are swept here, in a write transaction anyway.
        state_->db.exec("DELETE FROM onemap_bureau.sessions WHERE expires <= $1", {s.created});
        state_->db.exec(
            "INSERT INTO onemap_bureau.sessions(id, user_name, created, expires, "
            "from_address, csrf_hash) VALUES($1, $2, $3, $4, $5, $6)",
            {s.id, user.name, s.created, s.expires, s.from, s.csrfHash});
    });
    return opened;
}

std::optional<Session> PostgresBureauStore::session(const std::string& token) {
    if (!looksLikeToken(token)) return std::nullopt;
    const std::string id = gis::sha256(token);
    std::lock_guard lock(state_->mutex);
    state_->db.reopenIfLost();
    // One statement: the session and its user as they are now.
    const auto q = state_->db.exec(
        "SELECT s.created, s.expires, s.from_address, s.csrf_hash, u.name, u.role, u.cities, "
        "u.disabled, u.created, u.changed FROM onemap_bureau.sessions s JOIN "
        "onemap_bureau.users u ON u.name = s.user_name WHERE s.id = $1 AND s.expires > $2",
        {id, utcNow()});
    if (q.rows() == 0) return std::nullopt;
    Session s;
    s.id = id;
    s.created = q.text(0, 0);
    s.expires = q.text(0, 1);
    s.from = q.text(0, 2);
    s.csrfHash = q.text(0, 3);
    s.user = userFromResult(q, 0, 4);
    if (s.user.disabled) return std::nullopt;
    return s;
}

void PostgresBureauStore::closeSession(const std::string& token) {
    if (!looksLikeToken(token)) return;
    const std::string id = gis::sha256(token);
    std::lock_guard lock(state_->mutex);
    state_->writeTransaction(true, [&] {
        const auto closed = state_->db.exec(
            "DELETE FROM onemap_bureau.sessions WHERE id = $1 RETURNING user_name", {id});
        if (closed.rows() == 0) return;
        const std::string name = closed.text(0, 0);
        state_->appendInTransaction(
            {name, "logout", name, "session " + id.substr(0, 12), fieldsHash({id}), ""});
    });
}

int PostgresBureauStore::closeSessions(const std::string& actor, const std::string& name) {
    checkName(name, "user name");
    std::lock_guard lock(state_->mutex);
    return state_->writeTransaction(true, [&] {
        state_->requireUser(name);
        const int closed = state_->closeSessionsInTransaction(name);
        state_->appendInTransaction({actor, "logout.all", name,
                                     std::to_string(closed) + " session(s) closed",
                                     fieldsHash({name}), ""});
        return closed;
    });
}

}  // namespace onemap::core::bureau
