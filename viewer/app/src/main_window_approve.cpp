// 批准入库: the checked sites appended to the register of approved projects, as
// `onemap check --approve` does it — under the register's lock, checked again against the plan
// in force on the approval day, refused all or nothing (core/time/approval_register).
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStatusBar>
#include <filesystem>
#include <set>

#include "main_window.hpp"
#include "onemap/gis/base/calendar.hpp"

namespace onemap::viewer {
namespace {

bool sameFile(const std::string& a, const std::string& b) {
    std::error_code ec;
    return std::filesystem::weakly_canonical(a, ec) == std::filesystem::weakly_canonical(b, ec);
}

// The approval's words, in one place for the phrase table.
QString notApproved(const QString& path) {
    return QStringLiteral("未批准 not approved, nothing added to ") + path + QStringLiteral(": ");
}

}  // namespace

QString MainWindow::planRegister() const {
    if (!map_) return {};
    for (const auto& l : map_->plan().declaredLayers())
        if (!l.dateField.empty() && l.table == core::ApprovalRegister::kLayer &&
            std::filesystem::path(l.source).extension() == ".gpkg")
            return QString::fromStdString(l.source);
    return {};
}

void MainWindow::approveSites(const std::vector<int>& rows, const QString& registerPath,
                              const core::Approval& approval) {
    if (!map_) return showError(QStringLiteral("no plan loaded"));
    if (!sites_ || sites_->sitesPath.empty())
        return showError(QStringLiteral(
            "approve: check a sites file first (a drawn site has no file to approve)"));
    std::set<std::string> ids;
    for (const int row : rows)
        if (row >= 0 && row < static_cast<int>(sites_->sites.size()))
            ids.insert(sites_->sites[static_cast<std::size_t>(row)].id);
    if (ids.empty()) return showError(QStringLiteral("approve: select the sites to approve"));
    const std::string reg = registerPath.toStdString();
    if (std::filesystem::path(reg).extension() != ".gpkg")
        return showError(registerPath + QStringLiteral(": the register is a GeoPackage (.gpkg)"));
    if (!core::isIsoDate(approval.date))
        return showError(QStringLiteral("approval date: '") +
                         QString::fromStdString(approval.date) +
                         QStringLiteral("' is not a date; write YYYY-MM-DD"));
    const std::string planPath = planPath_.toStdString();
    const std::string sitesPath = sites_->sitesPath;
    for (const auto& p : {planPath, sitesPath})
        if (sameFile(reg, p))
            return showError(registerPath + QStringLiteral(" is also ") +
                             QString::fromStdString(p) +
                             QStringLiteral("; the register must be a file of its own"));
    auto refused = std::make_shared<std::vector<std::string>>();
    auto approved = std::make_shared<std::size_t>(0);
    run(
        QStringLiteral("approving"),
        [reg, planPath, sitesPath, ids, approval, refused, approved] {
            // From reading the register to appending to it, as the CLI holds it.
            const core::ApprovalRegister::Lock lock(reg);
            const core::Plan plan =
                core::Plan::load(planPath).inForceOn(approval.date, "approval date");
            const auto map = core::OneMap::load(plan);
            core::SiteSet sites = core::SiteSet::load(sitesPath, plan.crs);
            std::erase_if(sites.sites, [&](const core::Site& s) { return !ids.count(s.id); });
            const core::Report report = core::ComplianceEngine(map).run(sites);
            *refused = core::ApprovalRegister::refusals(report);
            if (!refused->empty()) return;
            core::ApprovalRegister::append(reg, report, sites, approval, plan.crs, plan.asOf);
            *approved = report.sites.size();
        },
        [this, refused, approved, registerPath, approval] {
            if (!refused->empty()) {
                QString why;
                for (const auto& r : *refused)
                    why += QStringLiteral("\n") + QString::fromStdString(r);
                return showError(notApproved(registerPath) + why.mid(1));
            }
            statusBar()->showMessage(QString("批准入库 approved %1 site(s) on %2 into %3")
                                         .arg(*approved)
                                         .arg(QString::fromStdString(approval.date))
                                         .arg(registerPath));
            openPlan(planPath_);  // the register's new records on the map, the sites re-checked
        });
}

void MainWindow::chooseApproval() {
    if (!sites_) return showError(QStringLiteral("approve: check a sites file first"));
    auto rows = check_->selectedSites();
    if (check_->shown() != CheckPanel::Results::Sites || rows.empty())
        return showError(
            QStringLiteral("approve: select the checked sites to approve (Ctrl/Shift-click)"));
    QDialog dialog(this);
    dialog.setWindowTitle(QStringLiteral("批准入库 Approve"));
    auto* form = new QFormLayout(&dialog);
    QString names;
    for (const int r : rows)
        names += QString::fromStdString(sites_->sites[static_cast<std::size_t>(r)].id) + ' ';
    auto* list = new QLabel(names.trimmed(), &dialog);
    list->setWordWrap(true);
    form->addRow(QStringLiteral("选址 Sites"), list);
    auto* reg = new QLineEdit(planRegister(), &dialog);
    form->addRow(QStringLiteral("登记册 Register"), reg);
    auto* date = new DateField(&dialog);
    date->setDate(QString::fromStdString(gis::todayIso()));
    form->addRow(QStringLiteral("批准日期 Date"), date);
    auto* doc = new QLineEdit(&dialog);
    doc->setPlaceholderText(QStringLiteral("批复文号 e.g. 浙政土〔2026〕12号"));
    form->addRow(QStringLiteral("批复文号 Document"), doc);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted) return;
    approveSites(rows, reg->text().trimmed(),
                 {date->date().toStdString(), doc->text().trimmed().toStdString()});
}

}  // namespace onemap::viewer
