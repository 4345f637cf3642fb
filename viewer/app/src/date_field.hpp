#pragma once
// A day typed as YYYY-MM-DD or picked from a calendar: the text typed is the day taken, key for
// key (QDateEdit in Qt 6.4 drops a typed year: 2022-06-01 became 2026-06-01). GUI thread only.
#include <QLineEdit>
#include <QToolButton>
#include <QWidget>

namespace onemap::viewer {

class DateField : public QWidget {
    Q_OBJECT
  public:
    explicit DateField(QWidget* parent = nullptr);
    /// Shows `isoDate` (YYYY-MM-DD) without emitting dateEntered.
    void setDate(const QString& isoDate);
    /// The text as typed (not necessarily a real day: the receiver checks, as the CLI does).
    [[nodiscard]] QString date() const { return edit_->text().trimmed(); }
    [[nodiscard]] QLineEdit* lineEdit() const { return edit_; }

  signals:
    /// Return pressed or focus left with a changed day, or a day picked from the calendar.
    void dateEntered(const QString& isoDate);

  private:
    void enter();
    QLineEdit* edit_;
    QToolButton* calendar_;
    QString last_;  ///< the day last shown or entered
};

}  // namespace onemap::viewer
