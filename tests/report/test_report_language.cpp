// Reports in the reader's language: a Chinese report carries no English phrase (only the ids,
// names and units the data itself carries), an English one no Chinese verdicts; and data
// warnings are listed, not counted. The oracle for "what the data carries" is the JSON report.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "../test_support.hpp"
#include "onemap/gis/layer/layer_reader.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kPlan = std::string(ONEMAP_SAMPLE_DIR) + "/g60.toml";
const std::string kSites = std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Every text the data carries that may hold Latin letters: ids and names of sites, ids of the
// features rules name, layer and rule ids, the plan and file names.
std::vector<std::string> dataTexts(const nlohmann::json& j) {
    std::vector<std::string> out{j["plan"].get<std::string>(), kSites, kPlan};
    for (const auto& s : j["sites"]) {
        out.push_back(s["id"].get<std::string>());
        out.push_back(s["name"].get<std::string>());
        for (const auto& r : s["rules"]) {
            out.push_back(r["id"].get<std::string>());
            if (r.contains("layer") && r["layer"].is_string()) out.push_back(r["layer"]);
            for (const char* key : {"features", "nearest", "unit"}) {
                if (!r.contains(key)) continue;
                if (r[key].is_array())
                    for (const auto& f : r[key]) out.push_back(f.get<std::string>());
                else if (r[key].is_string())
                    out.push_back(r[key].get<std::string>());
            }
        }
    }
    for (const auto& [layer, v] : j["versions"].items()) {
        out.push_back(layer);
        out.push_back(v["doc"].get<std::string>());
    }
    // Longest first, so an id is not half-removed by a shorter one it contains.
    std::sort(out.begin(), out.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return out;
}

std::string without(std::string text, const std::vector<std::string>& tokens) {
    for (const auto& t : tokens) {
        if (t.empty()) continue;
        for (std::size_t at; (at = text.find(t)) != std::string::npos;)
            text.replace(at, t.size(), " ");
    }
    return text;
}

// Latin words of two letters or more left once the data's own texts are taken out.
std::set<std::string> englishWords(const std::string& raw) {
    // Literal identifiers a Chinese sentence names as they are: options (--attr-table) and
    // field names (plot_ratio).
    static const std::regex identifier("--[a-z][a-z-]*|[a-z]+(_[a-z]+)+");
    const std::string text = std::regex_replace(raw, identifier, " ");
    static const std::regex word("[A-Za-z]{2,}");
    std::set<std::string> out;
    for (std::sregex_iterator it(text.begin(), text.end(), word), end; it != end; ++it)
        out.insert(it->str());
    // Units and symbols a Chinese report writes as they are.
    for (const char* ok : {"NULL"}) out.erase(ok);
    return out;
}

// Markup taken out by hand: std::regex recurses per character through megabytes of base64.
std::string withoutTags(const std::string& html) {
    std::string out;
    bool inTag = false;
    for (const char c : html) {
        if (c == '<') inTag = true;
        if (!inTag) out += c;
        if (c == '>') inTag = false, out += ' ';
    }
    return out;
}

nlohmann::json sampleJson() {
    const auto r = onemap::test::runCli({"check", kPlan, kSites, "--format", "json"});
    REQUIRE(r.code == 1);
    return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("A Chinese text report has no English phrase — warnings are listed", "[report][lang]") {
    const auto json = sampleJson();
    const auto zh = onemap::test::runCli({"check", kPlan, kSites});  // the plan says zh
    REQUIRE(zh.code == 1);
    const auto leftover = englishWords(without(zh.out, dataTexts(json)));
    INFO(zh.out);
    CHECK(leftover.empty());
    for (const auto& w : leftover) UNSCOPED_INFO("English word left: " << w);
    CHECK(zh.out.find("汇总") != std::string::npos);
    // Every data warning of the run is in the text, word for word (not "N warning(s)").
    for (const auto& w : json["warnings"])
        CHECK(zh.out.find(w.get<std::string>()) != std::string::npos);

    const auto en = onemap::test::runCli({"check", kPlan, kSites, "--lang", "en"});
    REQUIRE(en.code == 1);
    CHECK(en.out.find("Summary:") != std::string::npos);
    // The detector finds English where there is English.
    CHECK(englishWords(without(en.out, dataTexts(json))).count("overlap") == 1);
    for (const char* zhWord : {"[合规]", "汇总", "位于范围内比例", "剩余指标", "公顷"})
        CHECK(en.out.find(zhWord) == std::string::npos);
    // The language changes words, never figures: the same numbers in the same order.
    const std::regex number("[0-9][0-9,]*\\.[0-9]+");
    const auto numbers = [&](const std::string& s) {
        std::vector<std::string> out;
        for (std::sregex_iterator it(s.begin(), s.end(), number), end; it != end; ++it)
            out.push_back(it->str());
        std::sort(out.begin(), out.end());
        return out;
    };
    CHECK(numbers(zh.out) == numbers(en.out));
}

TEST_CASE("A Chinese HTML report: cover and site pages have no English phrase", "[report][lang]") {
    const auto json = sampleJson();
    const auto dir = onemap::test::scratch("report-lang");
    const auto html = dir / "zh.html";
    REQUIRE(
        onemap::test::runCli({"check", kPlan, kSites, "-o", html.string(), "--date", "2026-11-24"})
            .code == 1);
    std::string text = slurp(html);
    REQUIRE(text.find("<html lang=\"zh-CN\">") != std::string::npos);
    // The cover and the site pages; the audit appendix quotes files and software as they are.
    text = text.substr(0, text.find("<section id=\"audit\">"));
    text = text.substr(text.find("<body>"));
    text = withoutTags(text);
    auto tokens = dataTexts(json);
    // What the cover names as it is: the software, the CRS by its EPSG name.
    for (const char* ok :
         {"onemap", "CGCS2000", "EPSG", "Gauss-Kruger", "zone", "CM", "degree", "GK", "mu"})
        tokens.push_back(ok);
    const auto crsName = json["crs"].get<std::string>();
    tokens.push_back(crsName);
    const auto leftover = englishWords(without(text, tokens));
    for (const auto& w : leftover) UNSCOPED_INFO("English word left: " << w);
    CHECK(leftover.empty());
    CHECK(text.find("剩余指标") != std::string::npos);

    const auto en = dir / "en.html";
    REQUIRE(onemap::test::runCli(
                {"check", kPlan, kSites, "-o", en.string(), "--lang", "en", "--date", "2026-11-24"})
                .code == 1);
    const std::string enText = slurp(en);
    CHECK(enText.find("<html lang=\"en\">") != std::string::npos);
    CHECK(enText.find("Site-selection compliance report") != std::string::npos);
    CHECK(enText.find("不合规") == std::string::npos);
}

TEST_CASE("check --lang refuses a language onemap does not write", "[report][lang]") {
    const auto r = onemap::test::runCli({"check", kPlan, kSites, "--lang", "fr"});
    CHECK(r.code == 2);
}
