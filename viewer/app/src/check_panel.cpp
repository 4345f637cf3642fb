#include "check_panel.hpp"

#include <QHeaderView>
#include <QVBoxLayout>

#include "onemap/core/check/number_format.hpp"
#include "onemap/core/check/phrases.hpp"
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
    const core::Lang lang = report->lang;
    const auto n = [](std::size_t v) { return core::Wording::same(std::to_string(v)); };
    summary_->setText(QString::fromStdString(
        core::fill(core::phrase::sitesCount,
                   {n(report->sites.size()), n(report->count(core::Verdict::Pass)),
                    n(report->count(core::Verdict::Warn)), n(report->count(core::Verdict::Fail))})
            .in(lang)));
    for (const auto& s : report->sites) {
        auto* item = new QListWidgetItem(QString::fromStdString(
            s.id + "  " + s.name + "  [" + core::verdictWording(s.verdict()).in(lang) + "]"));
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
    const core::Lang lang = report_->lang;
    namespace phrase = core::phrase;
    set(0, 0, phrase::capArea.in(lang));
    set(0, 2, core::areaWording(site.areaM2).in(lang));
    set(1, 0, phrase::capCity.in(lang));
    set(1, 2, cities + (site.crossBoundary() ? "  " + phrase::crossBoundary.in(lang) : ""));
    for (std::size_t i = 0; i < site.rules.size(); ++i) {
        const auto& r = site.rules[i];
        const int row = static_cast<int>(i) + 2;
        set(row, 0, r.title);
        set(row, 1, core::verdictWording(r.verdict()).in(lang), render::verdictColour(r.verdict()));
        set(row, 2, r.summary.in(lang));
        // Every measure the rule declared, captioned, for whoever wants the figures.
        std::string tip;
        for (const auto& m : r.measures)
            tip += (tip.empty() ? "" : "\n") + m.label.in(lang) + ": " + m.display().in(lang);
        rules_->item(row, 2)->setToolTip(QString::fromStdString(tip));
    }
    rules_->resizeRowsToContents();
}

}  // namespace onemap::viewer
