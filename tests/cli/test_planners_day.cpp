// docs/planners-day.md: each `$ onemap …` block is run on the bundled sample and each line it
// quotes must be a line of that command's output (paths under sample-data/ are the sample's).
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "../test_support.hpp"

namespace {

struct Block {
    std::vector<std::string> args;
    std::vector<std::string> quoted;
};

std::vector<Block> commandBlocks(const std::string& doc) {
    std::vector<Block> blocks;
    std::istringstream in(doc);
    bool inFence = false;
    Block* current = nullptr;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("```", 0) == 0) {
            inFence = !inFence;
            current = nullptr;
            continue;
        }
        if (!inFence) continue;
        if (line.rfind("$ onemap ", 0) == 0) {
            blocks.emplace_back();
            current = &blocks.back();
            std::istringstream words(line.substr(9));
            for (std::string w; words >> w;) {
                if (w.rfind("sample-data/", 0) == 0)
                    w = std::string(ONEMAP_SAMPLE_DIR) + w.substr(11);
                current->args.push_back(w);
            }
        } else if (current && !line.empty()) {
            current->quoted.push_back(line);
        }
    }
    return blocks;
}

}  // namespace

TEST_CASE("docs/planners-day.md: every command quoted prints the lines quoted",
          "[cli][doc][sample]") {
    std::ifstream in(std::string(ONEMAP_SAMPLE_DIR) + "/../docs/planners-day.md");
    REQUIRE(in);
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto blocks = commandBlocks(doc);
    REQUIRE(blocks.size() >= 6);
    for (const auto& b : blocks) {
        std::string shown;
        for (const auto& a : b.args) shown += a + " ";
        INFO(shown);
        REQUIRE(!b.quoted.empty());
        const auto r = onemap::test::runCli(b.args);
        CHECK(r.code != 2);
        for (const auto& q : b.quoted) {
            INFO(q);
            CHECK(("\n" + r.out).find("\n" + q + "\n") != std::string::npos);
        }
    }
}
