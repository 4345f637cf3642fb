#pragma once
// The bureau's store: accounts and the audit trail behind one interface, so `onemap serve` and
// the CLI call the same library whether the data sit in SQLite (SqliteBureauStore, one server)
// or in PostgreSQL (PostgresBureauStore, several servers). Every user change appends its audit
// record in the same transaction. Implementations say which threads may call them.
#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "onemap/core/bureau/audit_chain_check.hpp"
#include "onemap/core/bureau/audit_record.hpp"
#include "onemap/core/bureau/comment.hpp"
#include "onemap/core/bureau/register_entry.hpp"
#include "onemap/core/bureau/secret.hpp"
#include "onemap/core/bureau/session.hpp"
#include "onemap/core/bureau/submission.hpp"
#include "onemap/core/bureau/user.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

/// The store cannot be reached now (its database server went away or restarts); nothing of the
/// failed call was kept unless it had committed. The caller may try again: a server answers 503.
class StoreUnavailableError : public Error {
  public:
    using Error::Error;
};

/// A decision asked for a submission that is decided already (another approver, another server,
/// was first): the caller answers 409.
class DecidedAlreadyError : public InputError {
  public:
    using InputError::InputError;
};

class BureauStore {
  public:
    virtual ~BureauStore() = default;

    // Accounts. `actor` is who makes the change (recorded in the audit trail). InputError for
    // an unknown user, a name taken, a bad name or city, a password too short.
    virtual User addUser(const std::string& actor, const std::string& name, Role role,
                         const std::vector<std::string>& cities, const Secret& password) = 0;
    virtual void setPassword(const std::string& actor, const std::string& name,
                             const Secret& password) = 0;
    virtual User setRole(const std::string& actor, const std::string& name, Role role,
                         const std::vector<std::string>& cities) = 0;
    virtual void disableUser(const std::string& actor, const std::string& name) = 0;
    [[nodiscard]] virtual std::vector<User> users() = 0;
    [[nodiscard]] virtual std::optional<User> user(const std::string& name) = 0;
    /// The user when the password matches and the account is enabled; nullopt otherwise (the
    /// same time spent for an unknown name). Appends "login" or "login.refused" with `from`
    /// (an address) as its detail; rehashes a password stored with an older cost.
    virtual std::optional<User> authenticate(const std::string& name, const Secret& password,
                                             const std::string& from) = 0;

    // Sessions (server-side). setPassword, setRole and disableUser close the user's sessions in
    // the same transaction.
    /// Opens a session for `user`, who has just been authenticated, from `from`, for `lifetime`.
    /// The tokens are given in clear only here; the store keeps their SHA-256. Appends nothing
    /// (authenticate has recorded the login).
    virtual OpenedSession openSession(const User& user, const std::string& from,
                                      std::chrono::seconds lifetime) = 0;
    /// The open session of `token`, its user as they are now; nullopt for a token of the wrong
    /// shape, unknown, expired or closed, or whose user is disabled. Reads only.
    [[nodiscard]] virtual std::optional<Session> session(const std::string& token) = 0;
    /// Closes the session of `token` (logout; nothing for an unknown token). Appends "logout".
    virtual void closeSession(const std::string& token) = 0;
    /// Closes every session of user `name` (logout everywhere) and returns how many were open.
    /// Appends "logout.all" by `actor`. InputError for an unknown user.
    virtual int closeSessions(const std::string& actor, const std::string& name) = 0;

    // Submissions and decisions (both stores keep them; a store that does not throws Error).
    /// Stores `s` (id and created chosen here) and appends "submit" in the same transaction.
    virtual Submission addSubmission(Submission s) {
        (void)s;
        throw Error("this bureau store keeps no submissions yet (use --data)");
    }
    /// Newest first, without their site bytes.
    [[nodiscard]] virtual std::vector<Submission> submissions(const SubmissionFilter& filter) {
        (void)filter;
        throw Error("this bureau store keeps no submissions yet (use --data)");
    }
    /// One submission with its site bytes; nullopt for an unknown id.
    [[nodiscard]] virtual std::optional<Submission> submission(std::int64_t id) {
        (void)id;
        throw Error("this bureau store keeps no submissions yet (use --data)");
    }
    /// Decides a pending submission (Approved or Rejected) by `actor` with `reason`, and
    /// appends "approve" or "reject" (its answer hash that of `decisionJson`), all in one
    /// transaction in which `inTransaction` runs last (an approval's register append): if it
    /// throws, nothing is decided. InputError when the submission is unknown or decided.
    virtual Submission decide(const std::string& actor, std::int64_t id, SubmissionState to,
                              const std::string& reason, const std::string& decisionJson,
                              const std::function<void()>& inTransaction) {
        (void)actor, (void)id, (void)to, (void)reason, (void)decisionJson, (void)inTransaction;
        throw Error("this bureau store keeps no submissions yet (use --data)");
    }

    // Comments on projects under 公示 (意见征询).
    /// Stores `c` (id and created chosen here; `hidden` false) and appends "comment" by its
    /// author in the same transaction. InputError for an unknown submission. The caller has
    /// checked that the project is under publicity and the text fit to keep.
    virtual Comment addComment(Comment c) {
        (void)c;
        throw Error("this bureau store keeps no comments");
    }
    /// Newest first.
    [[nodiscard]] virtual std::vector<Comment> comments(const CommentFilter& filter) {
        (void)filter;
        throw Error("this bureau store keeps no comments");
    }

    // The register of approved projects in the store's database (PostgresBureauStore: a
    // PostGIS table several servers share; other stores keep none and throw Error).
    /// Creates the register table (geometry in EPSG `srid`) unless it exists. InputError when
    /// the database has no PostGIS or the table is of another SRID or shape.
    virtual void prepareRegister(int srid) {
        (void)srid;
        throw Error("this bureau store keeps no register (use --db)");
    }
    /// Changes whenever an approval is added to the register (cheap: servers poll it).
    [[nodiscard]] virtual std::string registerVersion() {
        throw Error("this bureau store keeps no register (use --db)");
    }
    /// Approves pending submission `id` in one transaction: takes the register lock (approvals
    /// from every server wait for each other here), runs `check` (which reads the register as
    /// committed), then either appends its refusal record and returns nullopt, or adds its
    /// entries to the register, decides the submission (as decide) and appends "approve", and
    /// returns it. Nothing is kept when anything throws. DecidedAlreadyError when the
    /// submission was decided before the lock was had; InputError for an unknown one or a
    /// project id in the register already; StoreUnavailableError when the database went away
    /// (nothing was kept unless the commit had been made: the decision then shows in a reread).
    virtual std::optional<Submission> approveUnderRegisterLock(const std::string& actor,
                                                               std::int64_t id,
                                                               const std::string& reason,
                                                               const ApprovalCheckRun& check) {
        (void)actor, (void)id, (void)reason, (void)check;
        throw Error("this bureau store keeps no register (use --db)");
    }

    // The audit trail.
    /// Appends one record (its seq, time and hashes chosen in the same transaction that reads
    /// its predecessor) and returns it.
    virtual AuditRecord append(const AuditEntry& entry) = 0;
    /// Appends the entries in order, all or none (one transaction where the store can: the
    /// server's records of reads are written in groups). By default, one append each.
    virtual std::vector<AuditRecord> appendAll(const std::vector<AuditEntry>& entries) {
        std::vector<AuditRecord> out;
        for (const auto& e : entries) out.push_back(append(e));
        return out;
    }
    /// Reads the whole trail through an AuditChainCheck.
    [[nodiscard]] virtual AuditVerdict verify(const std::optional<AuditHead>& expectedHead) = 0;
    /// Records with seq in [fromSeq, fromSeq + limit), ascending.
    [[nodiscard]] virtual std::vector<AuditRecord> records(std::int64_t fromSeq,
                                                           std::int64_t limit) = 0;
    [[nodiscard]] virtual AuditHead head() = 0;
    /// The records passing `filter`, newest first. By default a walk back through records();
    /// stores with an index override it.
    [[nodiscard]] virtual std::vector<AuditRecord> findRecords(const AuditFilter& filter) {
        std::vector<AuditRecord> out;
        std::int64_t end = head().seq + 1;
        if (filter.beforeSeq > 0) end = std::min(end, filter.beforeSeq);
        constexpr std::int64_t kPage = 1000;
        while (end > 1 && static_cast<std::int64_t>(out.size()) < filter.limit) {
            const std::int64_t from = std::max<std::int64_t>(1, end - kPage);
            auto page = records(from, end - from);
            for (auto r = page.rbegin(); r != page.rend(); ++r)
                if (auditMatches(*r, filter) &&
                    static_cast<std::int64_t>(out.size()) < filter.limit)
                    out.push_back(*r);
            end = from;
        }
        return out;
    }
};

}  // namespace onemap::core::bureau
