// SqliteBureauStore's comments on projects under 公示 (the submissions are in
// sqlite_bureau_submissions.cpp).
#include <mutex>

#include "bureau/sqlite_statement.hpp"
#include "bureau/sqlite_store_state.hpp"
#include "bureau/sqlite_transaction.hpp"
#include "bureau/store_fields.hpp"
#include "onemap/core/bureau/sqlite_bureau_store.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {

Comment SqliteBureauStore::addComment(Comment c) {
    c.created = utcNow();
    c.hidden = false;
    std::lock_guard lock(state_->mutex);
    SqliteWriteTransaction t(state_->db);
    SqliteStatement find(state_->db, "SELECT count(*) FROM submissions WHERE id = ?1");
    find.bind(1, c.submission);
    find.step();
    if (find.integer(0) == 0)
        throw InputError("submission " + std::to_string(c.submission) + ": no such submission");
    SqliteStatement insert(state_->db,
                           "INSERT INTO comments(submission, created, author, from_hash, text) "
                           "VALUES(?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, c.submission)
        .bind(2, c.created)
        .bind(3, c.author)
        .bind(4, c.fromHash)
        .bind(5, c.text);
    insert.run();
    SqliteStatement id(state_->db, "SELECT last_insert_rowid()");
    id.step();
    c.id = id.integer(0);
    state_->appendInTransaction(
        {c.author, "comment", "submission " + std::to_string(c.submission),
         "comment " + std::to_string(c.id) + " from " + c.fromHash.substr(0, 12),
         gis::sha256(c.text), ""});
    t.commit();
    return c;
}

std::vector<Comment> SqliteBureauStore::comments(const CommentFilter& filter) {
    std::lock_guard lock(state_->mutex);
    SqliteStatement q(state_->db,
                      "SELECT id, submission, created, author, from_hash, text, hidden FROM "
                      "comments WHERE (?1 = 0 OR submission = ?1) ORDER BY id DESC LIMIT ?2");
    q.bind(1, filter.submission).bind(2, filter.limit);
    std::vector<Comment> out;
    while (q.step()) {
        Comment c;
        c.id = q.integer(0);
        c.submission = q.integer(1);
        c.created = q.text(2);
        c.author = q.text(3);
        c.fromHash = q.text(4);
        c.text = q.text(5);
        c.hidden = q.integer(6) != 0;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace onemap::core::bureau
