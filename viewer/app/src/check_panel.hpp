#pragma once
// The compliance panel: sites with their verdicts; the selected site's rules with
// verdicts and measures (m², 亩, ha, metres, indicator values).
#include <QLabel>
#include <QListWidget>
#include <QTableWidget>
#include <QWidget>

#include "onemap/core/check/report.hpp"

namespace onemap::viewer {

class CheckPanel : public QWidget {
    Q_OBJECT
  public:
    explicit CheckPanel(QWidget* parent = nullptr);
    void setReport(const core::Report* report);
    void selectSite(int index);
    [[nodiscard]] QListWidget* siteList() const { return sites_; }
    [[nodiscard]] QTableWidget* ruleTable() const { return rules_; }
    [[nodiscard]] QString summary() const { return summary_->text(); }

  signals:
    void siteSelected(int index);

  private:
    void showRules(int index);
    const core::Report* report_ = nullptr;
    QLabel* summary_;
    QListWidget* sites_;
    QTableWidget* rules_;
};

}  // namespace onemap::viewer
