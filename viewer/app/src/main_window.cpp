#include "main_window.hpp"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QMessageBox>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>
#include <filesystem>
#include <functional>

#include "diff_dialog.hpp"
#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/core/report/conflict_layer.hpp"
#include "onemap/core/report/csv_report.hpp"
#include "onemap/core/report/find_report.hpp"
#include "onemap/core/report/json_report.hpp"
#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"
#include "onemap/gis/layer/output_files.hpp"
#include "onemap/render/style.hpp"

namespace onemap::viewer {
namespace {

// Progress from a worker thread, posted to the GUI thread's progress bar.
class BarFeedback : public core::Feedback {
  public:
    explicit BarFeedback(QProgressBar* bar) : bar_(bar) {}
    void progress(double fraction, const std::string& step) override {
        QMetaObject::invokeMethod(
            bar_,
            [bar = bar_, v = static_cast<int>(fraction * 100), s = QString::fromStdString(step)] {
                bar->setValue(v);
                bar->setFormat(s + " %p%");
            },
            Qt::QueuedConnection);
    }

  private:
    QProgressBar* bar_;
};

const QColor kFreeLandColour(120, 200, 110);  // 可用地, translucent over the layers
const QColor kCandidateColour(60, 60, 230);   // 候选地块, above the free land

// What the compliance panel's header says while a list is empty (one place for the phrases).
const QString kRechecking =
    QStringLiteral("正在按 %1 的规划重新审查选址… re-checking the sites on the plan of %1…");
const QString kRecheckFailed = QStringLiteral("未能重新审查 could not check the sites again: ");
const QString kCandidatesGone = QStringLiteral(
    "候选地块是在另一日期的地图上找到的，请重新找地 — the candidates were found on another "
    "day's map: find again");

// The candidates' checks as one report, for the compliance panel and the result exports.
core::Report candidateReport(const core::FindResult& found) {
    core::Report r;
    r.planName = found.planName;
    r.planPath = found.planPath;
    r.crs = found.crs;
    r.asOf = found.asOf;
    r.versions = found.versions;
    for (const auto& c : found.candidates) r.sites.push_back(c.check);
    return r;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    buildUi();
    connect(&watcher_, &QFutureWatcher<void>::finished, this, [this] {
        progress_->setVisible(false);
        auto done = std::move(onDone_);
        onDone_ = nullptr;
        if (!pendingError_.isEmpty()) {
            if (!sites_ && (!checkedPath_.isEmpty() || checkedDrawing_))  // the header says why
                check_->setReport(CheckPanel::Results::Sites, nullptr,
                                  kRecheckFailed + QStringLiteral("onemap: ") + pendingError_);
            showError(pendingError_);
            pendingError_.clear();
        } else if (done) {
            done();
        }
    });
}

MainWindow::~MainWindow() { watcher_.waitForFinished(); }

void MainWindow::showError(const QString& message) {
    lastError_ = "onemap: " + message;
    if (interactive_) QMessageBox::critical(this, QStringLiteral("onemap"), lastError_);
}

void MainWindow::run(const QString& what, std::function<void()> work, std::function<void()> done) {
    if (watcher_.isRunning()) {
        showError(QStringLiteral("busy: wait for the current task to finish"));
        return;
    }
    progress_->setVisible(true);
    progress_->setValue(0);
    progress_->setFormat(what + " %p%");
    onDone_ = std::move(done);
    watcher_.setFuture(QtConcurrent::run([this, work = std::move(work)] {
        try {
            work();
        } catch (const std::exception& e) {
            pendingError_ = QString::fromUtf8(e.what());
        } catch (...) {  // nothing a worker throws may reach std::terminate
            pendingError_ = QStringLiteral("internal error (unknown exception)");
        }
    }));
}

void MainWindow::openPlan(const QString& path) {
    auto loaded = std::make_shared<std::shared_ptr<const core::OneMap>>();
    auto heat = std::make_shared<std::shared_ptr<render::HeatLayer>>();
    auto heatFailure = std::make_shared<QString>();
    auto feedback = std::make_shared<BarFeedback>(progress_);
    const bool samePlan = map_ && path == planPath_;
    planPath_ = path;
    run(
        QStringLiteral("loading"),
        [loaded, heat, heatFailure, feedback, p = path.toStdString(), day = asOf_.toStdString(),
         heatmap = samePlan ? heatmapId_ : std::string()] {
            core::Plan plan = core::Plan::load(p);
            if (!day.empty()) plan = plan.inForceOn(day, "as-of date");
            *loaded = core::OneMap::load(plan, feedback.get());
            if (!heatmap.empty()) try {  // that day's, too; without it if it cannot be drawn
                    *heat = computeHeat(plan, heatmap);
                } catch (const InputError& e) {
                    *heatFailure = QString::fromUtf8(e.what());
                }
        },
        [this, loaded, heat, heatFailure, samePlan] {
            const auto extent = canvas_->extent();
            map_ = *loaded;
            // The panel lets go of the reports before they go: neither list outlives its map.
            check_->setReport(CheckPanel::Results::Candidates, nullptr,
                              found_ ? kCandidatesGone : QString());
            check_->setReport(CheckPanel::Results::Sites, nullptr,
                              checkedPath_.isEmpty() && !checkedDrawing_
                                  ? QString()
                                  : kRechecking.arg(QString::fromStdString(map_->plan().asOf)));
            sites_.reset();
            candidates_.reset();
            find_->setMap(*map_);  // forgets the last find: it was on another map
            found_.reset();
            // The canvas first: the layer panel's change signal redraws it with the new ids.
            canvas_->setMap(map_);
            canvas_->setHighlight({});
            layers_->setMap(*map_);
            if (samePlan) canvas_->setExtent(extent);  // another day of the same map: same view
            heat_ = std::move(*heat);
            if (heat_)
                heat_->opacity = layers_->heatOpacity();  // as the user left it
            else
                heatmapId_.clear();
            layers_->setCurrentHeatmap(heatmapId_, false);
            applyLayerOptions();
            applyHeat();
            applyOverlays();
            const auto& plan = map_->plan();
            asOfEdit_->setEnabled(plan.hasVersions());
            asOfEdit_->setDate(QString::fromStdString(plan.asOf));
            QString title = QString::fromStdString(plan.name);
            if (plan.hasVersions())
                title += QStringLiteral(" — ") +
                         QString::fromStdString(core::asOfLine(plan.asOf).in(plan.language));
            for (const auto& note : plan.notes)
                statusBar()->showMessage(QString::fromStdString(note), 8000);
            setWindowTitle(title + QStringLiteral(" — onemap"));
            if (!heatFailure->isEmpty())
                showError(QStringLiteral("热力图未绘制 heat map not drawn: ") + *heatFailure);
            recheckSites();
        });
}

void MainWindow::recheckSites() {
    if (checkedDrawing_)
        checkDrawnSite(*checkedDrawing_);
    else if (!checkedPath_.isEmpty())
        checkSitesFile(checkedPath_);
}

void MainWindow::setAsOf(const QString& isoDate) {
    if (!isoDate.isEmpty() && !core::isIsoDate(isoDate.toStdString()))
        return showError(QStringLiteral("as-of date: '") + isoDate +
                         QStringLiteral("' is not a date; write YYYY-MM-DD"));
    asOf_ = isoDate;
    if (!planPath_.isEmpty()) openPlan(planPath_);
}

void MainWindow::showDiff(const QString& layerId, const QString& from, const QString& to) {
    if (!map_) return;
    if (layerId.isEmpty()) {  // leaving: back to the day, view and status before the diff
        if (!diff_) return;
        diff_.reset();
        statusBar()->clearMessage();
        canvas_->options().highlightSites.clear();
        canvas_->setHighlight({});
        check_->selectSite(-1);
        canvas_->setExtent(viewBeforeDiff_);
        applyOverlays();
        if (asOfBeforeDiff_ != asOf_) setAsOf(asOfBeforeDiff_);  // the day before the diff
        return;
    }
    if (!diff_) {
        asOfBeforeDiff_ = asOf_;
        viewBeforeDiff_ = canvas_->extent();
    }
    auto result = std::make_shared<core::LayerDiff>();
    auto feedback = std::make_shared<BarFeedback>(progress_);
    run(
        QStringLiteral("diff"),
        [result, feedback, plan = map_->plan(), id = layerId.toStdString(), f = from.toStdString(),
         t = to.toStdString()] { *result = core::diffLayer(plan, id, f, t, feedback.get()); },
        [this, result] {
            diff_ = std::move(*result);
            gis::Envelope e;  // the change, with a margin
            e.expand(diff_->gained.envelope());
            e.expand(diff_->lost.envelope());
            if (!e.isEmpty()) {
                const double m = 0.1 * std::max({e.width(), e.height(), 200.0});
                canvas_->setExtent({e.minx - m, e.miny - m, e.maxx + m, e.maxy + m});
            }
            statusBar()->showMessage(
                QString::fromStdString(diff_->title + " " + diff_->from + " → " + diff_->to +
                                       ": 增加 gained " + core::describeArea(diff_->gainedM2) +
                                       ", 减少 lost " + core::describeArea(diff_->lostM2)));
            // The map as it stands on the later day (its load re-applies the diff).
            if (map_->plan().asOf != diff_->to)
                setAsOf(QString::fromStdString(diff_->to));
            else
                applyOverlays();
        });
}

void MainWindow::applyOverlays() {
    auto& overlays = canvas_->options().overlays;
    overlays.clear();
    if (diff_) {
        overlays.push_back({diff_->gained, render::gainedColour(), QStringLiteral("增加 gained")});
        overlays.push_back({diff_->lost, render::lostColour(), QStringLiteral("减少 lost")});
    }
    if (found_) {
        std::vector<gis::Geometry> plots;
        for (const auto& c : found_->candidates) plots.push_back(c.check.geometry);
        overlays.push_back(
            {found_->freeLand.geometry, kFreeLandColour, QStringLiteral("可用地 free land")});
        if (!plots.empty())
            overlays.push_back({gis::Geometry::collect(plots), kCandidateColour,
                                QStringLiteral("候选地块 candidates")});
    }
    canvas_->refresh();
}

void MainWindow::chooseDiff() {
    if (!map_) return;
    DiffDialog dialog(*map_, this);
    if (dialog.layerBox()->count() == 0)
        return showError(QStringLiteral("diff: no layer of this plan has versions"));
    if (dialog.exec() != QDialog::Accepted) return;
    showDiff(dialog.layerId(), dialog.from(), dialog.to());
}

void MainWindow::applyLayerOptions() {
    if (!map_) return;
    canvas_->options().layers = layers_->drawOrder();
    canvas_->options().opacity = layers_->opacities();
    canvas_->refresh();
}

void MainWindow::showSites(core::Report report) {
    check_->setReport(CheckPanel::Results::Sites, nullptr);
    sites_ = std::move(report);
    canvas_->options().report = &*sites_;
    check_->setReport(CheckPanel::Results::Sites, &*sites_);
    check_->showResults(CheckPanel::Results::Sites);
    canvas_->refresh();
}

void MainWindow::checkSitesFile(const QString& path) {
    if (!map_) return showError(QStringLiteral("no plan loaded"));
    auto result = std::make_shared<core::Report>();
    auto feedback = std::make_shared<BarFeedback>(progress_);
    run(
        QStringLiteral("checking"),
        [this, result, feedback, p = path.toStdString()] {
            const core::ComplianceEngine engine(map_);
            *result = engine.run(core::SiteSet::load(p, map_->plan().crs), feedback.get());
        },
        [this, result, path] {
            checkedPath_ = path;  // checked again on another day
            checkedDrawing_.reset();
            showSites(std::move(*result));
        });
}

void MainWindow::checkDrawnSite(const gis::Geometry& polygon) {
    if (!map_) return;
    gis::VectorLayer layer;
    layer.name = "drawn site";
    layer.crs = map_->plan().crs;
    layer.geometryType = "Polygon";
    layer.fields = {{"id", gis::FieldType::String}, {"name", gis::FieldType::String}};
    gis::Feature f;
    f.fid = 1;
    f.values = {std::string("DRAWN-1"), std::string("绘制的选址 drawn site")};
    f.geometry = polygon;
    layer.features = {f};
    // A drawn site has no indicators: only the spatial rules can speak about it.
    std::vector<std::string> spatial;
    const core::ComplianceEngine all(map_);
    for (const auto& r : all.rules())
        if (r->siteFields().empty()) spatial.push_back(r->spec().id);
    auto result = std::make_shared<core::Report>();
    run(
        QStringLiteral("checking"),
        [this, result, layer, spatial] {
            const core::ComplianceEngine engine(map_, spatial);
            *result = engine.run(core::SiteSet::fromGeometries(layer, map_->plan().crs));
        },
        [this, result, polygon] {
            checkedPath_.clear();
            checkedDrawing_ = polygon;
            showSites(std::move(*result));
            check_->selectSite(0);
        });
}

void MainWindow::identifyAt(double x, double y, double tolerance) {
    identify_->setRowCount(0);
    if (!map_) return;
    int first = 0;  // the heat map's row, when one is drawn and has a value here
    if (const auto value = heat_ ? render::heatValueAt(*heat_, x, y) : std::nullopt) {
        identify_->setRowCount(1);
        identify_->setItem(0, 0, new QTableWidgetItem(QString::fromStdString(heat_->title)));
        identify_->setItem(
            0, 1, new QTableWidgetItem(QString::number(*value, 'g', 6) + QStringLiteral(" /km²")));
        first = 1;
    }
    const auto probe = gis::Geometry::point(x, y).buffer(tolerance, 4);
    const auto order = layers_->drawOrder();
    for (auto it = order.rbegin(); it != order.rend(); ++it) {  // topmost first
        const auto* layer = map_->layer(*it);
        if (!layer) continue;
        auto ids = layer->index().query(probe.envelope());
        std::sort(ids.begin(), ids.end());
        for (const auto i : ids) {
            if (!layer->geometry(i).intersects(probe)) continue;
            const auto& attributes = layer->data();
            identify_->setRowCount(first + static_cast<int>(attributes.fields.size()) + 2);
            auto set = [&](int row, const QString& k, const QString& v) {
                identify_->setItem(first + row, 0, new QTableWidgetItem(k));
                identify_->setItem(first + row, 1, new QTableWidgetItem(v));
            };
            set(0, QStringLiteral("图层 Layer"), QString::fromStdString(layer->spec().title));
            set(1, QStringLiteral("fid"), QString::number(attributes.features[i].fid));
            for (std::size_t f = 0; f < attributes.fields.size(); ++f)
                set(static_cast<int>(f) + 2, QString::fromStdString(attributes.fields[f].name),
                    QString::fromStdString(gis::toString(attributes.features[i].values[f])));
            canvas_->setHighlight(layer->geometry(i));
            return;
        }
    }
}

void MainWindow::findLand(const core::ProjectBrief& brief) {
    if (!map_) return showError(QStringLiteral("no plan loaded"));
    auto result = std::make_shared<core::FindResult>();
    auto feedback = std::make_shared<BarFeedback>(progress_);
    run(
        QStringLiteral("finding"),
        [result, feedback, map = map_, brief] {
            brief.validate("find");
            *result = core::SiteFinder(map, brief).find(feedback.get());
        },
        [this, result, brief] {
            check_->setReport(CheckPanel::Results::Candidates, nullptr);
            found_ = std::move(*result);
            candidates_ = candidateReport(*found_);
            find_->setBrief(brief);
            find_->setResult(&*found_);
            check_->setReport(CheckPanel::Results::Candidates, &*candidates_);
            check_->showResults(CheckPanel::Results::Candidates);
            applyOverlays();
            gis::Envelope e;  // the candidates, else the free land, with a margin
            for (const auto& c : found_->candidates) e.expand(c.check.geometry.envelope());
            if (e.isEmpty()) e.expand(found_->freeLand.geometry.envelope());
            if (!e.isEmpty()) {
                const double m = 0.1 * std::max({e.width(), e.height(), 1000.0});
                canvas_->setExtent({e.minx - m, e.miny - m, e.maxx + m, e.maxy + m});
            }
            statusBar()->showMessage(QString("找地 find: %1 / %2 candidate(s)")
                                         .arg(found_->candidates.size())
                                         .arg(brief.count) +
                                     (found_->binding.empty()
                                          ? QString()
                                          : " — " + QString::fromStdString(found_->binding)));
        });
}

void MainWindow::selectCandidate(int index) {
    if (!found_ || index < 0 || index >= static_cast<int>(found_->candidates.size())) return;
    check_->showResults(CheckPanel::Results::Candidates);  // the checked sites stay in theirs
    check_->selectSite(index);
}

void MainWindow::loadBrief(const QString& path) {
    try {
        find_->setBrief(core::ProjectBrief::load(path.toStdString()));
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

bool MainWindow::waitUntilIdle(int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (watcher_.isRunning() || onDone_) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        if (t.elapsed() > timeoutMs) return false;
    }
    QApplication::processEvents();
    return true;
}

}  // namespace onemap::viewer
