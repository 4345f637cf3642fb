#pragma once
// The one map desktop viewer: canvas, layer tree, identify and compliance panels.
// Loading and checking run off the GUI thread with progress; errors are shown in a
// dialog with the same message the CLI prints.
#include <QFutureWatcher>
#include <QLabel>
#include <QMainWindow>
#include <QProgressBar>
#include <QTableWidget>
#include <memory>
#include <optional>
#include <vector>

#include "check_panel.hpp"
#include "date_field.hpp"
#include "find_panel.hpp"
#include "layer_panel.hpp"
#include "map_canvas.hpp"
#include "onemap/core/check/compliance_engine.hpp"
#include "onemap/core/find/site_finder.hpp"
#include "onemap/core/time/approval_register.hpp"
#include "onemap/core/time/layer_diff.hpp"

namespace onemap::viewer {

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openPlan(const QString& path);  ///< in the background
    /// Takes every layer in its version in force on `isoDate` (YYYY-MM-DD; "" = today) and
    /// reloads the open plan in the background, keeping the view; the checked sites are checked
    /// again on that day, the candidates of a find are dropped (found on another day's map).
    /// The toolbar's date control.
    void setAsOf(const QString& isoDate);
    /// Diff mode: land gained (green) and lost (red) in layer `layerId` between two days, over
    /// the one map as it stands on `to` (in the background). An empty id leaves diff mode and
    /// restores what it changed: the day, the view, the status line and the selection.
    void showDiff(const QString& layerId, const QString& from, const QString& to);
    [[nodiscard]] const std::optional<core::LayerDiff>& diff() const { return diff_; }
    /// In the background, into the checked sites' list (the candidates' stay).
    void checkSitesFile(const QString& path);
    void checkDrawnSite(const gis::Geometry& polygon);  ///< the spatial rules only
    /// Identify: the heat map's value there (when one is drawn), then the topmost feature.
    void identifyAt(double x, double y, double tolerance);
    /// One of the plan's [[heatmaps]] drawn under the layers, computed in the background
    /// (main_window_heat.cpp), at its declared opacity; "" = none. Kept across days: a reload
    /// recomputes it (at the slider's opacity); on a day it cannot be drawn (no point in force)
    /// the map loads without it and says why. Refused while another task runs.
    void showHeatmap(const QString& id);
    [[nodiscard]] const render::HeatLayer* heat() const { return heat_.get(); }
    // The exports (main_window_exports.cpp) take the list shown in the compliance panel.
    void exportView(const QString& path);       ///< PNG/PDF, the render layout
    void exportResults(const QString& path);    ///< JSON/CSV
    void exportConflicts(const QString& path);  ///< GeoPackage/Shapefile
    /// 导出报告: the document `onemap check -o r.pdf|r.html` writes for the checked sites (for
    /// the candidates: the one `onemap find -o` writes), by the path's extension.
    void exportReport(const QString& path);
    /// 批准入库 (main_window_approve.cpp), as `onemap check --approve`: the sites at `rows` of
    /// the checked sites' list, checked again under the register's lock against the plan in
    /// force on the approval day, appended all or none; refusals (a failing site, an overlap
    /// in the batch, an overdrawn quota) are shown and nothing is written. In the background.
    void approveSites(const std::vector<int>& rows, const QString& registerPath,
                      const core::Approval& approval);
    /// The register the plan reads (its dated GeoPackage layer `register`), or "".
    [[nodiscard]] QString planRegister() const;
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
    void clearLastError() { lastError_.clear(); }

    [[nodiscard]] MapCanvas* canvas() const { return canvas_; }
    [[nodiscard]] LayerPanel* layerPanel() const { return layers_; }
    [[nodiscard]] CheckPanel* checkPanel() const { return check_; }
    [[nodiscard]] FindPanel* findPanel() const { return find_; }
    [[nodiscard]] QTableWidget* identifyTable() const { return identify_; }
    /// The report of the list the compliance panel shows (checked sites or candidates).
    [[nodiscard]] const core::Report* report() const { return check_->report(); }
    [[nodiscard]] DateField* asOfField() const { return asOfEdit_; }

  private:
    void buildUi();  ///< main_window_ui.cpp, with its parts:
    void buildDocks();
    void buildStatusBar();
    void buildMenus();
    void buildToolBar();
    void connectPanels();
    void showError(const QString& message);
    void applyLayerOptions();
    void applyHeat();  ///< heat_ onto the canvas and the legend
    void setHeatOpacity(double opacity);
    /// The heat map `id` of `plan` computed (any thread). InputError: the plan has none so
    /// named (or it is left out that day), or it cannot be computed.
    static std::shared_ptr<render::HeatLayer> computeHeat(const core::Plan& plan,
                                                          const std::string& id);
    /// The diff's and the find's overlays onto the canvas (it forgets them on a new map).
    void applyOverlays();
    void chooseDiff();                    ///< asks for the layer and the two days
    void chooseApproval();                ///< asks for the approval's document and day
    void showSites(core::Report report);  ///< the checked sites, listed and drawn
    void recheckSites();                  ///< the last check again, on the map now loaded
    void selectCandidate(int index);      ///< its check in the compliance panel, zoomed to
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
    DateField* asOfEdit_;
    QString planPath_;
    QString asOf_;  ///< "" = today
    std::shared_ptr<const core::OneMap> map_;
    std::optional<core::Report> sites_;       ///< the checked sites' report
    std::optional<core::Report> candidates_;  ///< the candidates' checks, as one report
    /// What was last checked, to check again on another day: a sites file or a drawn site.
    QString checkedPath_;
    std::optional<gis::Geometry> checkedDrawing_;
    std::optional<core::LayerDiff> diff_;
    QString asOfBeforeDiff_;        ///< the day shown when diff mode began
    gis::Envelope viewBeforeDiff_;  ///< the view then
    std::optional<core::FindResult> found_;
    std::shared_ptr<render::HeatLayer> heat_;  ///< the heat map drawn, or null
    std::string heatmapId_;                    ///< its id, "" for none
    QFutureWatcher<void> watcher_;
    std::function<void()> onDone_;
    QString pendingError_;
    QString lastError_;
    bool interactive_ = true;
};

}  // namespace onemap::viewer
