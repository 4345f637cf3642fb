#pragma once
// Private: one libpq result (RAII over PGresult*), its rows read as text. Owned by the caller;
// one thread at a time (the store's mutex).
#include <cstdint>
#include <string>

struct pg_result;

namespace onemap::core::bureau {

class PostgresResult {
  public:
    explicit PostgresResult(pg_result* result) : result_(result) {}
    ~PostgresResult();
    PostgresResult(PostgresResult&& other) noexcept : result_(other.result_) {
        other.result_ = nullptr;
    }
    PostgresResult& operator=(PostgresResult&& other) noexcept;
    PostgresResult(const PostgresResult&) = delete;
    PostgresResult& operator=(const PostgresResult&) = delete;

    [[nodiscard]] int rows() const;
    /// Column `column` of row `row` as text ("" for NULL).
    [[nodiscard]] std::string text(int row, int column) const;
    [[nodiscard]] std::int64_t integer(int row, int column) const;
    /// A boolean column ("t").
    [[nodiscard]] bool flag(int row, int column) const;
    /// Rows changed by an INSERT, UPDATE or DELETE.
    [[nodiscard]] int changes() const;

  private:
    pg_result* result_ = nullptr;
};

}  // namespace onemap::core::bureau
