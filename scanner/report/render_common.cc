// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/render_common.h"

#include <algorithm>

#include "scanner/core/json_text.h"

namespace imageprobe::report {

std::string SeverityLabel(Severity severity) {
  std::string out(SeverityName(severity));
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<const Finding*> ActiveFindings(const RootReport& root) {
  std::vector<const Finding*> out;
  for (const Finding& f : root.findings) {
    if (!f.suppressed) out.push_back(&f);
  }
  // Stable: the canonical order (rule id, path, user, identity) stays within a severity.
  std::ranges::stable_sort(
      out, [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
  return out;
}

std::vector<const Finding*> SuppressedFindings(const RootReport& root) {
  std::vector<const Finding*> out;
  for (const Finding& f : root.findings) {
    if (f.suppressed) out.push_back(&f);
  }
  return out;
}

std::string LocationText(const Finding& f) {
  if (f.path.empty()) return {};
  return f.line ? f.path + ":" + std::to_string(*f.line) : f.path;
}

std::string OsText(const OsInfo& os) {
  if (!os.detected) return "OS not detected";
  std::string label = !os.pretty_name.empty() ? os.pretty_name : os.name + " " + os.version_id;
  std::string details = os.id + (os.version_id.empty() ? "" : " " + os.version_id);
  if (!os.arch.empty()) details += ", " + os.arch;
  return label + " (" + details + ")";
}

std::string FieldText(const nlohmann::json& data, const std::string& field) {
  if (!data.is_object() || !data.contains(field)) return "(unset)";
  const nlohmann::json& v = data[field];
  if (v.is_string()) return v.get<std::string>();
  return JsonText(v);
}

}  // namespace imageprobe::report
