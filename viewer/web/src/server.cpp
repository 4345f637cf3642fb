#include "onemap/web/server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "audit_api.hpp"
#include "audit_witness_writer.hpp"
#include "audit_writer.hpp"
#include "check_api.hpp"
#include "comment_api.hpp"
#include "find_api.hpp"
#include "gate.hpp"
#include "http_listener.hpp"
#include "onemap/gis/base/error.hpp"
#include "plan_api.hpp"
#include "publicity_api.hpp"
#include "server_state.hpp"
#include "session_api.hpp"
#include "static_files.hpp"
#include "submission_api.hpp"
#include "tile_api.hpp"
#include "tls_context.hpp"
#include "user_api.hpp"
#ifdef ONEMAP_WEB_WITH_REPORT
#include "onemap/report/report_document.hpp"
#endif

namespace onemap::web {

namespace net = boost::asio;

namespace {

net::ip::address listenAddress(const ServerOptions& options) {
    boost::system::error_code ec;
    const auto address = net::ip::make_address(options.host, ec);
    if (ec) throw InputError("--listen " + options.host + ": not an IP address");
    return address;
}

bool withTls(const ServerOptions& options) {
    if (options.tlsCertPath.empty() != options.tlsKeyPath.empty())
        throw InputError(std::string(options.tlsCertPath.empty() ? "--tls-key" : "--tls-cert") +
                         " without " + (options.tlsCertPath.empty() ? "--tls-cert" : "--tls-key") +
                         ": give both (PEM files) for HTTPS, or neither");
    return !options.tlsCertPath.empty();
}

}  // namespace

void checkListenOptions(const ServerOptions& options) {
    const auto address = listenAddress(options);
    // Without accounts whoever reaches the server may do all a planner may: this machine only.
    if (!options.store && !address.is_loopback())
        throw InputError("--listen " + options.host +
                         ": a server without accounts serves this machine only (127.0.0.1, "
                         "::1); give --data DIR, the accounts made by `onemap user add`");
    if (withTls(options)) {
        (void)makeTlsContext(options.tlsCertPath, options.tlsKeyPath);
        return;
    }
    if (!address.is_loopback() && !options.allowInsecureHttp)
        throw InputError("--listen " + options.host +
                         ": plain HTTP is served only on a loopback address (127.0.0.1, ::1); "
                         "give --tls-cert FILE --tls-key FILE for HTTPS, or --insecure-http to "
                         "send passwords and cookies in clear text");
}

bool servesInsecureHttp(const ServerOptions& options) {
    boost::system::error_code ec;
    const auto address = net::ip::make_address(options.host, ec);
    return options.tlsCertPath.empty() && (ec || !address.is_loopback());
}

/// The plan to serve; with the register in the bureau's database, its table is made first (the
/// plan reads it as a layer).
static std::string preparedPlanPath(const ServerOptions& options) {
    std::string path = options.planPath.empty() ? core::defaultPlanPath() : options.planPath;
    if (options.store)
        SubmissionApi::prepareDatabaseRegister(*options.store, core::Plan::load(path));
    return path;
}

struct Server::Impl {
    explicit Impl(ServerOptions o)
        : options(std::move(o)),
          maps(preparedPlanPath(options)),
          state(std::make_shared<ServerState>(options.limits, workerCount(options.limits))),
          checkApi(maps, options.version),
          findApi(maps, options.version),
          planApi(maps, options.version),
          tileApi(maps),
          files(options.webRoot.empty() ? defaultWebRoot() : options.webRoot),
          audit(options.store ? std::make_unique<AuditWriter>(options.store) : nullptr),
          sessionApi(options.store,
                     {options.limits.loginBurstPerAccount, options.limits.loginRefillPerAccount,
                      options.limits.loginBurstPerAddress, options.limits.loginRefillPerAddress},
                     options.limits.sessionLifetime) {
        state->router.setGate(std::make_shared<Gate>(options.store, maps, audit.get()));
        if (audit) auditApi = std::make_unique<AuditApi>(options.store, *audit);
        if (options.store) {
            submissionApi = std::make_unique<SubmissionApi>(options.store, maps, checkApi);
            userApi = std::make_unique<UserApi>(options.store, maps);
            // 公示 and 意见征询
            const auto& l = options.limits;
            publicityApi =
                std::make_unique<PublicityApi>(options.store, maps, options.publicityDays);
            commentApi = std::make_unique<CommentApi>(
                options.store, *publicityApi,
                CommentApi::Limits{l.commentBurstPerAddress, l.commentRefillPerAddress,
                                   l.commentBurstInAll, l.commentRefillInAll});
        }
    }

    static std::size_t workerCount(const ServerLimits& l) {
        if (l.workers) return l.workers;
        return std::max<std::size_t>(2, std::thread::hardware_concurrency());
    }

    ServerOptions options;
    MapStore maps;
    std::shared_ptr<ServerState> state;  // outlives the io_context (declared before it)
    CheckApi checkApi;
    FindApi findApi;
    PlanApi planApi;
    TileApi tileApi;
    StaticFiles files;
    std::unique_ptr<AuditWriter> audit;  // null without a store
    SessionApi sessionApi;
    std::unique_ptr<AuditApi> auditApi;            // null without a store
    std::unique_ptr<SubmissionApi> submissionApi;  // null without a store
    std::unique_ptr<UserApi> userApi;              // null without a store
    std::unique_ptr<PublicityApi> publicityApi;    // null without a store
    std::unique_ptr<CommentApi> commentApi;        // null without a store
    std::unique_ptr<AuditWitnessWriter> witness;   // from start(), with a store and a witness
    net::io_context ioc;
    // Keeps the I/O threads running while a worker holds the only request (no operation
    // pending on the context until its answer is posted back).
    net::executor_work_guard<net::io_context::executor_type> busy{ioc.get_executor()};
    std::shared_ptr<HttpListener> listener;
    std::vector<std::thread> threads;
    std::thread preparing;  // today's tile indexes and info, built once from start()
    bool stopped = false;
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
#ifdef ONEMAP_WEB_WITH_REPORT
    // Qt's application object is made on this (the main) thread, before any worker paints.
    report::prepareDocuments();
#endif
    Impl& i = *impl_;
    Router& r = i.state->router;
    // Who may call what: the one table (docs/web.md, "Roles"). Access::anyone() includes the
    // public; a layer named by layerIn must be public for them.
    using R = Role;
    const Access anyone = Access::anyone();
    const Access bureau = Access::signedIn({}).bureauOnly();  // every signed-in role
    r.add("GET", "/api/info", anyone, [&i](const ApiRequest& q) { return i.planApi.info(q); });
    r.add("POST", "/api/check", Access::anyone().audited("check"),
          [&i](const ApiRequest& q) { return i.checkApi.check(q); });
    r.add("POST", "/api/conflicts", Access::anyone().audited("conflicts"),
          [&i](const ApiRequest& q) { return i.checkApi.conflicts(q); });
    r.add("POST", "/api/report",
          Access::signedIn({R::Enterprise, R::Planner, R::Approver}).audited("report"),
          [&i](const ApiRequest& q) { return i.checkApi.report(q); });
    r.add("POST", "/api/find", Access::signedIn({R::Planner, R::Approver}).audited("find"),
          [&i](const ApiRequest& q) { return i.findApi.find(q); });
    r.add("GET", "/api/diff", Access::signedIn({R::Planner, R::Approver}).layerIn("layer"),
          [&i](const ApiRequest& q) { return i.planApi.diff(q); });
    r.add("GET", "/api/export", Access::anyone().layerIn("layer").audited("export"),
          [&i](const ApiRequest& q) { return i.planApi.exportLayer(q); });
    r.add(
        "GET", "/tiles/{layer}/{z}/{x}/{y}.mvt", Access::anyone().layerIn("layer"),
        [&i](const ApiRequest& q) { return i.tileApi.tile(q); },
        [&i](const ApiRequest& q) { return i.tileApi.cachedTile(q); });
    r.add("POST", "/api/login", Access::login(),
          [&i](const ApiRequest& q) { return i.sessionApi.login(q); });
    r.add("POST", "/api/logout", bureau,
          [&i](const ApiRequest& q) { return i.sessionApi.logout(q); });
    r.add("GET", "/api/session", Access::anyone().bureauOnly(),
          [&i](const ApiRequest& q) { return i.sessionApi.whoAmI(q); });
    r.add("GET", "/api/audit", Access::signedIn({R::Planner, R::Admin}).bureauOnly(),
          [&i](const ApiRequest& q) { return i.auditApi->list(q); });
    r.add("GET", "/api/audit/verify", Access::signedIn({R::Planner, R::Admin}).bureauOnly(),
          [&i](const ApiRequest& q) { return i.auditApi->verify(q); });
    r.add("POST", "/api/submissions", Access::signedIn({R::Enterprise, R::Planner}).bureauOnly(),
          [&i](const ApiRequest& q) { return i.submissionApi->submit(q); });
    r.add("GET", "/api/submissions",
          Access::signedIn({R::Enterprise, R::Planner, R::Approver}).bureauOnly(),
          [&i](const ApiRequest& q) { return i.submissionApi->list(q); });
    r.add("POST", "/api/submissions/{id}/approve", Access::signedIn({R::Approver}).bureauOnly(),
          [&i](const ApiRequest& q) { return i.submissionApi->approve(q); });
    r.add("POST", "/api/submissions/{id}/reject", Access::signedIn({R::Approver}).bureauOnly(),
          [&i](const ApiRequest& q) { return i.submissionApi->reject(q); });
    r.add("GET", "/api/register", Access::signedIn({R::Planner, R::Approver}).bureauOnly(),
          [&i](const ApiRequest& q) { return i.submissionApi->approved(q); });
    // The admin API (user_api.hpp): accounts, the admin role only.
    const Access admin = Access::signedIn({R::Admin}).bureauOnly();
    r.add("GET", "/api/users", admin, [&i](const ApiRequest& q) { return i.userApi->list(q); });
    r.add("POST", "/api/users", admin, [&i](const ApiRequest& q) { return i.userApi->add(q); });
    r.add("POST", "/api/users/{name}/password", admin,
          [&i](const ApiRequest& q) { return i.userApi->setPassword(q); });
    r.add("POST", "/api/users/{name}/role", admin,
          [&i](const ApiRequest& q) { return i.userApi->setRole(q); });
    r.add("POST", "/api/users/{name}/disable", admin,
          [&i](const ApiRequest& q) { return i.userApi->disable(q); });
    r.add("POST", "/api/users/{name}/logout-all", admin,
          [&i](const ApiRequest& q) { return i.userApi->logoutAll(q); });
    // 公示 and 意见征询: the public sees the projects under publicity and comments on them.
    r.add("GET", "/api/publicity", Access::anyone().bureauOnly(),
          [&i](const ApiRequest& q) { return i.publicityApi->list(q); });
    r.add("POST", "/api/comments", Access::anyone().bureauOnly(),
          [&i](const ApiRequest& q) { return i.commentApi->add(q); });
    r.add("GET", "/api/comments",
          Access::signedIn({R::Planner, R::Approver, R::Admin}).bureauOnly().audited("comments"),
          [&i](const ApiRequest& q) { return i.commentApi->list(q); });
    r.add("GET", "/{*path}", anyone, [&i](const ApiRequest& q) { return i.files.serve(q); });
}

Server::~Server() { stop(); }

Router& Server::router() { return impl_->state->router; }

MapStore& Server::maps() { return impl_->maps; }

void Server::flushAudit() {
    if (impl_->audit) impl_->audit->flush();
}

void Server::start() {
    Impl& i = *impl_;
    const auto address = listenAddress(i.options);
    if (withTls(i.options))
        i.state->tls = makeTlsContext(i.options.tlsCertPath, i.options.tlsKeyPath);
    else
        checkListenOptions(i.options);  // the loopback rule
    i.listener = std::make_shared<HttpListener>(
        i.ioc, net::ip::tcp::endpoint(address, i.options.port), i.state);
    i.listener->start();
    const int n = std::max(1, i.options.ioThreads);
    for (int t = 0; t < n; ++t) i.threads.emplace_back([&i] { i.ioc.run(); });
    if (i.options.store && !i.options.auditWitnessPath.empty())
        i.witness = std::make_unique<AuditWitnessWriter>(
            i.options.store, i.options.auditWitnessPath, i.options.witnessEvery, std::cerr);
    if (i.options.prepareAtStart)
        i.preparing = std::thread([&i] {
            // What fails here fails again, and is answered, on the request that needs it.
            try {
                i.planApi.prepare();
                i.tileApi.prepare();
            } catch (...) {
            }
        });
}

unsigned short Server::port() const {
    return impl_->listener ? impl_->listener->port() : impl_->options.port;
}

std::string Server::url() const {
    const std::string& host = impl_->options.host;
    const bool v6 = host.find(':') != std::string::npos;
    return (impl_->state->tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
           std::to_string(port()) + "/";
}

std::size_t Server::requestsInFlight() const { return impl_->state->inFlight; }

void Server::stop() {
    Impl& i = *impl_;
    if (i.stopped || !i.listener) return;
    i.stopped = true;
    i.state->stopping = true;
    i.listener->stop();
    // The requests in flight finish on the workers, then their answers are written.
    i.state->work.drain();
    for (int waited = 0; i.state->inFlight > 0 && waited < 3000; waited += 10)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    i.busy.reset();
    i.ioc.stop();
    for (auto& t : i.threads) t.join();
    i.threads.clear();
    if (i.preparing.joinable()) i.preparing.join();
    if (i.witness) {  // the final head, once every record of the last requests is written
        if (i.audit) i.audit->flush();
        i.witness->stop();
    }
}

void Server::runUntilSignal() {
    net::io_context waiter;
    net::signal_set set(waiter, SIGINT, SIGTERM);
    set.async_wait([](const boost::system::error_code&, int) {});
    waiter.run();
    stop();
}

std::string defaultWebRoot() {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path program = fs::read_symlink("/proc/self/exe", ec).parent_path();
    if (ec) return "";
    for (const char* up : {"..", "../.."}) {
        const fs::path root = program / up / "share/onemap/web";
        if (fs::is_directory(root, ec)) return fs::weakly_canonical(root, ec).string();
    }
    return "";
}

}  // namespace onemap::web
