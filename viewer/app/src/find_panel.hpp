#pragma once
// 找地 Find land: the project brief as a form (area, industry, cities, count, shape, the site
// fields the plan's attribute rules read, ranking weights) and the candidates a find gave,
// with their score terms, the free land and why there are not more.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>
#include <QTableWidget>
#include <QWidget>
#include <string>
#include <utility>
#include <vector>

#include "onemap/core/check/one_map.hpp"
#include "onemap/core/find/site_finder.hpp"

namespace onemap::viewer {

class FindPanel : public QWidget {
    Q_OBJECT
  public:
    explicit FindPanel(QWidget* parent = nullptr);
    /// Fills the choices from the plan: industries (the values of the field the `match` rule
    /// names), cities (the admin layer's labels) and the attribute rules' site fields.
    void setMap(const core::OneMap& map);
    /// The brief as the form gives it (not validated: the find says what is wrong).
    [[nodiscard]] core::ProjectBrief brief() const;
    void setBrief(const core::ProjectBrief& brief);  ///< shows a loaded or run brief
    void setResult(const core::FindResult* result);  ///< null clears
    void selectCandidate(int index);

    [[nodiscard]] QTableWidget* candidateTable() const { return candidates_; }
    [[nodiscard]] QTableWidget* termTable() const { return terms_; }
    [[nodiscard]] QComboBox* industryBox() const { return industry_; }
    [[nodiscard]] QListWidget* cityList() const { return cities_; }
    [[nodiscard]] QString summary() const { return summary_->text(); }

  signals:
    void findRequested();
    void loadBriefRequested();
    void exportRequested();
    void candidateSelected(int index);

  private:
    QWidget* buildForm();
    void showTerms(int row);

    const core::FindResult* result_ = nullptr;
    std::string name_, path_;  ///< of the brief last shown (a loaded file stays an input)
    QDoubleSpinBox* area_;
    QComboBox* areaUnit_;
    QComboBox* industry_;
    QListWidget* cities_;
    QSpinBox* count_;
    QDoubleSpinBox* maxAspect_;
    QDoubleSpinBox* minWidth_;
    QFormLayout* attributeForm_;
    std::vector<std::pair<std::string, QLineEdit*>> attributes_;
    std::vector<std::pair<std::string, QDoubleSpinBox*>> weights_;
    QLabel* summary_;
    QTableWidget* candidates_;
    QTableWidget* terms_;
};

}  // namespace onemap::viewer
