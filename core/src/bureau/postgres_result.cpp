#include "bureau/postgres_result.hpp"

#include <libpq-fe.h>

#include <string>

namespace onemap::core::bureau {

PostgresResult::~PostgresResult() { PQclear(result_); }

PostgresResult& PostgresResult::operator=(PostgresResult&& other) noexcept {
    if (this != &other) {
        PQclear(result_);
        result_ = other.result_;
        other.result_ = nullptr;
    }
    return *this;
}

int PostgresResult::rows() const { return result_ ? PQntuples(result_) : 0; }

std::string PostgresResult::text(int row, int column) const {
    if (PQgetisnull(result_, row, column)) return {};
    return std::string(PQgetvalue(result_, row, column),
                       static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::int64_t PostgresResult::integer(int row, int column) const {
    const std::string value = text(row, column);
    return value.empty() ? 0 : std::stoll(value);
}

bool PostgresResult::flag(int row, int column) const { return text(row, column) == "t"; }

int PostgresResult::changes() const {
    const char* tuples = result_ ? PQcmdTuples(result_) : nullptr;
    return tuples && *tuples ? std::stoi(tuples) : 0;
}

}  // namespace onemap::core::bureau
