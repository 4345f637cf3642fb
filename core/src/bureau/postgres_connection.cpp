#include "bureau/postgres_connection.hpp"

#include <libpq-fe.h>

#include <string>

#include "onemap/core/bureau/bureau_store.hpp"

namespace onemap::core::bureau {
namespace {

/// libpq's messages run over several lines: one line, trimmed.
std::string oneLine(const char* message) {
    std::string out;
    for (const char* p = message ? message : ""; *p; ++p) {
        if (*p == '\n' || *p == '\r') {
            if (!out.empty() && out.back() != ' ') out += "; ";
            while (p[1] == ' ' || p[1] == '\t') ++p;
        } else {
            out += *p;
        }
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
    return out;
}

/// Replaces the value that starts at `from` (up to `&`, a space or the end; a quoted value to
/// its closing quote) with "***".
void maskValueAt(std::string& text, std::size_t from) {
    std::size_t end = from;
    if (end < text.size() && text[end] == '\'') {
        ++end;
        while (end < text.size() && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
        end = std::min(end + 1, text.size());
    } else {
        while (end < text.size() && text[end] != '&' && text[end] != ' ') ++end;
    }
    text.replace(from, end - from, "***");
}

}  // namespace

std::string maskConnectionUrl(const std::string& url) {
    std::string out = url;
    const auto scheme = out.find("://");
    if (scheme != std::string::npos) {
        const std::size_t start = scheme + 3;
        std::size_t end = out.find_first_of("/?", start);
        if (end == std::string::npos) end = out.size();
        const auto at = out.rfind('@', end == 0 ? 0 : end - 1);
        if (at != std::string::npos && at >= start) {
            const auto colon = out.find(':', start);
            if (colon < at) out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    for (std::size_t pos = out.find("password="); pos != std::string::npos;
         pos = out.find("password=", pos + 1))
        maskValueAt(out, pos + 9);
    return out;
}

PostgresConnection::PostgresConnection(const std::string& url, int connectTimeoutSeconds)
    : name_(maskConnectionUrl(url)) {
    // The URL's own connect_timeout (after it) wins over ours; the encoding is always UTF-8.
    const std::string timeout = std::to_string(connectTimeoutSeconds);
    const char* keywords[] = {"connect_timeout", "dbname", "client_encoding", "application_name",
                              nullptr};
    const char* values[] = {timeout.c_str(), url.c_str(), "UTF8", "onemap", nullptr};
    conn_ = PQconnectdbParams(keywords, values, 1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        const std::string why =
            conn_ ? oneLine(PQerrorMessage(conn_)) : std::string("out of memory");
        PQfinish(conn_);
        conn_ = nullptr;
        throw InputError(name_ + ": cannot connect to the bureau store (" + maskConnectionUrl(why) +
                         ")");
    }
    PQsetErrorVerbosity(conn_, PQERRORS_DEFAULT);
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);  // notices are not errors: kept off stderr
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

void PostgresConnection::reopenIfLost() {
    if (PQstatus(conn_) == CONNECTION_OK) return;
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK)
        throw StoreUnavailableError(name_ + ": the bureau store cannot be reached (" +
                                    oneLine(PQerrorMessage(conn_)) + "); try again");
}

PostgresResult PostgresConnection::exec(const char* sql, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        if (p.find('\0') != std::string::npos)
            throw InputError("a NUL byte cannot be stored in the bureau store");
        values.push_back(p.c_str());
    }
    const auto run = [&] {
        return PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(),
                            nullptr, nullptr, 0);
    };
    // Outside a transaction the store sends only BEGIN and reads: when the connection turns out
    // lost there (the server restarted since the last call), nothing was done, so it is
    // reopened and the statement sent again, once.
    const bool idle = PQtransactionStatus(conn_) == PQTRANS_IDLE;
    pg_result* raw = run();
    if (idle && PQstatus(conn_) != CONNECTION_OK) {
        PQclear(raw);
        reopenIfLost();
        raw = run();
    }
    return finish(raw, sql);
}

void PostgresConnection::execScript(const char* sql) { finish(PQexec(conn_, sql), sql); }

PostgresResult PostgresConnection::finish(pg_result* raw, const char*) {
    PostgresResult result(raw);
    const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    if (PQstatus(conn_) != CONNECTION_OK)
        throw StoreUnavailableError(name_ + ": the connection to the bureau store was lost (" +
                                    oneLine(PQerrorMessage(conn_)) + "); try again");
    const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = raw ? PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const std::string message = primary ? primary : oneLine(PQerrorMessage(conn_));
    // Data PostgreSQL cannot hold (text that is not UTF-8, …): the input's fault.
    if (state && std::string(state).rfind("22", 0) == 0) throw InputError(name_ + ": " + message);
    throw PostgresStatementError(name_ + ": " + message, state ? state : "");
}

void PostgresConnection::rollbackQuietly() noexcept {
    if (PQstatus(conn_) != CONNECTION_OK) return;
    PQclear(PQexec(conn_, "ROLLBACK"));
}

}  // namespace onemap::core::bureau
