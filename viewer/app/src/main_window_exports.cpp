// The main window's exports: the view, the results, the conflicts, the report document and
// the candidates, each written as the CLI writes it.
#include <QStatusBar>
#include <functional>

#include "main_window.hpp"
#include "onemap/core/report/conflict_layer.hpp"
#include "onemap/core/report/csv_report.hpp"
#include "onemap/core/report/find_report.hpp"
#include "onemap/core/report/json_report.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/report/report_document.hpp"

namespace onemap::viewer {
namespace {

// One output written as the CLI writes it (gis::OutputFiles): never over the plan's files or
// the other inputs (checked sites, a brief), staged and moved into place whole; errors name the
// chosen path.
void writeSafely(const core::OneMap& map, const std::vector<std::string>& alsoRead,
                 const QString& path, const std::function<void(const std::string&)>& write) {
    auto inputs = map.plan().files();
    for (const auto& p : alsoRead)
        if (!p.empty()) inputs.push_back(p);
    gis::OutputFiles outputs(inputs);
    const std::string at = outputs.stage(path.toStdString());
    outputs.writeAndCommit([&] { write(at); });
}

std::vector<std::string> sitesOf(const core::Report* report) {
    return report ? std::vector<std::string>{report->sitesPath} : std::vector<std::string>{};
}

bool endsWith(const QString& path, const char* ext) {
    return path.endsWith(QLatin1String(ext), Qt::CaseInsensitive);
}

}  // namespace

void MainWindow::exportView(const QString& path) {
    if (!map_) return;
    try {
        render::RenderOptions o = canvas_->options();
        o.bare = false;
        o.size = QSize(1600, 1131);
        o.extent = canvas_->extent();
        writeSafely(*map_, sitesOf(report()), path,
                    [&](const std::string& at) { render::MapRenderer(map_).write(at, o); });
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportResults(const QString& path) {
    const core::Report* shown = report();
    if (!shown) return showError(QStringLiteral("no check results to export"));
    try {
        const bool csv = path.endsWith(".csv", Qt::CaseInsensitive);
        writeSafely(*map_, sitesOf(report()), path, [&](const std::string& at) {
            gis::writeFileAtomically(
                at, csv ? core::reportCsv(*shown) : core::reportJson(*shown, "viewer"));
        });
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportConflicts(const QString& path) {
    const core::Report* shown = report();
    if (!shown) return showError(QStringLiteral("no check results to export"));
    try {
        writeSafely(*map_, sitesOf(report()), path, [&](const std::string& at) {
            core::writeConflicts(*shown, map_->plan().crs, at);
        });
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportReport(const QString& path) {
    const core::Report* shown = report();
    if (!shown) return showError(QStringLiteral("no check results to export"));
    const bool pdf = endsWith(path, ".pdf");
    if (!pdf && !endsWith(path, ".html") && !endsWith(path, ".htm"))
        return showError(path + QStringLiteral(": a report is a .pdf or an .html file"));
    try {
        // The documents `onemap check|find -o` write, dated today as theirs are by default.
        const report::DocumentOptions o{"", ONEMAP_VERSION};
        const bool candidates = check_->shown() == CheckPanel::Results::Candidates && found_;
        std::string bytes;
        if (candidates)
            bytes = pdf ? report::findPdfReport(*found_, map_, o)
                        : report::findHtmlReport(*found_, map_, o);
        else
            bytes = pdf ? report::pdfReport(*shown, map_, o) : report::htmlReport(*shown, map_, o);
        const std::vector<std::string> inputs =
            candidates ? std::vector<std::string>{found_->brief.path} : sitesOf(shown);
        writeSafely(*map_, inputs, path,
                    [&](const std::string& at) { gis::writeFileAtomically(at, bytes); });
        statusBar()->showMessage(QStringLiteral("导出报告 report → ") + path, 8000);
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportCandidates(const QString& path) {
    if (!found_) return showError(QStringLiteral("no candidates to export: find land first"));
    try {
        gis::WriteResult written;
        writeSafely(*map_, {found_->brief.path}, path, [&](const std::string& at) {
            written = core::writeCandidates(*found_, map_->plan().crs, at);
        });
        for (const auto& m : written.renamedFields)
            statusBar()->showMessage(
                QString::fromStdString("note: field '" + m.original + "' is '" + m.shortName +
                                       "' in a shapefile; write a .gpkg to check the plots again"));
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

}  // namespace onemap::viewer
