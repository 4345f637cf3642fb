// PostgresBureauStore's comments on projects under 公示 (意见征询), and the table that keeps
// them. The same rows, records and errors as the SQLite store's comments.
#include <mutex>

#include "bureau/postgres_store_state.hpp"
#include "onemap/core/bureau/postgres_bureau_store.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {
namespace {

// Added to any store that lacks it, whatever its schema version (an addition, not a change: an
// older onemap reading the store never looks at it). No foreign key to the submissions: the
// comment is checked against them when they are kept here.
constexpr const char* kComments = R"sql(
CREATE TABLE IF NOT EXISTS onemap_bureau.comments(
  id bigserial PRIMARY KEY,
  submission bigint NOT NULL,
  created text NOT NULL,
  author text NOT NULL,
  from_hash text NOT NULL,
  text text NOT NULL,
  hidden boolean NOT NULL DEFAULT false);
CREATE INDEX IF NOT EXISTS comments_by_submission ON onemap_bureau.comments(submission);
)sql";

}  // namespace

void addCommentTables(PostgresConnection& db) {
    // Looked for first: a server's role that may not create tables opens a store that has them.
    if (!db.exec("SELECT to_regclass('onemap_bureau.comments') IS NOT NULL").flag(0, 0))
        db.execScript(kComments);
}

Comment PostgresBureauStore::addComment(Comment c) {
    c.created = utcNow();
    c.hidden = false;
    std::lock_guard lock(state_->mutex);
    return state_->writeTransaction(true, [&] {
        const auto kept =
            state_->db.exec("SELECT to_regclass('onemap_bureau.submissions') IS NOT NULL");
        if (kept.flag(0, 0) &&
            state_->db
                    .exec("SELECT 1 FROM onemap_bureau.submissions WHERE id = $1::bigint",
                          {std::to_string(c.submission)})
                    .rows() == 0)
            throw InputError("submission " + std::to_string(c.submission) + ": no such submission");
        const auto id = state_->db.exec(
            "INSERT INTO onemap_bureau.comments(submission, created, author, from_hash, text) "
            "VALUES($1::bigint, $2, $3, $4, $5) RETURNING id",
            {std::to_string(c.submission), c.created, c.author, c.fromHash, c.text});
        Comment added = c;
        added.id = id.integer(0, 0);
        state_->appendInTransaction(
            {added.author, "comment", "submission " + std::to_string(added.submission),
             "comment " + std::to_string(added.id) + " from " + added.fromHash.substr(0, 12),
             gis::sha256(added.text), ""});
        return added;
    });
}

std::vector<Comment> PostgresBureauStore::comments(const CommentFilter& filter) {
    std::lock_guard lock(state_->mutex);
    state_->db.reopenIfLost();
    const auto q = state_->db.exec(
        "SELECT id, submission, created, author, from_hash, text, hidden FROM "
        "onemap_bureau.comments WHERE ($1::bigint = 0 OR submission = $1::bigint) "
        "ORDER BY id DESC LIMIT $2::bigint",
        {std::to_string(filter.submission), std::to_string(filter.limit)});
    std::vector<Comment> out;
    for (int r = 0; r < q.rows(); ++r) {
        Comment c;
        c.id = q.integer(r, 0);
        c.submission = q.integer(r, 1);
        c.created = q.text(r, 2);
        c.author = q.text(r, 3);
        c.fromHash = q.text(r, 4);
        c.text = q.text(r, 5);
        c.hidden = q.flag(r, 6);
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace onemap::core::bureau
