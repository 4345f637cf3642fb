#pragma once
// The bureau's store in SQLite: one file (bureau.sqlite, mode 0600) in a data folder (mode 0700,
// owned by the user running onemap). WAL, a busy timeout, bound parameters only. One instance
// holds one connection behind a mutex: any thread may call it. Several instances (threads or
// processes) may share the folder; appends serialise on SQLite's write lock.
#include <memory>
#include <string>

#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/core/bureau/password_hasher.hpp"

namespace onemap::core::bureau {

struct SqliteStoreState;

struct SqliteStoreOptions {
    /// Create the folder and the file when missing (user add); otherwise they must exist.
    bool create = false;
    Argon2Cost cost = Argon2Cost::production();
    /// How long a writer waits for another's lock before giving up, in milliseconds.
    int busyTimeoutMs = 15000;
};

class SqliteBureauStore final : public BureauStore {
  public:
    /// Opens (or creates) the store in `dataFolder`. InputError, one line, for a folder that is
    /// missing (without create), not a folder, not owned by this user, or group/world-writable,
    /// a file readable by others, or a file that is not a bureau store of a known schema.
    SqliteBureauStore(const std::string& dataFolder, SqliteStoreOptions options);
    ~SqliteBureauStore() override;
    SqliteBureauStore(const SqliteBureauStore&) = delete;
    SqliteBureauStore& operator=(const SqliteBureauStore&) = delete;

    /// The store's file in `dataFolder`.
    static std::string fileIn(const std::string& dataFolder);
    /// The schema version this build writes.
    static constexpr int kSchemaVersion = 3;

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

    Submission addSubmission(Submission s) override;
    std::vector<Submission> submissions(const SubmissionFilter& filter) override;
    std::optional<Submission> submission(std::int64_t id) override;
    Submission decide(const std::string& actor, std::int64_t id, SubmissionState to,
                      const std::string& reason, const std::string& decisionJson,
                      const std::function<void()>& inTransaction) override;

    Comment addComment(Comment c) override;
    std::vector<Comment> comments(const CommentFilter& filter) override;

    AuditRecord append(const AuditEntry& entry) override;
    std::vector<AuditRecord> appendAll(const std::vector<AuditEntry>& entries) override;
    AuditVerdict verify(const std::optional<AuditHead>& expectedHead) override;
    std::vector<AuditRecord> records(std::int64_t fromSeq, std::int64_t limit) override;
    AuditHead head() override;
    std::vector<AuditRecord> findRecords(const AuditFilter& filter) override;

  private:
    std::unique_ptr<SqliteStoreState> state_;
};

}  // namespace onemap::core::bureau
