// onemap audit verify (--data DIR | --db URL) [--expect-head SEQ:HASH]: whether the bureau's audit
// trail is intact (exit 0) or where it first breaks (exit 1, one line); bad input exits 2.
#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/bureau/open_bureau_store.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::cli {
namespace {

class AuditCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand("audit", "The bureau's audit trail (docs/security.md)");
        sub->require_subcommand(1);
        verify_ = sub->add_subcommand(
            "verify", "Check the hash chain of the audit trail: exit 0 intact, 1 broken");
        verify_->add_option("--data", data_, "the bureau's data folder (SQLite)");
        verify_->add_option("--db", db_,
                            "the bureau's PostgreSQL database, postgresql://user@host:port/db "
                            "(instead of --data)");
        verify_->add_option("--expect-head", expectHead_,
                            "SEQ:HASH printed by an earlier verify: also sees records cut off "
                            "the end of the trail");
        return sub;
    }

    int execute(Io& io) override {
        const auto location = core::bureau::StoreLocation::fromOptions(data_, db_);
        std::optional<core::bureau::AuditHead> expected;
        if (!expectHead_.empty()) expected = core::bureau::AuditHead::parse(expectHead_);
        const auto store = core::bureau::openBureauStore(location, {});
        const auto verdict = store->verify(expected);
        if (!verdict.intact) {
            io.out << "audit: broken at " << verdict.why << "\n";
            return 1;
        }
        io.out << "audit: intact, " << verdict.records << " records; head " << verdict.head.text()
               << " (keep it elsewhere and pass it as --expect-head to see records cut off the "
                  "end)\n";
        return 0;
    }

  private:
    CLI::App* verify_ = nullptr;
    std::string data_;
    std::string db_;
    std::string expectHead_;
};

}  // namespace

std::unique_ptr<Command> makeAuditCommand() { return std::make_unique<AuditCommand>(); }

}  // namespace onemap::cli
