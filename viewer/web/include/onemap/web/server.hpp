#pragma once
// `onemap serve`: the HTTP server of the one map (Boost.Beast, asynchronous). I/O threads read
// and write; handlers run on a bounded pool of workers (503 beyond it). The plan and one map
// are loaded once (MapStore) and shared read-only. The owner starts and stops it from one
// thread; router() is filled before start().
#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "onemap/core/bureau/bureau_store.hpp"
#include "onemap/web/map_store.hpp"
#include "onemap/web/router.hpp"
#include "onemap/web/server_limits.hpp"

namespace onemap::web {

struct ServerOptions {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;  ///< 0: any free port (port() says which)
    int ioThreads = 2;
    ServerLimits limits;
    std::string planPath;  ///< "" = the bundled sample plan
    std::string webRoot;   ///< the page's files; "" = share/onemap/web beside the program
    std::string version;   ///< onemap's version, written into answers as the CLI writes it
    /// Build today's tile indexes and /api/info in the background from start() on, so the
    /// page's first requests find them ready (else the first tile waits ~1 s for them).
    bool prepareAtStart = true;
    /// The bureau's store (accounts, sessions, the audit trail; issue 36). Null: a server
    /// without accounts, where whoever reaches it may do what a planner may (so it listens on
    /// loopback only) and the bureau's routes answer 404.
    std::shared_ptr<core::bureau::BureauStore> store;
    /// HTTPS (OpenSSL, TLS 1.2 at least) with this PEM certificate chain and its PEM key; both
    /// or neither. Without them only a loopback address is served, unless allowInsecureHttp.
    std::string tlsCertPath;
    std::string tlsKeyPath;
    bool allowInsecureHttp = false;  ///< plain HTTP on a non-loopback address (--insecure-http)
    /// How many days an approved project stays under 公示 (GET /api/publicity, comments) from
    /// its approval; 0: none is (--publicity-days).
    int publicityDays = 30;
    /// With a store: the audit witness file (--audit-witness; docs/security.md), where the
    /// trail's head is appended at start, every witnessEvery and at stop, when it moved.
    std::string auditWitnessPath;
    std::chrono::milliseconds witnessEvery{60000};
};

/// Throws InputError (one line, naming the option or file) when `options` cannot be served:
/// a host that is not an IP address, one of --tls-cert/--tls-key without the other, a
/// certificate or key that does not load or match, or plain HTTP on an address that is not
/// loopback (127.0.0.0/8, ::1) without allowInsecureHttp. Server::start() checks the same; this
/// lets a caller refuse before loading the plan.
void checkListenOptions(const ServerOptions& options);
/// Whether `options` serve plain HTTP on an address that is not loopback (allowed, insecure).
[[nodiscard]] bool servesInsecureHttp(const ServerOptions& options);

class Server {
  public:
    /// Loads the plan and today's one map, and adds the API routes.
    explicit Server(ServerOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    [[nodiscard]] Router& router();
    [[nodiscard]] MapStore& maps();
    /// Writes the audit records of reads still queued (tests, and before a stop).
    void flushAudit();
    /// Binds and starts the threads. Throws InputError "HOST:PORT: address in use" (and the
    /// like) when it cannot listen.
    void start();
    [[nodiscard]] unsigned short port() const;
    /// "http://127.0.0.1:8080/" ("https://…" over TLS)
    [[nodiscard]] std::string url() const;
    /// Requests read and not yet answered (what stop() waits for).
    [[nodiscard]] std::size_t requestsInFlight() const;
    /// Stops accepting, lets the requests in flight finish and be answered, then stops.
    void stop();
    /// Blocks until SIGINT or SIGTERM, then stop().
    void runUntilSignal();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// share/onemap/web beside the running program (build tree or installed), "" if absent.
[[nodiscard]] std::string defaultWebRoot();

}  // namespace onemap::web
