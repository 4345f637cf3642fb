#include "date_field.hpp"

#include <QCalendarWidget>
#include <QHBoxLayout>
#include <QMenu>
#include <QRegularExpressionValidator>
#include <QWidgetAction>

namespace onemap::viewer {

DateField::DateField(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    edit_ = new QLineEdit(this);
    edit_->setPlaceholderText(QStringLiteral("YYYY-MM-DD"));
    // Digits and dashes as a day is typed; whether it is a real day is checked on entry.
    edit_->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral(R"(\d{0,4}(-\d{0,2}(-\d{0,2})?)?)")), edit_));
    edit_->setMaxLength(10);
    // Wide enough for a day, no wider: in a toolbar it would take the whole row.
    edit_->setFixedWidth(edit_->fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00")) + 16);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    layout->addWidget(edit_);
    calendar_ = new QToolButton(this);
    calendar_->setText(QStringLiteral("▾"));
    calendar_->setToolTip(QStringLiteral("日历 Calendar"));
    calendar_->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(calendar_);
    auto* picker = new QCalendarWidget(menu);
    auto* action = new QWidgetAction(menu);
    action->setDefaultWidget(picker);
    menu->addAction(action);
    calendar_->setMenu(menu);
    layout->addWidget(calendar_);
    connect(menu, &QMenu::aboutToShow, this, [this, picker] {
        const QDate d = QDate::fromString(date(), Qt::ISODate);
        if (d.isValid()) picker->setSelectedDate(d);
    });
    connect(picker, &QCalendarWidget::clicked, this, [this, menu](QDate d) {
        menu->close();
        edit_->setText(d.toString(Qt::ISODate));
        enter();
    });
    connect(edit_, &QLineEdit::editingFinished, this, &DateField::enter);
}

void DateField::setDate(const QString& isoDate) {
    last_ = isoDate;
    edit_->setText(isoDate);
}

void DateField::enter() {
    if (date() == last_) return;
    last_ = date();
    emit dateEntered(last_);
}

}  // namespace onemap::viewer
