// The main window's widgets: docks, status bar, menus, toolbar, and what connects them.
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QMenuBar>
#include <QStatusBar>
#include <QToolBar>
#include <algorithm>
#include <cmath>

#include "main_window.hpp"
#include "site_file_filter.hpp"

namespace onemap::viewer {

void MainWindow::buildUi() {
    setWindowTitle(QStringLiteral("onemap — 一张图"));
    resize(1400, 900);
    canvas_ = new MapCanvas(this);
    setCentralWidget(canvas_);
    buildDocks();
    buildStatusBar();
    buildMenus();
    buildToolBar();
    connectPanels();
}

// Layers and identify on the left, compliance and find on the right.
void MainWindow::buildDocks() {
    layers_ = new LayerPanel(this);
    auto* layerDock = new QDockWidget(QStringLiteral("图层 Layers"), this);
    layerDock->setWidget(layers_);
    addDockWidget(Qt::LeftDockWidgetArea, layerDock);

    identify_ = new QTableWidget(0, 2, this);
    identify_->setHorizontalHeaderLabels(
        {QStringLiteral("字段 Field"), QStringLiteral("值 Value")});
    identify_->horizontalHeader()->setStretchLastSection(true);
    identify_->verticalHeader()->setVisible(false);
    auto* identifyDock = new QDockWidget(QStringLiteral("属性 Identify"), this);
    identifyDock->setWidget(identify_);
    addDockWidget(Qt::LeftDockWidgetArea, identifyDock);

    // Compliance and find share the right side as tabs, each with the full height: the site
    // list and a site's rules need it (30 sites and 12 rule rows at 1000 px).
    check_ = new CheckPanel(this);
    auto* checkDock = new QDockWidget(QStringLiteral("合规审查 Compliance"), this);
    checkDock->setWidget(check_);
    checkDock->setMinimumWidth(520);
    addDockWidget(Qt::RightDockWidgetArea, checkDock);

    find_ = new FindPanel(this);
    auto* findDock = new QDockWidget(QStringLiteral("找地 Find land"), this);
    findDock->setWidget(find_);
    addDockWidget(Qt::RightDockWidgetArea, findDock);
    tabifyDockWidget(checkDock, findDock);
    checkDock->raise();
}

// Coordinates, measure, progress and scale.
void MainWindow::buildStatusBar() {
    coords_ = new QLabel(this);
    scale_ = new QLabel(this);
    scale_->setMinimumWidth(130);
    measure_ = new QLabel(this);
    progress_ = new QProgressBar(this);
    progress_->setMaximumWidth(320);
    progress_->setVisible(false);
    statusBar()->addWidget(coords_, 1);
    statusBar()->addWidget(measure_, 1);
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(scale_);
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(QStringLiteral("文件 &File"));
    file->addAction(QStringLiteral("打开规划… Open plan"), this, [this] {
        const auto p = QFileDialog::getOpenFileName(this, "Open plan", {}, "Plan (*.toml)");
        if (!p.isEmpty()) openPlan(p);
    });
    file->addAction(QStringLiteral("审查选址文件… Check sites"), this, [this] {
        const auto p = QFileDialog::getOpenFileName(this, "Sites", {}, sitesFileFilter());
        if (!p.isEmpty()) checkSitesFile(p);
    });
    file->addSeparator();
    file->addAction(QStringLiteral("导出地图… Export view (PNG/PDF)"), this, [this] {
        const auto p = QFileDialog::getSaveFileName(this, "Export view", "map.png",
                                                    "PNG (*.png);;PDF (*.pdf)");
        if (!p.isEmpty()) exportView(p);
    });
    file->addAction(QStringLiteral("导出结果… Export results (JSON/CSV)"), this, [this] {
        const auto p = QFileDialog::getSaveFileName(this, "Export results", "check.json",
                                                    "JSON (*.json);;CSV (*.csv)");
        if (!p.isEmpty()) exportResults(p);
    });
    file->addAction(QStringLiteral("导出冲突… Export conflicts (GPKG/SHP)"), this, [this] {
        const auto p = QFileDialog::getSaveFileName(this, "Export conflicts", "conflicts.gpkg",
                                                    "GeoPackage (*.gpkg);;Shapefile (*.shp)");
        if (!p.isEmpty()) exportConflicts(p);
    });
    file->addAction(QStringLiteral("导出报告… Export report (PDF/HTML)"), this, [this] {
        const auto p = QFileDialog::getSaveFileName(this, "Export report", "report.pdf",
                                                    "PDF (*.pdf);;HTML (*.html)");
        if (!p.isEmpty()) exportReport(p);
    });
    file->addSeparator();
    file->addAction(QStringLiteral("批准入库… Approve selected sites"), this,
                    &MainWindow::chooseApproval);
}

// Navigation, the canvas's modes, the as-of date and diff.
void MainWindow::buildToolBar() {
    auto* tools = addToolBar(QStringLiteral("Tools"));
    tools->addAction(QStringLiteral("全图 Full extent"), canvas_, &MapCanvas::zoomToFull);
    tools->addAction(QStringLiteral("放大 +"), this,
                     [this] { canvas_->zoomBy(2, QRectF(canvas_->rect()).center()); });
    tools->addAction(QStringLiteral("缩小 −"), this,
                     [this] { canvas_->zoomBy(0.5, QRectF(canvas_->rect()).center()); });
    tools->addSeparator();
    tools->addAction(QStringLiteral("识别 Identify"), this,
                     [this] { canvas_->setMode(MapCanvas::Mode::Identify); });
    tools->addAction(QStringLiteral("绘制选址 Draw site"), this,
                     [this] { canvas_->setMode(MapCanvas::Mode::DrawSite); });
    tools->addAction(QStringLiteral("量测 Measure"), this,
                     [this] { canvas_->setMode(MapCanvas::Mode::Measure); });
    // The one map on a day: enabled for plans whose layers have versions or dated records.
    tools->addSeparator();
    tools->addWidget(new QLabel(QStringLiteral(" 现状日期 As of "), this));
    asOfEdit_ = new DateField(this);
    asOfEdit_->setDate(QDate::currentDate().toString(Qt::ISODate));
    asOfEdit_->setEnabled(false);
    tools->addWidget(asOfEdit_);
    connect(asOfEdit_, &DateField::dateEntered, this, [this](const QString& day) {
        if (!map_ || day.toStdString() != map_->plan().asOf) setAsOf(day);
    });

    tools->addAction(QStringLiteral("对比 Diff…"), this, &MainWindow::chooseDiff);
    tools->addAction(QStringLiteral("退出对比 End diff"), this, [this] { showDiff({}, {}, {}); });
}

// What the canvas and the panels ask of the window.
void MainWindow::connectPanels() {
    connect(layers_, &LayerPanel::changed, this, &MainWindow::applyLayerOptions);
    connect(layers_, &LayerPanel::heatmapChosen, this,
            [this](const std::string& id) { showHeatmap(QString::fromStdString(id)); });
    connect(layers_, &LayerPanel::heatOpacityChanged, this, &MainWindow::setHeatOpacity);
    connect(layers_, &LayerPanel::zoomToLayerRequested, this, [this](const std::string& id) {
        if (const auto* l = map_ ? map_->layer(id) : nullptr) canvas_->setExtent(l->extent());
    });
    connect(canvas_, &MapCanvas::cursorMoved, this,
            [this](double x, double y, double lon, double lat) {
                coords_->setText(QString("%1: %2, %3   lon/lat: %4, %5")
                                     .arg(QString::fromStdString(map_->plan().crs.label()))
                                     .arg(x, 0, 'f', 1)
                                     .arg(y, 0, 'f', 1)
                                     .arg(lon, 0, 'f', 6)
                                     .arg(lat, 0, 'f', 6));
            });
    connect(canvas_, &MapCanvas::extentChanged, this, [this] {
        scale_->setText(
            QString("1:%L1").arg(static_cast<qlonglong>(std::round(canvas_->scaleDenominator()))));
    });
    connect(canvas_, &MapCanvas::identifyRequested, this, &MainWindow::identifyAt);
    connect(canvas_, &MapCanvas::measured, measure_, &QLabel::setText);
    connect(canvas_, &MapCanvas::sitePolygonFinished, this, &MainWindow::checkDrawnSite);
    connect(find_, &FindPanel::findRequested, this, [this] { findLand(find_->brief()); });
    connect(find_, &FindPanel::loadBriefRequested, this, [this] {
        const auto p = QFileDialog::getOpenFileName(this, "Load brief", {}, "Brief (*.toml)");
        if (!p.isEmpty()) loadBrief(p);
    });
    connect(find_, &FindPanel::exportRequested, this, [this] {
        const auto p = QFileDialog::getSaveFileName(
            this, "Export candidates", "candidates.gpkg",
            "GeoPackage (*.gpkg);;Shapefile (*.shp);;国土 TXT (*.txt)");
        if (!p.isEmpty()) exportCandidates(p);
    });
    connect(find_, &FindPanel::candidateSelected, this, &MainWindow::selectCandidate);
    connect(check_, &CheckPanel::siteSelected, this, [this](int index) {
        const core::Report* shown = check_->report();
        if (!shown || index < 0) return;
        const auto& site = shown->sites[static_cast<std::size_t>(index)];
        auto e = site.geometry.envelope();
        const double pad = std::max({e.width(), e.height(), 400.0});
        canvas_->options().highlightSites = {site.id};
        canvas_->setExtent({e.minx - pad, e.miny - pad, e.maxx + pad, e.maxy + pad});
        canvas_->setHighlight(site.geometry);
    });
}

}  // namespace onemap::viewer
