// onemap serve [PLAN] [--listen HOST:PORT] [--threads N] [--tls-cert FILE --tls-key FILE]
// [--insecure-http] [--audit-witness FILE [--witness-every SECONDS]]: the one map on the web —
// the plan and its one map loaded once, the check, find, diff, export and report API
// (docs/web.md); HTTPS with a certificate, and plain HTTP only on loopback unless told
// --insecure-http.
#include <iostream>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/bureau/open_bureau_store.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/web/server.hpp"

namespace onemap::cli {
namespace {

class ServeCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub =
            app.add_subcommand("serve",
                               "Serve the one map on the web: the check, find, diff and export API "
                               "(default plan: the bundled G60 sample; docs/web.md)");
        sub->add_option("plan", plan_, "plan file (default: the bundled G60 one map)");
        sub->add_option("--listen", listen_, "HOST:PORT to listen on (default 127.0.0.1:8080)");
        sub->add_option("--threads", threads_, "I/O threads (default 2)")
            ->check(CLI::Range(1, 256));
        sub->add_option("--web-root", webRoot_,
                        "the page's folder (default: share/onemap/web beside onemap)");
        sub->add_option("--data", data_,
                        "the bureau's folder (accounts, sessions, audit trail; made by `onemap "
                        "user add`): sign-in, roles and the audit trail (docs/web.md)");
        sub->add_option("--db", db_,
                        "the bureau's PostgreSQL (postgresql://…), shared by several servers; "
                        "instead of --data");
        sub->add_option("--audit-witness", auditWitness_,
                        "append the audit trail's head to this file (mode 0600; keep it on "
                        "another disk or machine) when it moved: at start, every --witness-every "
                        "and at stop; `onemap audit verify --witness` checks against it");
        sub->add_option("--witness-every", witnessEvery_,
                        "seconds between anchors in --audit-witness (default 60)")
            ->check(CLI::Range(1, 86400));
        sub->add_option("--tls-cert", tlsCert_,
                        "serve HTTPS with this PEM certificate (chain); needs --tls-key");
        sub->add_option("--tls-key", tlsKey_, "the PEM private key of --tls-cert (not encrypted)");
        sub->add_flag("--insecure-http", insecureHttp_,
                      "serve plain HTTP on an address that is not loopback (passwords and "
                      "cookies in clear text; put TLS in front)");
        sub->add_option("--publicity-days", publicityDays_,
                        "days an approved project stays under 公示, open to the public's "
                        "comments (default 30; 0: none)")
            ->check(CLI::Range(0, 3650));
        return sub;
    }

    int execute(Io& io) override {
        web::ServerOptions options;
        const auto colon = listen_.rfind(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == listen_.size())
            throw InputError("--listen " + listen_ + ": write HOST:PORT, e.g. 127.0.0.1:8080");
        options.host = listen_.substr(0, colon);
        if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']')
            options.host = options.host.substr(1, options.host.size() - 2);
        const std::string port = listen_.substr(colon + 1);
        if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
            std::stoi(port) > 65535)
            throw InputError("--listen " + listen_ + ": the port must be a number up to 65535");
        options.port = static_cast<unsigned short>(std::stoi(port));
        options.ioThreads = threads_;
        options.planPath = planOrDefault(plan_);
        options.webRoot = webRoot_;
        options.version = version();
        options.tlsCertPath = tlsCert_;
        options.tlsKeyPath = tlsKey_;
        options.allowInsecureHttp = insecureHttp_;
        options.publicityDays = publicityDays_;
        if (!auditWitness_.empty() && data_.empty() && db_.empty())
            throw InputError("--audit-witness " + auditWitness_ +
                             ": needs the bureau's store (--data or --db)");
        options.auditWitnessPath = auditWitness_;
        options.witnessEvery = std::chrono::seconds(witnessEvery_);
        if (!data_.empty() || !db_.empty())
            options.store = core::bureau::openBureauStore(
                core::bureau::StoreLocation::fromOptions(data_, db_), {});
        // Refused before the plan is loaded: a bad certificate, plain HTTP off loopback, and
        // a server without accounts (where whoever reaches it may do all) off loopback.
        web::checkListenOptions(options);
        if (insecureHttp_ && web::servesInsecureHttp(options))
            io.err << "onemap serve: warning: --insecure-http: plain HTTP on " << options.host
                   << " sends passwords and session cookies in clear text; prefer --tls-cert "
                      "and --tls-key"
                   << std::endl;
        web::Server server(std::move(options));
        server.start();
        io.out << "onemap serve: " << server.url() << " (Ctrl-C to stop)" << std::endl;
        server.runUntilSignal();
        io.err << "onemap serve: stopped\n";
        return 0;
    }

  private:
    std::string plan_;
    std::string listen_ = "127.0.0.1:8080";
    int threads_ = 2;
    std::string webRoot_;
    std::string data_;
    std::string db_;
    std::string tlsCert_;
    std::string tlsKey_;
    bool insecureHttp_ = false;
    int publicityDays_ = 30;
    std::string auditWitness_;
    int witnessEvery_ = 60;
};

}  // namespace

std::unique_ptr<Command> makeServeCommand() { return std::make_unique<ServeCommand>(); }

}  // namespace onemap::cli
