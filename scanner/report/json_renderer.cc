// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/json_renderer.h"

#include "scanner/core/json_text.h"
#include "scanner/core/runner.h"
#include "scanner/report/json_model.h"

namespace imageprobe::report {

namespace {

nlohmann::json CanonicalJson(const Report& report) {
  Report copy = report;
  for (auto& root : copy.roots) Canonicalize(root);
  return copy;
}

void Write(const nlohmann::json& j, std::ostream& out) {
  // Strings from an image need not be valid UTF-8; JSON must be. Invalid bytes become U+FFFD
  // instead of aborting the whole report.
  out << JsonText(j, 2) << '\n';
}

}  // namespace

void RenderJson(const Report& report, std::ostream& out) { Write(CanonicalJson(report), out); }

void RenderJsonArray(std::span<const Report> reports, std::ostream& out) {
  nlohmann::json array = nlohmann::json::array();
  for (const Report& r : reports) array.push_back(CanonicalJson(r));
  Write(array, out);
}

}  // namespace imageprobe::report
