#include "check_panel.hpp"

#include <QHeaderView>
#include <QVBoxLayout>

#include "onemap/core/check/coverage_words.hpp"
#include "onemap/core/check/number_format.hpp"
#include "onemap/render/style.hpp"

namespace onemap::viewer {

CheckPanel::CheckPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    summary_ = new QLabel(
        QStringLiteral("打开或绘制项目选址后进行合规审查 — open or draw sites to check them"),
        this);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    sites_ = new QListWidget(this);
    layout->addWidget(sites_, 1);
    rules_ = new QTableWidget(0, 3, this);
    rules_->setHorizontalHeaderLabels(
        {QStringLiteral("规则 Rule"), QStringLiteral("结论"), QStringLiteral("量测 Measure")});
    rules_->horizontalHeader()->setStretchLastSection(true);
    rules_->verticalHeader()->setVisible(false);
    rules_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    rules_->setWordWrap(true);
    rules_->setColumnWidth(0, 150);
    rules_->setColumnWidth(1, 50);
    layout->addWidget(rules_, 2);
    connect(sites_, &QListWidget::currentRowChanged, this, [this](int row) {
        showRules(row);
        emit siteSelected(row);
    });
}

void CheckPanel::setReport(const core::Report* report) {
    report_ = report;
    const QSignalBlocker block(sites_);
    sites_->clear();
    rules_->setRowCount(0);
    if (!report) return;
    QString summary = QString("%1 个项目: %2 合规 pass, %3 警示 warn, ")
                          .arg(report->sites.size())
                          .arg(report->countWhole(core::Verdict::Pass))
                          .arg(report->countWhole(core::Verdict::Warn));
    if (const auto n = report->countPartial())
        summary +=
            QString("%1 %2, ").arg(n).arg(QString::fromUtf8(core::CoverageCaptions::partial));
    summary += QString("%1 不合规 fail").arg(report->count(core::Verdict::Fail));
    if (!report->asOf.empty())
        summary += QStringLiteral(" · ") + QString::fromStdString(core::asOfLine(report->asOf));
    summary_->setText(summary);
    for (const auto& s : report->sites) {
        auto* item = new QListWidgetItem(
            QString::fromStdString(s.id + "  " + s.name + "  [" + core::verdictText(s) + "]"));
        item->setForeground(render::verdictColour(s.verdict()));
        sites_->addItem(item);
    }
}

void CheckPanel::selectSite(int index) { sites_->setCurrentRow(index); }

void CheckPanel::showRules(int index) {
    rules_->setRowCount(0);
    if (!report_ || index < 0 || index >= static_cast<int>(report_->sites.size())) return;
    const auto& site = report_->sites[static_cast<std::size_t>(index)];
    rules_->setRowCount(static_cast<int>(site.rules.size()) + 2);
    auto set = [&](int row, int col, const std::string& text, QColor colour = Qt::black) {
        auto* item = new QTableWidgetItem(QString::fromStdString(text));
        item->setForeground(colour);
        rules_->setItem(row, col, item);
    };
    std::string cities;
    for (const auto& a : site.admin) cities += (cities.empty() ? "" : " / ") + a.name;
    set(0, 0, "面积 Area");
    set(0, 2, core::describeArea(site.areaM2));
    set(1, 0, "城市 City");
    set(1, 2, cities + (site.crossBoundary() ? "  (跨界 cross-boundary)" : ""));
    for (std::size_t i = 0; i < site.rules.size(); ++i) {
        const auto& r = site.rules[i];
        const int row = static_cast<int>(i) + 2;
        set(row, 0, r.title);
        set(row, 1, core::ruleVerdictText(r), render::verdictColour(r.verdict()));
        set(row, 2, r.checked() ? r.summary : r.notChecked);
        // Every measure the rule declared, captioned, for whoever wants the figures.
        std::string tip;
        for (const auto& m : r.measures)
            tip += (tip.empty() ? "" : "\n") + m.label + ": " + m.display();
        rules_->item(row, 2)->setToolTip(QString::fromStdString(tip));
    }
    rules_->resizeRowsToContents();
}

}  // namespace onemap::viewer
