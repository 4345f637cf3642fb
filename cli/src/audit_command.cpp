// onemap audit verify (--data DIR | --db URL) [--expect-head SEQ:HASH] [--witness FILE]: whether
// the bureau's audit trail is intact (exit 0) or where it first breaks (exit 1, one line); bad
// input exits 2. onemap audit anchor (--data DIR | --db URL) --witness FILE: verifies the same
// way, then appends the trail's head to the witness file (kept outside the database).
#include <filesystem>
#include <optional>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/bureau/audit_witness.hpp"
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
        addStoreOptions(*verify_);
        verify_->add_option("--expect-head", expectHead_,
                            "SEQ:HASH printed by an earlier verify: also sees records cut off "
                            "the end of the trail");
        verify_->add_option("--witness", witness_,
                            "a witness file (written by `onemap serve --audit-witness` or `onemap "
                            "audit anchor`): also sees the trail rewritten or cut before its "
                            "anchors");
        anchor_ = sub->add_subcommand("anchor",
                                      "Verify the audit trail (as verify --witness), then append "
                                      "its head to the witness file: exit 0 anchored, 1 broken");
        addStoreOptions(*anchor_);
        anchor_
            ->add_option("--witness", witness_,
                         "the witness file to append to (created mode 0600; keep it on "
                         "another disk or machine)")
            ->required();
        return sub;
    }

    int execute(Io& io) override {
        const auto location = core::bureau::StoreLocation::fromOptions(data_, db_);
        std::optional<core::bureau::AuditHead> expected;
        if (!expectHead_.empty()) expected = core::bureau::AuditHead::parse(expectHead_);
        std::vector<core::bureau::WitnessAnchor> anchors;
        const bool anchoring = anchor_->parsed();
        if (!witness_.empty() && (!anchoring || std::filesystem::exists(witness_)))
            anchors = core::bureau::readWitnessAnchors(witness_);
        const auto store = core::bureau::openBureauStore(location, {});
        const auto chain = store->verify(expected);
        if (!chain.intact) {
            io.out << "audit: broken at " << chain.why << "\n";
            return 1;
        }
        const auto verdict = core::bureau::checkAgainstWitness(chain, anchors, *store);
        if (!verdict.intact) {
            io.out << "audit: broken: " << verdict.why << " (witness " << witness_ << ")\n";
            return 1;
        }
        if (anchoring) return anchor(io, verdict, anchors);
        io.out << "audit: intact, " << verdict.records << " records; head " << verdict.head.text();
        if (!witness_.empty())
            io.out << "; agrees with the " << anchors.size() << " anchors of " << witness_ << "\n";
        else
            io.out << " (keep it elsewhere and pass it as --expect-head to see records cut off the "
                      "end)\n";
        return 0;
    }

  private:
    void addStoreOptions(CLI::App& sub) {
        sub.add_option("--data", data_, "the bureau's data folder (SQLite)");
        sub.add_option("--db", db_,
                       "the bureau's PostgreSQL database, postgresql://user@host:port/db "
                       "(instead of --data)");
    }

    int anchor(Io& io, const core::bureau::AuditVerdict& verdict,
               const std::vector<core::bureau::WitnessAnchor>& anchors) {
        if (!anchors.empty() && anchors.back().head.seq == verdict.head.seq &&
            anchors.back().head.hash == verdict.head.hash) {
            io.out << "audit: intact, " << verdict.records << " records; head "
                   << verdict.head.text() << " already anchored in " << witness_ << "\n";
            return 0;
        }
        const std::string line = core::bureau::appendWitnessAnchor(witness_, verdict.head);
        io.out << "audit: intact, " << verdict.records << " records; anchored \"" << line
               << "\" in " << witness_ << "\n";
        return 0;
    }

    CLI::App* verify_ = nullptr;
    CLI::App* anchor_ = nullptr;
    std::string data_;
    std::string db_;
    std::string expectHead_;
    std::string witness_;
};

}  // namespace

std::unique_ptr<Command> makeAuditCommand() { return std::make_unique<AuditCommand>(); }

}  // namespace onemap::cli
