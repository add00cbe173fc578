// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/renderers.h"

#include <array>

#include "probes/all_probes.h"
#include "scanner/cli/rules_command.h"
#include "scanner/report/diff_html.h"
#include "scanner/report/diff_json.h"
#include "scanner/report/diff_markdown.h"
#include "scanner/report/diff_text.h"
#include "scanner/report/html_renderer.h"
#include "scanner/report/json_renderer.h"
#include "scanner/report/markdown_renderer.h"
#include "scanner/report/sarif_renderer.h"
#include "scanner/report/text_renderer.h"

namespace imageprobe::cli {

namespace {

// scan. With no report at all (every input failed) only SARIF still writes a document: a log
// with no run says to a dashboard that nothing was scanned.

void ScanText(const ScanResults& results, const RenderSettings& settings, std::ostream& out) {
  for (size_t i = 0; i < results.reports.size(); ++i) {
    if (i > 0) out << '\n';
    report::RenderText(results.reports[i], out, {.color = settings.color});
  }
}

void ScanJson(const ScanResults& results, const RenderSettings&, std::ostream& out) {
  if (results.reports.size() == 1 && results.single_input) {
    report::RenderJson(results.reports[0], out);
  } else if (!results.reports.empty()) {
    report::RenderJsonArray(results.reports, out);
  }
}

void ScanSarif(const ScanResults& results, const RenderSettings& settings, std::ostream& out) {
  report::RenderSarif(results.reports, report::AllRules(RuleGroups(settings.probes)), out);
}

void ScanMarkdown(const ScanResults& results, const RenderSettings&, std::ostream& out) {
  if (!results.reports.empty())
    report::RenderMarkdown(results.reports, probes::AllRecordKinds(), out);
}

void ScanHtml(const ScanResults& results, const RenderSettings&, std::ostream& out) {
  if (!results.reports.empty()) report::RenderHtml(results.reports, probes::AllRecordKinds(), out);
}

// diff

void DiffText(const DiffReport& diff, const RenderSettings& settings, std::ostream& out) {
  report::RenderDiffText(diff, out, {.color = settings.color});
}

void DiffJson(const DiffReport& diff, const RenderSettings&, std::ostream& out) {
  report::RenderDiffJson(diff, out);
}

void DiffMarkdown(const DiffReport& diff, const RenderSettings&, std::ostream& out) {
  report::RenderDiffMarkdown(diff, out);
}

void DiffHtml(const DiffReport& diff, const RenderSettings&, std::ostream& out) {
  report::RenderDiffHtml(diff, out);
}

// rules

void RulesText(const RuleCatalogue& groups, const RenderSettings&, std::ostream& out) {
  report::RenderRulesText(groups, out);
}

void RulesJson(const RuleCatalogue& groups, const RenderSettings&, std::ostream& out) {
  report::RenderRulesJson(groups, out);
}

void RulesMarkdown(const RuleCatalogue& groups, const RenderSettings&, std::ostream& out) {
  report::RenderRulesMarkdown(groups, out);
}

void RulesProbeTable(const RuleCatalogue& groups, const RenderSettings&, std::ostream& out) {
  report::RenderProbeTableMarkdown(groups, out);
}

constexpr std::array<Renderer<ScanResults>, 5> kScanRenderers = {{
    {"text", ScanText},
    {"json", ScanJson},
    {"sarif", ScanSarif},
    {"markdown", ScanMarkdown},
    {"html", ScanHtml},
}};

constexpr std::array<Renderer<DiffReport>, 4> kDiffRenderers = {{
    {"text", DiffText},
    {"json", DiffJson},
    {"markdown", DiffMarkdown},
    {"html", DiffHtml},
}};

constexpr std::array<Renderer<RuleCatalogue>, 4> kRulesRenderers = {{
    {"text", RulesText},
    {"json", RulesJson},
    {"markdown", RulesMarkdown},
    {"probe-table", RulesProbeTable},
}};

}  // namespace

std::span<const Renderer<ScanResults>> ScanRenderers() { return kScanRenderers; }
std::span<const Renderer<DiffReport>> DiffRenderers() { return kDiffRenderers; }
std::span<const Renderer<RuleCatalogue>> RulesRenderers() { return kRulesRenderers; }

}  // namespace imageprobe::cli
