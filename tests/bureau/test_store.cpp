// The bureau's store: its folder and file permissions, accounts round-tripped (hostile text
// included), every user change in the audit trail, logins.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "bureau_test_support.hpp"
#include "onemap/gis/base/error.hpp"

using namespace onemap;
using namespace onemap::core::bureau;
namespace fs = std::filesystem;

namespace {
mode_t modeOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}
}  // namespace

TEST_CASE("The store makes its folder 0700 and its file 0600", "[bureau][store]") {
    const auto data = test::freshDataFolder("modes");
    SqliteBureauStore store(data, test::fastStore());
    CHECK(modeOf(data) == 0700);
    CHECK(modeOf(SqliteBureauStore::fileIn(data)) == 0600);
}

TEST_CASE("A data folder others may write, or a store others may read, is refused",
          "[bureau][store]") {
    const auto data = test::freshDataFolder("perms");
    { SqliteBureauStore store(data, test::fastStore()); }
    ::chmod(data.c_str(), 0770);
    CHECK_THROWS_WITH(SqliteBureauStore(data, test::fastStore()),
                      Catch::Contains("group or others may write"));
    ::chmod(data.c_str(), 0707);
    CHECK_THROWS_AS(SqliteBureauStore(data, test::fastStore()), InputError);
    ::chmod(data.c_str(), 0700);
    ::chmod(SqliteBureauStore::fileIn(data).c_str(), 0644);
    CHECK_THROWS_WITH(SqliteBureauStore(data, test::fastStore()),
                      Catch::Contains("group or others may read"));
    ::chmod(SqliteBureauStore::fileIn(data).c_str(), 0600);
    CHECK_NOTHROW(SqliteBureauStore(data, test::fastStore()));
    // A missing folder is created only when asked to.
    CHECK_THROWS_WITH(SqliteBureauStore(data + "-none", SqliteStoreOptions{}),
                      Catch::Contains("no bureau data folder"));
    // A folder owned by someone else (only root can make one here).
    if (::geteuid() == 0) {
        const auto other = test::freshDataFolder("owner");
        fs::create_directories(other);
        ::chmod(other.c_str(), 0700);
        REQUIRE(::chown(other.c_str(), 65534, 65534) == 0);
        CHECK_THROWS_WITH(SqliteBureauStore(other, test::fastStore()),
                          Catch::Contains("owned by another user"));
    }
}

TEST_CASE("A file that is not a bureau store is refused as bad input", "[bureau][store]") {
    const auto data = test::freshDataFolder("notstore");
    fs::create_directories(data);
    ::chmod(data.c_str(), 0700);
    {
        std::FILE* f = std::fopen(SqliteBureauStore::fileIn(data).c_str(), "wb");
        std::fputs("this is not a database, just text that goes on for a while............", f);
        std::fclose(f);
    }
    ::chmod(SqliteBureauStore::fileIn(data).c_str(), 0600);
    CHECK_THROWS_AS(SqliteBureauStore(data, test::fastStore()), InputError);
}

TEST_CASE("SQL metacharacters and markup in names and details round-trip unchanged",
          "[bureau][store]") {
    const auto data = test::freshDataFolder("hostile");
    SqliteBureauStore store(data, test::fastStore());
    const std::string name = "Robert'); DROP TABLE users;-- <script>alert(1)</script> \"%_\\";
    const std::string city = "合肥' OR '1'='1 <img src=x onerror=alert(1)>";
    store.addUser("admin'--", name, Role::Approver, {city, "芜湖"}, Secret("pass'word\";--"));
    const auto back = store.user(name);
    REQUIRE(back);
    CHECK(back->name == name);
    CHECK(back->role == Role::Approver);
    CHECK(back->cities == std::vector<std::string>{city, "芜湖"});
    CHECK(store.users().size() == 1);
    const std::string detail = "'; DELETE FROM audit; -- <script>x</script>\n二行";
    store.append({name, "check", name, detail, "", ""});
    const auto records = store.records(1, 10);
    REQUIRE(records.size() == 2);
    CHECK(records[0].entry.actor == "admin'--");
    CHECK(records[0].entry.subject == name);
    CHECK(records[1].entry.detail == detail);
    CHECK(store.verify(std::nullopt).intact);
    CHECK(store.authenticate(name, Secret("pass'word\";--"), "127.0.0.1"));
}

TEST_CASE("Every user change is in the audit trail with the change", "[bureau][store]") {
    const auto data = test::freshDataFolder("changes");
    SqliteBureauStore store(data, test::fastStore());
    store.addUser("cli:root", "li", Role::Planner, {}, Secret("first password"));
    store.setPassword("cli:root", "li", Secret("second password"));
    store.setRole("cli:root", "li", Role::Approver, {"合肥"});
    store.disableUser("cli:root", "li");
    const auto records = store.records(1, 100);
    REQUIRE(records.size() == 4);
    CHECK(records[0].entry.action == "user.add");
    CHECK(records[1].entry.action == "user.passwd");
    CHECK(records[2].entry.action == "user.role");
    CHECK(records[3].entry.action == "user.disable");
    for (const auto& r : records) {
        CHECK(r.entry.subject == "li");
        CHECK(r.entry.detail.find("second") == std::string::npos);  // no password text
    }
    const auto li = store.user("li");
    REQUIRE(li);
    CHECK(li->disabled);
    CHECK(li->role == Role::Approver);
    // A change refused leaves neither the change nor a record.
    CHECK_THROWS_AS(store.addUser("cli:root", "li", Role::Admin, {}, Secret("third password")),
                    InputError);
    CHECK_THROWS_AS(store.setRole("cli:root", "nobody", Role::Admin, {}), InputError);
    CHECK_THROWS_AS(
        store.addUser("cli:root", "bad,city", Role::Admin, {"a,b"}, Secret("third password")),
        InputError);
    CHECK_THROWS_AS(
        store.addUser("cli:root", "tab\tname", Role::Admin, {}, Secret("third password")),
        InputError);
    CHECK(store.head().seq == 4);
    CHECK(store.verify(std::nullopt).intact);
}

TEST_CASE("Logins: right password in, wrong one, unknown name and disabled account out",
          "[bureau][store]") {
    const auto data = test::freshDataFolder("login");
    SqliteBureauStore store(data, test::fastStore());
    store.addUser("cli:root", "wang", Role::Enterprise, {}, Secret("wang's password"));
    CHECK(store.authenticate("wang", Secret("wang's password"), "10.0.0.1"));
    CHECK_FALSE(store.authenticate("wang", Secret("not the password"), "10.0.0.1"));
    CHECK_FALSE(store.authenticate("my password typed here", Secret("x"), "10.0.0.2"));
    store.disableUser("cli:root", "wang");
    CHECK_FALSE(store.authenticate("wang", Secret("wang's password"), "10.0.0.1"));
    const auto records = store.records(1, 100);
    REQUIRE(records.size() == 6);
    CHECK(records[1].entry.action == "login");
    CHECK(records[2].entry.action == "login.refused");
    CHECK(records[3].entry.action == "login.refused");
    CHECK(records[3].entry.subject.empty());  // an unknown name is not kept as text
    CHECK(records[3].entry.detail.find("typed") == std::string::npos);
    CHECK(records[5].entry.detail.find("disabled") != std::string::npos);
}

TEST_CASE("A login rehashes a password stored at an older cost", "[bureau][store]") {
    const auto data = test::freshDataFolder("rehash");
    {
        SqliteBureauStore weak(data, test::fastStore());
        weak.addUser("cli:root", "zhao", Role::Planner, {}, Secret("zhao's password"));
    }
    auto options = test::fastStore();
    options.cost = Argon2Cost{2, std::size_t{1} << 20};
    SqliteBureauStore store(data, options);
    REQUIRE(store.authenticate("zhao", Secret("zhao's password"), "local"));
    const auto last = store.records(store.head().seq, 1);
    REQUIRE(last.size() == 1);
    CHECK(last[0].entry.detail.find("rehashed") != std::string::npos);
    REQUIRE(store.authenticate("zhao", Secret("zhao's password"), "local"));
    CHECK(store.records(store.head().seq, 1)[0].entry.detail.find("rehashed") == std::string::npos);
}
