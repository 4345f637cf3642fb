#pragma once
// The one map desktop viewer: canvas, layer tree, identify and compliance panels.
// Loading and checking run off the GUI thread with progress; errors are shown in a
// dialog with the same message the CLI prints.
#include <QDateEdit>
#include <QFutureWatcher>
#include <QLabel>
#include <QMainWindow>
#include <QProgressBar>
#include <QTableWidget>
#include <memory>
#include <optional>

#include "check_panel.hpp"
#include "find_panel.hpp"
#include "layer_panel.hpp"
#include "map_canvas.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/find/site_finder.hpp"
#include "onemap/core/time/layer_diff.hpp"

namespace onemap::viewer {

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openPlan(const QString& path);  ///< in the background
    /// Takes every layer in its version in force on `isoDate` (YYYY-MM-DD; "" = today) and
    /// reloads the open plan in the background, keeping the view. The toolbar's date control.
    void setAsOf(const QString& isoDate);
    /// Diff mode: land gained (green) and lost (red) in layer `layerId` between two days, over
    /// the one map as it stands on `to` (in the background). An empty id leaves diff mode.
    void showDiff(const QString& layerId, const QString& from, const QString& to);
    [[nodiscard]] const std::optional<core::LayerDiff>& diff() const { return diff_; }
    void checkSitesFile(const QString& path);           ///< in the background
    void checkDrawnSite(const gis::Geometry& polygon);  ///< the spatial rules only
    void identifyAt(double x, double y, double tolerance);
    void exportView(const QString& path);       ///< PNG/PDF, the render layout
    void exportResults(const QString& path);    ///< JSON/CSV
    void exportConflicts(const QString& path);  ///< GeoPackage/Shapefile
    /// 找地: free land and candidate plots for `brief` (in the background), shaded on the map,
    /// listed in the find panel; their checks go to the compliance panel.
    void findLand(const core::ProjectBrief& brief);
    void loadBrief(const QString& path);         ///< into the find panel's form
    void exportCandidates(const QString& path);  ///< GeoPackage/Shapefile/国土 TXT
    [[nodiscard]] const core::FindResult* findResult() const { return found_ ? &*found_ : nullptr; }

    /// Processes events until no background work is running (tests), false on timeout.
    bool waitUntilIdle(int timeoutMs);
    /// Tests: errors go to lastError() instead of a modal dialog.
    void setInteractive(bool on) { interactive_ = on; }
    [[nodiscard]] const QString& lastError() const { return lastError_; }

    [[nodiscard]] MapCanvas* canvas() const { return canvas_; }
    [[nodiscard]] LayerPanel* layerPanel() const { return layers_; }
    [[nodiscard]] CheckPanel* checkPanel() const { return check_; }
    [[nodiscard]] FindPanel* findPanel() const { return find_; }
    [[nodiscard]] QTableWidget* identifyTable() const { return identify_; }
    [[nodiscard]] const core::Report* report() const { return report_ ? &*report_ : nullptr; }

  private:
    void buildUi();  ///< main_window_ui.cpp, with its parts:
    void buildDocks();
    void buildStatusBar();
    void buildMenus();
    void buildToolBar();
    void connectPanels();
    void showError(const QString& message);
    void applyLayerOptions();
    /// The diff's and the find's overlays onto the canvas (it forgets them on a new map).
    void applyOverlays();
    void chooseDiff();  ///< asks for the layer and the two days
    void showReport(core::Report report, bool drawSites = true);
    void selectCandidate(int index);  ///< its check in the compliance panel, zoomed to
    void run(const QString& what, std::function<void()> work, std::function<void()> done);

    MapCanvas* canvas_;
    LayerPanel* layers_;
    CheckPanel* check_;
    FindPanel* find_;
    QTableWidget* identify_;
    QLabel* coords_;
    QLabel* scale_;
    QLabel* measure_;
    QProgressBar* progress_;
    QDateEdit* asOfEdit_;
    QString planPath_;
    QString asOf_;  ///< "" = today
    std::shared_ptr<const core::OneMap> map_;
    std::optional<core::Report> report_;
    std::optional<core::LayerDiff> diff_;
    std::optional<core::FindResult> found_;
    QFutureWatcher<void> watcher_;
    std::function<void()> onDone_;
    QString pendingError_;
    QString lastError_;
    bool interactive_ = true;
};

}  // namespace onemap::viewer
