#pragma once
// The compliance panel: sites with their verdicts; the selected site's rules with
// verdicts and measures (m², 亩, ha, metres, indicator values). Two lists behind tabs, each
// with its own report: the checked sites (a file, a drawn site) and the candidates of a find;
// neither replaces the other. The header always describes the list shown. GUI thread only;
// the reports are the main window's.
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QTabBar>
#include <QTableWidget>
#include <QWidget>
#include <array>
#include <vector>

#include "onemap/core/check/report.hpp"

namespace onemap::viewer {

class CheckPanel : public QWidget {
    Q_OBJECT
  public:
    enum class Results { Sites = 0, Candidates = 1 };

    explicit CheckPanel(QWidget* parent = nullptr);
    /// The checked sites' report (null clears them; `why` then says what the header shows).
    void setReport(const core::Report* report, const QString& why = {});
    void setReport(Results which, const core::Report* report, const QString& why = {});
    /// Which list is shown (the tab).
    void showResults(Results which);
    [[nodiscard]] Results shown() const;
    [[nodiscard]] const core::Report* report() const;  ///< the shown list's, or null
    [[nodiscard]] const core::Report* report(Results which) const;
    void selectSite(int index);
    /// The rows selected in the shown list (Ctrl/Shift-click selects several), ascending.
    [[nodiscard]] std::vector<int> selectedSites() const;
    [[nodiscard]] QListWidget* siteList() const { return sites_; }
    [[nodiscard]] QTableWidget* ruleTable() const { return rules_; }
    [[nodiscard]] QSplitter* splitter() const { return splitter_; }
    [[nodiscard]] QTabBar* tabs() const { return tabs_; }
    [[nodiscard]] QString summary() const { return summary_->text(); }

  signals:
    void siteSelected(int index);
    void resultsShown(onemap::viewer::CheckPanel::Results which);

  private:
    void fill();  ///< the list and header from the shown report
    void showRules(int index);
    std::array<const core::Report*, 2> reports_{};
    std::array<QString, 2> why_;
    QTabBar* tabs_;
    QLabel* summary_;
    QSplitter* splitter_;
    QListWidget* sites_;
    QTableWidget* rules_;
};

}  // namespace onemap::viewer
