#pragma once
// What the listener and every session share: the routes, the limits, the workers and the
// counters a graceful stop waits on. Owned by the Server (shared_ptr), read from the I/O
// threads; the counters are atomic.
#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <cstddef>
#include <memory>
#include <string>

#include "onemap/web/router.hpp"
#include "onemap/web/server_limits.hpp"
#include "work_queue.hpp"

namespace onemap::web {

struct ServerState {
    ServerState(const ServerLimits& l, std::size_t workers)
        : limits(l), work(workers, l.queuedRequests) {}
    ServerLimits limits;
    Router router;
    WorkQueue work;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> connections{0};
    std::atomic<std::size_t> inFlight{0};  ///< requests read and not yet answered
    /// The TLS settings every connection is served with; null: plain HTTP. Set before start.
    std::shared_ptr<boost::asio::ssl::context> tls;
};

}  // namespace onemap::web
