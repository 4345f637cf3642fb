// onemap user add|passwd|role|disable|list (--data DIR | --db URL): the accounts of the bureau's
// store (core/bureau; docs/security.md). Passwords only ever come on stdin (--password-stdin),
// never as an argument (the process list and the shell history would keep them).
#include <pwd.h>
#include <unistd.h>

#include <iostream>
#include <optional>

#include "command.hpp"
#include "commands.hpp"
#include "onemap/core/bureau/open_bureau_store.hpp"
#include "onemap/core/check/plan_cities.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/text/terminal_text.hpp"

namespace onemap::cli {
namespace {

using core::bureau::Role;

/// Who is at the command line, as the audit trail names them: "cli:<os user>".
std::string commandLineActor() {
    const passwd* pw = ::getpwuid(::geteuid());
    return "cli:" +
           (pw && pw->pw_name ? std::string(pw->pw_name) : "uid " + std::to_string(::geteuid()));
}

Role roleOf(const std::string& text) {
    const auto role = core::bureau::parseRole(text);
    if (!role)
        throw InputError("role \"" + text + "\": not one of " + core::bureau::roleNames() +
                         " (or 公众, 企业, 规划, 审批, 管理)");
    return *role;
}

std::string cityList(const std::vector<std::string>& cities) {
    std::string out;
    for (const auto& c : cities) out += (out.empty() ? "" : ",") + c;
    return out.empty() ? "-" : out;
}

/// Refuses a city the plan does not name (core::checkCitiesInPlan; the admin API does the same).
void checkCitiesInPlan(const std::vector<std::string>& cities, const std::string& planPath) {
    if (cities.empty()) return;
    core::checkCitiesInPlan(cities, loadPlan(planPath, ""), "--city");
}

class UserCommand : public Command {
  public:
    CLI::App* setup(CLI::App& app) override {
        auto* sub = app.add_subcommand(
            "user", "The bureau's accounts: add, passwd, role, disable, list (docs/security.md)");
        sub->require_subcommand(1);
        add_ = sub->add_subcommand("add", "Add an account (its password read from stdin)");
        add_->add_option("name", name_, "user name")->required();
        add_->add_option("--role", role_,
                         "public|enterprise|planner|approver|admin (or 公众|企业|规划|审批|管理)")
            ->required();
        addCityOption(add_);
        addPlanOption(add_);
        addPasswordOption(add_);
        addDataOption(add_);

        passwd_ = sub->add_subcommand("passwd", "Set an account's password (read from stdin)");
        passwd_->add_option("name", name_, "user name")->required();
        addPasswordOption(passwd_);
        addDataOption(passwd_);

        roleSub_ = sub->add_subcommand("role", "Set an account's role and cities");
        roleSub_->add_option("name", name_, "user name")->required();
        roleSub_->add_option("role", role_, "the new role")->required();
        addCityOption(roleSub_);
        addPlanOption(roleSub_);
        addDataOption(roleSub_);

        disable_ = sub->add_subcommand("disable", "Disable an account (it can no longer log in)");
        disable_->add_option("name", name_, "user name")->required();
        addDataOption(disable_);

        list_ = sub->add_subcommand("list", "List the accounts (never their passwords)");
        addDataOption(list_);
        return sub;
    }

    int execute(Io& io) override {
        // Every input checked before the store is opened (or created): a refusal leaves no
        // folder (or schema) behind.
        const auto location = core::bureau::StoreLocation::fromOptions(data_, db_);
        std::optional<Role> role;
        if (add_->parsed() || roleSub_->parsed()) {
            role = roleOf(role_);
            checkCitiesInPlan(cities_, plan_);
        }
        if (!list_->parsed()) core::bureau::checkName(name_, "user name");
        std::optional<core::bureau::Secret> password;
        if (add_->parsed() || passwd_->parsed()) password = readPassword();

        core::bureau::BureauStoreOptions options;
        options.create = add_->parsed();
        const auto opened = core::bureau::openBureauStore(location, options);
        core::bureau::BureauStore& store = *opened;
        const std::string actor = commandLineActor();
        if (add_->parsed()) {
            const auto user = store.addUser(actor, name_, *role, cities_, *password);
            io.out << "onemap user: added " << gis::escapeControl(user.name) << " ("
                   << describe(user) << ")\n";
        } else if (passwd_->parsed()) {
            store.setPassword(actor, name_, *password);
            io.out << "onemap user: password of " << gis::escapeControl(name_) << " changed\n";
        } else if (roleSub_->parsed()) {
            const auto user = store.setRole(actor, name_, *role, cities_);
            io.out << "onemap user: " << gis::escapeControl(user.name) << " is now "
                   << describe(user) << "\n";
        } else if (disable_->parsed()) {
            store.disableUser(actor, name_);
            io.out << "onemap user: " << gis::escapeControl(name_) << " disabled\n";
        } else {
            io.out << "name\trole\tcities\tstate\tcreated\tchanged\n";
            for (const auto& u : store.users())
                io.out << gis::escapeControl(u.name) << "\t" << core::bureau::roleName(u.role)
                       << " " << core::bureau::roleLabel(u.role) << "\t"
                       << gis::escapeControl(cityList(u.cities)) << "\t"
                       << (u.disabled ? "disabled" : "enabled") << "\t" << u.created << "\t"
                       << u.changed << "\n";
        }
        return 0;
    }

  private:
    void addDataOption(CLI::App* sub) {
        sub->add_option("--data", data_, "the bureau's data folder (mode 0700): SQLite");
        sub->add_option("--db", db_,
                        "the bureau's PostgreSQL database, postgresql://user@host:port/db "
                        "(instead of --data)");
    }
    void addCityOption(CLI::App* sub) {
        sub->add_option("--city", cities_,
                        "the cities the account works in, comma-separated, as the plan's "
                        "admin layer names them (the bundled plan: 合肥市, 芜湖市, …)")
            ->delimiter(',');
    }
    void addPlanOption(CLI::App* sub) {
        sub->add_option("--plan", plan_,
                        "the plan whose admin layer names the cities (default: the bundled G60 "
                        "one map)");
    }
    void addPasswordOption(CLI::App* sub) {
        sub->add_flag("--password-stdin", passwordStdin_,
                      "read the password from the first line of stdin (required)");
    }
    core::bureau::Secret readPassword() const {
        if (!passwordStdin_)
            throw InputError(
                "give the password on stdin with --password-stdin (never as an argument)");
        auto password = core::bureau::Secret::readLine(std::cin);
        if (password.size() < core::bureau::PasswordHasher::kMinPasswordBytes)
            throw InputError("the password is shorter than " +
                             std::to_string(core::bureau::PasswordHasher::kMinPasswordBytes) +
                             " bytes");
        return password;
    }
    static std::string describe(const core::bureau::User& user) {
        return core::bureau::roleName(user.role) + " " + core::bureau::roleLabel(user.role) +
               (user.cities.empty() ? "" : ", cities " + gis::escapeControl(cityList(user.cities)));
    }

    CLI::App* add_ = nullptr;
    CLI::App* passwd_ = nullptr;
    CLI::App* roleSub_ = nullptr;
    CLI::App* disable_ = nullptr;
    CLI::App* list_ = nullptr;
    std::string name_;
    std::string role_;
    std::vector<std::string> cities_;
    bool passwordStdin_ = false;
    std::string data_;
    std::string db_;
    std::string plan_;
};

}  // namespace

std::unique_ptr<Command> makeUserCommand() { return std::make_unique<UserCommand>(); }

}  // namespace onemap::cli
