#pragma once
// The bureau's store in PostgreSQL (15+), for several `onemap serve` processes sharing one
// database: the tables live in their own schema, onemap_bureau. Every write that appends to the
// audit trail takes one transaction-level advisory lock first, so writers from any number of
// processes never fork or gap the chain. One instance holds one connection behind a mutex: any
// thread may call it; Argon2id runs outside the mutex.
#include <memory>
#include <mutex>
#include <string>

#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/core/bureau/password_hasher.hpp"

namespace onemap::core::bureau {

struct PostgresStoreState;

struct PostgresStoreOptions {
    /// Create the schema when the database has none (user add); otherwise it must exist.
    bool create = false;
    Argon2Cost cost = Argon2Cost::production();
    /// libpq's connect_timeout unless the URL gives its own, in seconds.
    int connectTimeoutSeconds = 10;
};

class PostgresBureauStore final : public BureauStore {
  public:
    /// Connects to `url` (postgresql://user@host:port/db) and opens (or creates) the store.
    /// InputError, one line naming the URL with any password masked, when it cannot connect,
    /// or the database has no store (without create), or its onemap_bureau schema holds
    /// something that is not a bureau store or a store of another schema version.
    PostgresBureauStore(const std::string& url, PostgresStoreOptions options);
    ~PostgresBureauStore() override;
    PostgresBureauStore(const PostgresBureauStore&) = delete;
    PostgresBureauStore& operator=(const PostgresBureauStore&) = delete;

    /// The schema version this build writes.
    static constexpr int kSchemaVersion = 1;
    /// The advisory lock every appending transaction takes (pg_advisory_xact_lock).
    static constexpr long long kAuditLockKey = 0x6f6e656d6170;  // "onemap"
    /// The advisory lock an approval holds from before its check reads the register until it
    /// commits (taken before the audit lock, never after it).
    static constexpr long long kRegisterLockKey = 0x6f6e656d6170 + 1;

    User addUser(const std::string& actor, const std::string& name, Role role,
                 const std::vector<std::string>& cities, const Secret& password) override;
    void setPassword(const std::string& actor, const std::string& name,
                     const Secret& password) override;
    User setRole(const std::string& actor, const std::string& name, Role role,
                 const std::vector<std::string>& cities) override;
    void disableUser(const std::string& actor, const std::string& name) override;
    std::vector<User> users() override;
    std::optional<User> user(const std::string& name) override;
    std::optional<User> authenticate(const std::string& name, const Secret& password,
                                     const std::string& from) override;

    OpenedSession openSession(const User& user, const std::string& from,
                              std::chrono::seconds lifetime) override;
    std::optional<Session> session(const std::string& token) override;
    void closeSession(const std::string& token) override;
    int closeSessions(const std::string& actor, const std::string& name) override;

    /// Comments (postgres_bureau_comments.cpp), in a table added to a store of any version.
    Comment addComment(Comment c) override;
    std::vector<Comment> comments(const CommentFilter& filter) override;

    Submission addSubmission(Submission s) override;
    std::vector<Submission> submissions(const SubmissionFilter& filter) override;
    std::optional<Submission> submission(std::int64_t id) override;
    Submission decide(const std::string& actor, std::int64_t id, SubmissionState to,
                      const std::string& reason, const std::string& decisionJson,
                      const std::function<void()>& inTransaction) override;

    /// The register: table onemap_bureau.register (postgres_bureau_register.cpp says how
    /// approvals are serialised). Approvals run on a second connection of their own, so that
    /// the check they run under the lock holds up no other call of this store.
    void prepareRegister(int srid) override;
    std::string registerVersion() override;
    std::optional<Submission> approveUnderRegisterLock(const std::string& actor, std::int64_t id,
                                                       const std::string& reason,
                                                       const ApprovalCheckRun& check) override;

    AuditRecord append(const AuditEntry& entry) override;
    /// One transaction, one audit lock, one read of the chain's end.
    std::vector<AuditRecord> appendAll(const std::vector<AuditEntry>& entries) override;
    AuditVerdict verify(const std::optional<AuditHead>& expectedHead) override;
    std::vector<AuditRecord> records(std::int64_t fromSeq, std::int64_t limit) override;
    AuditHead head() override;
    /// One query (the conditions in SQL, bound as parameters).
    std::vector<AuditRecord> findRecords(const AuditFilter& filter) override;

  private:
    PostgresStoreState& approvalState();

    std::unique_ptr<PostgresStoreState> state_;
    std::string url_;
    PostgresStoreOptions options_;
    std::mutex approvalsMutex_;  // held through an approval on approvals_
    std::unique_ptr<PostgresStoreState> approvals_;
};

}  // namespace onemap::core::bureau
