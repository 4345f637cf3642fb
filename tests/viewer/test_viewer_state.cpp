// The viewer's state after find, a date change and a diff, its layout, its dialogs, report
// export and approval — driven offscreen as a person would (keys typed, rows selected), each
// compared with the library or the CLI computing the same thing directly.
#include <QApplication>
#include <QDir>
#include <QProcess>
#include <QStatusBar>
#include <QTest>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "../scratch.hpp"
#include "diff_dialog.hpp"
#include "main_window.hpp"
#include "onemap/cli/run.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/phrases.hpp"
#include "onemap/core/time/layer_diff.hpp"
#include "onemap/gis/base/calendar.hpp"
#include "onemap/gis/crs/area_units.hpp"
#include "onemap/gis/formats/site_format_registry.hpp"
#include "onemap/gis/layer/layer_reader.hpp"
#include "site_file_filter.hpp"
#include "viewer_app.hpp"

using namespace onemap;
namespace fs = std::filesystem;

namespace {

const std::string& kPlan = test::kSamplePlan;
const std::string kSites = std::string(ONEMAP_SAMPLE_DIR) + "/sites.gpkg";

// The engine's report on the sample sites on `day` ("" = today).
core::Report directReport(const std::string& plan, const std::string& sites,
                          const std::string& day = "") {
    core::Plan p = core::Plan::load(plan);
    if (!day.empty()) p = p.inForceOn(day, "day");
    return core::ComplianceEngine(core::OneMap::load(p)).run(core::SiteSet::load(sites, p.crs));
}

// The verdicts the engine gives the sample sites on `day` ("" = today), by row.
std::vector<core::Verdict> directVerdicts(const std::string& plan, const std::string& sites,
                                          const std::string& day = "") {
    std::vector<core::Verdict> out;
    for (const auto& s : directReport(plan, sites, day).sites) out.push_back(s.verdict());
    return out;
}

// The list and its header describe the same report: the count and each row's verdict.
void requireListMatches(const viewer::MainWindow& w, const core::Report& report) {
    auto* list = w.checkPanel()->siteList();
    REQUIRE(list->count() == static_cast<int>(report.sites.size()));
    std::size_t pass = 0, fail = 0;
    for (std::size_t i = 0; i < report.sites.size(); ++i) {
        const auto& site = report.sites[i];
        CHECK(list->item(static_cast<int>(i))
                  ->text()
                  .contains(QString::fromStdString(
                      "[" + core::siteVerdictWording(site).in(report.lang) + "]")));
        pass += site.verdict() == core::Verdict::Pass && !site.partial();
        fail += site.verdict() == core::Verdict::Fail;
    }
    const QString header = w.checkPanel()->summary();
    INFO(header.toStdString());
    CHECK(header.startsWith(QString("%1 个项目").arg(report.sites.size())));
    CHECK(header.contains(QString("%1 合规").arg(pass)));
    CHECK(header.contains(QString("%1 不合规").arg(fail)));
}

void open(viewer::MainWindow& w, const std::string& plan, int width = 1400, int height = 900) {
    w.setInteractive(false);
    w.resize(width, height);
    w.show();
    w.openPlan(QString::fromStdString(plan));
    REQUIRE(w.waitUntilIdle(120000));
    REQUIRE(w.lastError().isEmpty());
}

std::string pdfText(const fs::path& pdf) {
    QProcess p;
    p.start("pdftotext", {"-layout", QString::fromStdString(pdf.string()), "-"});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) return {};
    return p.readAllStandardOutput().toStdString();
}

std::set<std::string> registerIds(const std::string& path) {
    std::set<std::string> ids;
    const auto layer = gis::readLayer(path);
    const auto field = layer.fieldIndex("project_id");
    REQUIRE(field);
    for (const auto& f : layer.features) ids.insert(gis::toString(f.values[*field]));
    return ids;
}

}  // namespace

TEST_CASE("Viewer state: find, a typed date and a diff keep the list and its header true",
          "[viewer][state]") {
    test::viewerApp();
    viewer::MainWindow w;
    open(w, kPlan);
    w.checkSitesFile(QString::fromStdString(kSites));
    REQUIRE(w.waitUntilIdle(120000));
    const auto today = directReport(kPlan, kSites);
    REQUIRE(today.sites.size() == 30);
    requireListMatches(w, today);

    // Find: the candidates get their own list; the 30 checked sites stay, listed and drawn.
    core::ProjectBrief brief;
    brief.areaM2 = 150 * gis::kSquareMetresPerMu;
    brief.industry = "集成电路";
    brief.count = 3;
    brief.attributes = {{"plot_ratio", 1.5}, {"investment_intensity", 450.0}};
    w.findLand(brief);
    REQUIRE(w.waitUntilIdle(600000));
    REQUIRE(w.lastError().isEmpty());
    REQUIRE(w.findResult());
    CHECK(w.checkPanel()->shown() == viewer::CheckPanel::Results::Candidates);
    CHECK(w.checkPanel()->siteList()->count() ==
          static_cast<int>(w.findResult()->candidates.size()));
    CHECK(w.checkPanel()->summary().startsWith(
        QString("%1 个项目").arg(w.findResult()->candidates.size())));
    REQUIRE(w.canvas()->options().report);
    CHECK(w.canvas()->options().report->sites.size() == 30);  // still drawn
    w.checkPanel()->showResults(viewer::CheckPanel::Results::Sites);
    requireListMatches(w, today);
    w.findPanel()->selectCandidate(0);  // back to the candidates, the sites untouched
    CHECK(w.checkPanel()->shown() == viewer::CheckPanel::Results::Candidates);
    REQUIRE(w.checkPanel()->report(viewer::CheckPanel::Results::Sites));
    CHECK(w.checkPanel()->report(viewer::CheckPanel::Results::Sites)->sites.size() == 30);

    // A date typed key by key is the day the map and the check use; the sites are checked
    // again on it, the candidates (found on another day's map) are dropped and say so.
    auto* date = w.asOfField()->lineEdit();
    REQUIRE(date->isEnabled());
    date->setFocus();
    QTest::keyClick(date, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(date, "2022-06-01");
    QTest::keyClick(date, Qt::Key_Return);
    REQUIRE(w.waitUntilIdle(120000));
    REQUIRE(w.lastError().isEmpty());
    CHECK(w.canvas()->map()->plan().asOf == "2022-06-01");
    CHECK(w.asOfField()->date() == QStringLiteral("2022-06-01"));
    CHECK(w.checkPanel()->shown() == viewer::CheckPanel::Results::Sites);
    const auto then = directReport(kPlan, kSites, "2022-06-01");
    requireListMatches(w, then);
    CHECK(w.report()->asOf == "2022-06-01");
    w.checkPanel()->showResults(viewer::CheckPanel::Results::Candidates);
    CHECK(w.checkPanel()->siteList()->count() == 0);
    CHECK_FALSE(w.checkPanel()->summary().contains(QStringLiteral("个项目")));
    w.checkPanel()->showResults(viewer::CheckPanel::Results::Sites);

    // A day that is no day: refused, the map stays.
    w.clearLastError();
    QTest::keyClick(date, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(date, "2024-02-30");
    QTest::keyClick(date, Qt::Key_Return);
    CHECK(w.lastError().contains(QStringLiteral("not a date")));
    CHECK(w.canvas()->map()->plan().asOf == "2022-06-01");

    // Diff from that day to today: the map and the sites are those of today.
    w.checkPanel()->selectSite(0);
    QApplication::processEvents();
    const auto viewBefore = w.canvas()->extent();
    const std::string todayIso = gis::todayIso();
    w.clearLastError();
    w.showDiff(QStringLiteral("farmland"), QStringLiteral("2022-06-01"),
               QString::fromStdString(todayIso));
    REQUIRE(w.waitUntilIdle(300000));
    REQUIRE(w.lastError().isEmpty());
    REQUIRE(w.diff());
    CHECK(w.canvas()->map()->plan().asOf == todayIso);
    requireListMatches(w, today);
    CHECK(w.canvas()->options().overlays.size() == 2);
    CHECK_FALSE(w.statusBar()->currentMessage().isEmpty());
    w.checkPanel()->selectSite(1);  // a selection made in diff mode
    QApplication::processEvents();
    CHECK_FALSE(w.canvas()->highlight().isEmpty());

    // Leaving restores all of it: the day, the view, no status, no outline, the sites of then.
    w.showDiff({}, {}, {});
    REQUIRE(w.waitUntilIdle(120000));
    CHECK_FALSE(w.diff());
    CHECK(w.statusBar()->currentMessage().isEmpty());
    CHECK(w.canvas()->highlight().isEmpty());
    CHECK(w.canvas()->options().highlightSites.empty());
    CHECK(w.canvas()->options().overlays.empty());
    CHECK(w.canvas()->map()->plan().asOf == "2022-06-01");
    CHECK(w.asOfField()->date() == QStringLiteral("2022-06-01"));
    CHECK(w.canvas()->extent().minx == Approx(viewBefore.minx));
    CHECK(w.canvas()->extent().maxy == Approx(viewBefore.maxy));
    requireListMatches(w, then);
}

TEST_CASE("Viewer layout: at 1600x1000 the list shows 15 sites and a failing rule in view",
          "[viewer][state]") {
    test::viewerApp();
    viewer::MainWindow w;
    open(w, kPlan, 1600, 1000);
    w.checkSitesFile(QString::fromStdString(kSites));
    REQUIRE(w.waitUntilIdle(120000));
    REQUIRE(w.report());
    auto* list = w.checkPanel()->siteList();
    const QRect listView = list->viewport()->rect();
    int whole = 0;
    for (int i = 0; i < list->count(); ++i)
        whole += listView.contains(list->visualItemRect(list->item(i)));
    INFO("list viewport " << listView.height() << " px");
    CHECK(whole >= 15);

    // Every failing site: its lowest failing rule row lies wholly in the table's viewport.
    auto* rules = w.checkPanel()->ruleTable();
    int checked = 0;
    for (std::size_t s = 0; s < w.report()->sites.size(); ++s) {
        const auto& site = w.report()->sites[s];
        if (site.verdict() != core::Verdict::Fail) continue;
        w.checkPanel()->selectSite(static_cast<int>(s));
        QApplication::processEvents();
        int lowest = -1;
        for (std::size_t r = 0; r < site.rules.size(); ++r)
            if (site.rules[r].verdict() == core::Verdict::Fail) lowest = static_cast<int>(r) + 2;
        REQUIRE(lowest >= 0);
        REQUIRE(
            rules->item(lowest, 1)->text() ==
            QString::fromStdString(core::verdictWording(core::Verdict::Fail).in(w.report()->lang)));
        const QRect row = rules->visualRect(rules->model()->index(lowest, 2));
        INFO(site.id << " row " << lowest << " at " << row.bottom() << " of "
                     << rules->viewport()->height());
        CHECK(rules->viewport()->rect().contains(row));
        ++checked;
    }
    CHECK(checked > 0);
    fs::create_directories("artifacts");
    CHECK(w.grab().save("artifacts/viewer-1600x1000.png"));
}

TEST_CASE("Viewer dialogs: every site format opens, every changing layer diffs",
          "[viewer][state]") {
    test::viewerApp();
    // The default filter (the first) takes every extension a site format claims, and OGR's.
    const QString filter = viewer::sitesFileFilter().split(QStringLiteral(";;")).front();
    const QString inside = filter.mid(filter.indexOf('(') + 1).chopped(1);
    const QStringList patterns = inside.split(' ');
    std::vector<std::string> files = {"a.gpkg", "a.shp", "a.geojson", "a.zip", "a.DXF"};
    for (const auto* f : gis::SiteFormatRegistry::instance().formats())
        for (const auto& ext : f->extensions()) files.push_back("parcels" + ext);
    for (const char* f : {"界址.txt", "a.kml", "a.kmz", "points.csv", "points.xlsx"})
        files.emplace_back(f);
    for (const auto& name : files) {
        INFO(name);
        CHECK(QDir::match(patterns, QString::fromStdString(name)));
    }
    CHECK_FALSE(QDir::match(patterns, QStringLiteral("plan.toml")));

    // The diff dialog offers each layer that changes over time and draws, and each diffs.
    viewer::MainWindow w;
    open(w, kPlan);
    const auto* map = w.canvas()->map();
    viewer::DiffDialog dialog(*map);
    std::set<std::string> offered;
    for (int i = 0; i < dialog.layerBox()->count(); ++i)
        offered.insert(dialog.layerBox()->itemData(i).toString().toStdString());
    CHECK(offered.count("farmland"));
    CHECK(offered.count("devbound"));
    CHECK(offered.count("approved"));               // the register: dated records
    CHECK_FALSE(offered.count("quota_transfers"));  // a dated table, no geometry
    CHECK_FALSE(offered.count("city"));             // the same on every day
    for (const auto& id : offered) {
        INFO(id);
        CHECK_NOTHROW(core::diffLayer(map->plan(), id, "2021-01-01", "2026-01-01"));
    }
    // Its dates take typed keys exactly.
    auto* from = dialog.fromField()->lineEdit();
    QTest::keyClick(from, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(from, "2022-06-01");
    CHECK(dialog.from() == QStringLiteral("2022-06-01"));
}

TEST_CASE("Viewer: the report exported is the CLI's — approval adds the passing sites",
          "[viewer][state]") {
    test::viewerApp();
    // A copy of the sample: approval writes its register.
    const fs::path dir = onemap::test::scratch("viewer-approve");
    fs::copy(ONEMAP_SAMPLE_DIR, dir / "g60", fs::copy_options::recursive);
    const std::string plan = (dir / "g60" / "g60.toml").string();
    const std::string sites = (dir / "g60" / "sites.gpkg").string();
    const std::string reg = (dir / "g60" / "register.gpkg").string();
    viewer::MainWindow w;
    open(w, plan);
    CHECK(w.planRegister().toStdString() == fs::weakly_canonical(reg).string());
    w.checkSitesFile(QString::fromStdString(sites));
    REQUIRE(w.waitUntilIdle(120000));

    // 导出报告: the same document as `onemap check PLAN SITES -o r.pdf`.
    const fs::path out = onemap::test::scratch("viewer-report");
    w.exportReport(QString::fromStdString((out / "viewer.pdf").string()));
    REQUIRE(w.lastError().isEmpty());
    std::ostringstream cliOut, cliErr;
    const int code =
        cli::run({"check", plan, sites, "-o", (out / "cli.pdf").string()}, cliOut, cliErr);
    INFO(cliErr.str());
    CHECK(code == 1);  // some sites fail
    const std::string viewerText = pdfText(out / "viewer.pdf");
    const std::string cliText = pdfText(out / "cli.pdf");
    if (cliText.empty()) {
        WARN("pdftotext unavailable: comparing the files' starts");
        std::ifstream v(out / "viewer.pdf");
        std::string head(5, '\0');
        v.read(head.data(), 5);
        CHECK(head == "%PDF-");
    } else {
        CHECK(viewerText.find("P-001") != std::string::npos);
        CHECK(viewerText == cliText);
    }
    w.clearLastError();
    w.exportReport(QString::fromStdString((out / "report.docx").string()));
    CHECK(w.lastError().contains(".pdf"));

    // 批准入库: a batch with one failing site is refused whole, with the reason.
    const auto before = registerIds(reg);
    const auto verdicts = directVerdicts(plan, sites, gis::todayIso());
    std::vector<int> passing;
    int failing = -1;
    std::set<std::string> passingIds;
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
        if (verdicts[i] == core::Verdict::Fail) {
            if (failing < 0) failing = static_cast<int>(i);
            continue;
        }
        // A site with a rule not checked (P-024: no plot ratio) is never approved.
        if (w.report()->sites[i].partial()) continue;
        passing.push_back(static_cast<int>(i));
        passingIds.insert(w.report()->sites[i].id);
    }
    REQUIRE(failing >= 0);
    REQUIRE_FALSE(passing.empty());
    const std::string failingId = w.report()->sites[static_cast<std::size_t>(failing)].id;
    auto batch = passing;
    batch.push_back(failing);
    const core::Approval approval{gis::todayIso(), "测试〔2026〕1号"};
    w.approveSites(batch, QString::fromStdString(reg), approval);
    REQUIRE(w.waitUntilIdle(120000));
    INFO(w.lastError().toStdString());
    CHECK(w.lastError().contains(QStringLiteral("not approved")));
    CHECK(w.lastError().contains(QString::fromStdString("'" + failingId + "' fails")));
    CHECK(registerIds(reg) == before);

    // The passing sites alone: exactly they are added, read back with GDAL.
    w.clearLastError();
    w.approveSites(passing, QString::fromStdString(reg), approval);
    REQUIRE(w.waitUntilIdle(120000));
    REQUIRE(w.lastError() == QString());
    auto expected = before;
    expected.insert(passingIds.begin(), passingIds.end());
    CHECK(registerIds(reg) == expected);
    CHECK(registerIds(reg).size() == before.size() + passing.size());
    // The map reloaded: the register layer holds them, the sites were checked again.
    CHECK(w.canvas()->map()->layer("approved")->size() == expected.size());
    CHECK(w.checkPanel()->siteList()->count() == static_cast<int>(verdicts.size()));
    // Approving them again is refused; nothing is lost or doubled.
    w.clearLastError();
    w.approveSites(passing, QString::fromStdString(reg), approval);
    REQUIRE(w.waitUntilIdle(120000));
    INFO("again: " << w.lastError().toStdString());
    CHECK(w.lastError().contains(QStringLiteral("already in the register")));
    CHECK(registerIds(reg) == expected);
}
