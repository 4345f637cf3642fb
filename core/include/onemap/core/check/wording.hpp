#pragma once
// Text a planner reads, held in both languages at once: a Wording is built once (by a rule, a
// measure, a writer) and each output picks its language (--lang zh|en). The words themselves
// live in one table, check/phrases.hpp. Plain values, no state: any thread.
#include <initializer_list>
#include <string>
#include <string_view>

#include "onemap/core/plan/plan.hpp"  // Lang

namespace onemap::core {

/// One text in Chinese and in English.
struct Wording {
    std::string zh;
    std::string en;

    Wording() = default;
    Wording(std::string zhText, std::string enText)
        : zh(std::move(zhText)), en(std::move(enText)) {}
    /// Text the same in both languages: ids, numbers, units.
    static Wording same(std::string text) { return {text, text}; }

    [[nodiscard]] const std::string& in(Lang lang) const { return lang == Lang::Zh ? zh : en; }
    [[nodiscard]] bool empty() const { return zh.empty() && en.empty(); }
    /// Both, for outputs read in either language (JSON): "中文 / English", once if the same.
    [[nodiscard]] std::string both() const { return zh == en ? zh : zh + " / " + en; }
    Wording& operator+=(const Wording& more);
    Wording& operator+=(std::string_view same);
};

[[nodiscard]] Wording operator+(Wording a, const Wording& b);
[[nodiscard]] Wording operator+(Wording a, std::string_view same);

/// A phrase with its blanks filled: "{0}" … "{9}" in `pattern` are replaced by args in the
/// same language. Used for every sentence of a report so that word order may differ.
[[nodiscard]] Wording fill(const Wording& pattern, std::initializer_list<Wording> args);

}  // namespace onemap::core
