#include "onemap/core/bureau/audit_record.hpp"

#include <cctype>

#include "onemap/gis/base/atomic_file.hpp"
#include "onemap/gis/base/error.hpp"

namespace onemap::core::bureau {
namespace {

void appendLength(std::string& out, std::uint64_t n) {
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((n >> shift) & 0xff));
}

void appendField(std::string& out, const std::string& field) {
    appendLength(out, field.size());
    out += field;
}

bool isHex64(const std::string& text) {
    if (text.size() != 64) return false;
    for (unsigned char c : text)
        if (!std::isxdigit(c)) return false;
    return true;
}

}  // namespace

const std::string kGenesisHash(64, '0');

std::string canonicalAuditBytes(const AuditRecord& record) {
    std::string out = "onemap-audit-v1";
    appendLength(out, 8);
    appendLength(out, static_cast<std::uint64_t>(record.seq));
    for (const std::string* field :
         {&record.time, &record.entry.actor, &record.entry.action, &record.entry.subject,
          &record.entry.detail, &record.entry.inputsSha256, &record.entry.answerSha256,
          &record.previousHash})
        appendField(out, *field);
    return out;
}

std::string auditRecordHash(const AuditRecord& record) {
    return gis::sha256(canonicalAuditBytes(record));
}

std::string AuditHead::text() const { return std::to_string(seq) + ":" + hash; }

AuditHead AuditHead::parse(const std::string& text) {
    const auto colon = text.find(':');
    const std::string seq = text.substr(0, colon);
    const bool digits = !seq.empty() && seq.size() <= 18 &&
                        seq.find_first_not_of("0123456789") == std::string::npos;
    if (colon == std::string::npos || !digits || !isHex64(text.substr(colon + 1)))
        throw InputError("--expect-head " + text +
                         ": write SEQ:HASH as `onemap audit verify` prints it (a number, a "
                         "colon, 64 hex digits)");
    AuditHead head;
    head.seq = std::stoll(seq);
    head.hash = text.substr(colon + 1);
    for (auto& c : head.hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return head;
}

bool auditMatches(const AuditRecord& record, const AuditFilter& filter) {
    const AuditEntry& e = record.entry;
    if (!filter.actor.empty() && e.actor != filter.actor) return false;
    if (!filter.action.empty() && e.action != filter.action &&
        e.action.rfind(filter.action + ".", 0) != 0)
        return false;
    if (!filter.since.empty() && record.time < filter.since) return false;
    if (!filter.until.empty() && record.time >= filter.until) return false;
    if (filter.beforeSeq > 0 && record.seq >= filter.beforeSeq) return false;
    return true;
}

}  // namespace onemap::core::bureau
