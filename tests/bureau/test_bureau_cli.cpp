// `onemap user …` and `onemap audit verify` as a user runs them: the real binary, the password
// piped on stdin, exit codes 0/1/2, and two processes appending to one trail at once.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "bureau_test_support.hpp"

namespace {

const std::string kOnemap = ONEMAP_CLI_BINARY;

int runOnemap(const std::string& args, std::string* out = nullptr,
              const std::string& stdinLine = "") {
    const std::string feed = stdinLine.empty() ? "" : "printf '%s\\n' '" + stdinLine + "' | ";
    return onemap::test::shell(feed + kOnemap + " " + args, out);
}

}  // namespace

TEST_CASE("onemap user and audit verify: a round trip with its exit codes", "[bureau][cli]") {
    const auto data = onemap::test::freshDataFolder("cli");
    const std::string d = " --data " + data;
    std::string out;
    CHECK(runOnemap("user add li --role 规划 --city 合肥市,芜湖市 --password-stdin" + d, &out,
                    "li password 1") == 0);
    CHECK(out.find("added li (planner 规划, cities 合肥市,芜湖市)") != std::string::npos);
    CHECK(runOnemap("user add li --role planner --password-stdin" + d, &out, "another pass") == 2);
    CHECK(out.find("already exists") != std::string::npos);
    CHECK(runOnemap("user add wang --role planner" + d, &out) == 2);
    CHECK(out.find("--password-stdin") != std::string::npos);
    CHECK(runOnemap("user add wang --role mayor --password-stdin" + d, &out, "wang pass 1") == 2);
    CHECK(runOnemap("user add wang --role enterprise --password-stdin" + d, &out, "short") == 2);
    CHECK(runOnemap("user passwd li --password-stdin" + d, &out, "li password 2") == 0);
    CHECK(runOnemap("user role li approver --city 合肥市" + d, &out) == 0);
    CHECK(runOnemap("user disable li" + d, &out) == 0);
    CHECK(runOnemap("user disable nobody" + d, &out) == 2);
    CHECK(runOnemap("user list" + d, &out) == 0);
    CHECK(out.find("li\tapprover 审批\t合肥市\tdisabled") != std::string::npos);
    CHECK(out.find("password") == std::string::npos);

    CHECK(runOnemap("audit verify" + d, &out) == 0);
    const std::regex headRe("head ([0-9]+:[0-9a-f]{64})");
    std::smatch m;
    REQUIRE(std::regex_search(out, m, headRe));
    const std::string head = m[1];
    CHECK(head.rfind("4:", 0) == 0);  // add, passwd, role, disable: refusals record nothing
    CHECK(runOnemap("audit verify --expect-head " + head + d, &out) == 0);
    CHECK(runOnemap("audit verify --expect-head 4:xyz" + d, &out) == 2);
    CHECK(runOnemap("audit verify --data " + data + "-missing", &out) == 2);

    onemap::test::tamper(data, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 4");
    CHECK(runOnemap("audit verify" + d, &out) == 0);  // the tail cut: the chain alone cannot see it
    CHECK(runOnemap("audit verify --expect-head " + head + d, &out) == 1);
    CHECK(out ==
          "audit: broken at record 4: missing; the trail ends at record 3 (records were "
          "cut off its end)\n");
    onemap::test::tamper(data,
                         "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone else' "
                         "WHERE seq = 2");
    CHECK(runOnemap("audit verify" + d, &out) == 1);
    CHECK(out == "audit: broken at record 2: its hash does not match its content\n");
}

TEST_CASE("onemap user add refuses bad input before it creates anything", "[bureau][cli]") {
    const auto data = onemap::test::freshDataFolder("cli-refused");
    const std::string d = " --data " + data;
    std::string out;
    // Cities are the labels of the plan's admin layer (the bundled plan names 合肥市, not 合肥).
    CHECK(runOnemap("user add li --role approver --city 合肥 --password-stdin" + d, &out,
                    "li password 1") == 2);
    CHECK(out.find("--city 合肥: not a city of the plan's layer") != std::string::npos);
    CHECK(out.find("合肥市") != std::string::npos);
    CHECK(runOnemap("user add li --role approver --password-stdin" + d, &out, "short") == 2);
    CHECK(runOnemap("user add ' li' --role approver --password-stdin" + d, &out, "li password 1") ==
          2);
    CHECK_FALSE(std::filesystem::exists(data));
}

TEST_CASE("Two onemap processes adding users at once: one unbroken chain with every change",
          "[bureau][cli]") {
    const auto data = onemap::test::freshDataFolder("cli-two");
    const std::string d = " --data " + data;
    REQUIRE(runOnemap("user add first --role admin --password-stdin" + d, nullptr,
                      "first password") == 0);
    std::string loop;
    for (const char* who : {"a", "b"})
        loop += "(for i in 1 2 3; do printf 'password %s\\n' $i | " + kOnemap + " user add " + who +
                "$i --role enterprise --password-stdin" + d + " || exit 1; done) & ";
    std::string log;
    CHECK(onemap::test::shell(loop + "wait %1 && wait %2", &log) == 0);
    std::string out;
    CHECK(runOnemap("audit verify" + d, &out) == 0);
    CHECK(out.find("intact, 7 records") != std::string::npos);
    CHECK(runOnemap("user list" + d, &out) == 0);
    for (const char* who : {"a", "b"})
        for (int i = 1; i <= 3; ++i)
            CHECK(out.find(std::string(who) + std::to_string(i) + "\tenterprise") !=
                  std::string::npos);
}
