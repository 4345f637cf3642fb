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
    auto feedback = std::make_shared<BarFeedback>(progress_);
    const bool samePlan = map_ && path == planPath_;
    planPath_ = path;
    run(
        QStringLiteral("loading"),
        [loaded, feedback, p = path.toStdString(), day = asOf_.toStdString()] {
            core::Plan plan = core::Plan::load(p);
            if (!day.empty()) plan = plan.inForceOn(day, "as-of date");
            *loaded = core::OneMap::load(plan, feedback.get());
        },
        [this, loaded, samePlan] {
            const auto extent = canvas_->extent();
            map_ = *loaded;
            report_.reset();
            check_->setReport(nullptr);
            find_->setMap(*map_);  // forgets the last find: it was on another map
            found_.reset();
            // The canvas first: the layer panel's change signal redraws it with the new ids.
            canvas_->setMap(map_);
            layers_->setMap(*map_);
            if (samePlan) canvas_->setExtent(extent);  // another day of the same map: same view
            applyLayerOptions();
            applyOverlays();
            const auto& plan = map_->plan();
            asOfEdit_->setEnabled(plan.hasVersions());
            asOfEdit_->setDate(QDate::fromString(QString::fromStdString(plan.asOf), Qt::ISODate));
            QString title = QString::fromStdString(plan.name);
            if (plan.hasVersions())
                title += QStringLiteral(" — ") + QString::fromStdString(core::asOfLine(plan.asOf));
            for (const auto& note : plan.notes)
                statusBar()->showMessage(QString::fromStdString(note), 8000);
            setWindowTitle(title + QStringLiteral(" — onemap"));
        });
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
    if (layerId.isEmpty()) {
        diff_.reset();
        applyOverlays();
        return;
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
    QDialog dialog(this);
    dialog.setWindowTitle(QStringLiteral("对比 Diff"));
    auto* form = new QFormLayout(&dialog);
    auto* layer = new QComboBox(&dialog);
    QDate first = QDate::currentDate();
    for (const auto& l : map_->plan().declaredLayers()) {
        if (l.versions.empty()) continue;
        layer->addItem(QString::fromStdString(l.title + " (" + l.id + ")"),
                       QString::fromStdString(l.id));
        first = std::min(
            first, QDate::fromString(QString::fromStdString(l.versions.front().from), Qt::ISODate));
    }
    if (layer->count() == 0)
        return showError(QStringLiteral("diff: no layer of this plan has versions"));
    auto* from = new QDateEdit(first, &dialog);
    auto* to = new QDateEdit(QDate::currentDate(), &dialog);
    for (auto* d : {from, to}) {
        d->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        d->setCalendarPopup(true);
    }
    form->addRow(QStringLiteral("图层 Layer"), layer);
    form->addRow(QStringLiteral("从 From"), from);
    form->addRow(QStringLiteral("到 To"), to);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted) return;
    showDiff(layer->currentData().toString(), from->date().toString(Qt::ISODate),
             to->date().toString(Qt::ISODate));
}

void MainWindow::applyLayerOptions() {
    if (!map_) return;
    canvas_->options().layers = layers_->drawOrder();
    canvas_->options().opacity = layers_->opacities();
    canvas_->refresh();
}

void MainWindow::showReport(core::Report report, bool drawSites) {
    report_ = std::move(report);
    canvas_->options().report = drawSites ? &*report_ : nullptr;
    check_->setReport(&*report_);
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
        [this, result] { showReport(std::move(*result)); });
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
        [this, result] {
            showReport(std::move(*result));
            check_->selectSite(0);
        });
}

void MainWindow::identifyAt(double x, double y, double tolerance) {
    identify_->setRowCount(0);
    if (!map_) return;
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
            identify_->setRowCount(static_cast<int>(attributes.fields.size()) + 2);
            auto set = [&](int row, const QString& k, const QString& v) {
                identify_->setItem(row, 0, new QTableWidgetItem(k));
                identify_->setItem(row, 1, new QTableWidgetItem(v));
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

}  // namespace

void MainWindow::exportView(const QString& path) {
    if (!map_) return;
    try {
        render::RenderOptions o = canvas_->options();
        o.bare = false;
        o.size = QSize(1600, 1131);
        o.extent = canvas_->extent();
        writeSafely(*map_, sitesOf(report_ ? &*report_ : nullptr), path,
                    [&](const std::string& at) { render::MapRenderer(map_).write(at, o); });
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportResults(const QString& path) {
    if (!report_) return showError(QStringLiteral("no check results to export"));
    try {
        const bool csv = path.endsWith(".csv", Qt::CaseInsensitive);
        writeSafely(
            *map_, sitesOf(report_ ? &*report_ : nullptr), path, [&](const std::string& at) {
                gis::writeFileAtomically(
                    at, csv ? core::reportCsv(*report_) : core::reportJson(*report_, "viewer"));
            });
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportConflicts(const QString& path) {
    if (!report_) return showError(QStringLiteral("no check results to export"));
    try {
        writeSafely(
            *map_, sitesOf(report_ ? &*report_ : nullptr), path,
            [&](const std::string& at) { core::writeConflicts(*report_, map_->plan().crs, at); });
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
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
            found_ = std::move(*result);
            find_->setBrief(brief);
            find_->setResult(&*found_);
            showReport(candidateReport(*found_), false);
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
    // The compliance panel may show another check since: put the candidates' back.
    const auto& cs = found_->candidates;
    const bool shown =
        report_ && std::equal(report_->sites.begin(), report_->sites.end(), cs.begin(), cs.end(),
                              [](const auto& s, const auto& c) { return s.id == c.id; });
    if (!shown) showReport(candidateReport(*found_), false);
    check_->selectSite(index);
}

void MainWindow::loadBrief(const QString& path) {
    try {
        find_->setBrief(core::ProjectBrief::load(path.toStdString()));
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
