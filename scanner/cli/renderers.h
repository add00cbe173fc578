// SPDX-License-Identifier: Apache-2.0
// Which renderer writes which --format, for every command that renders: one table per command
// (scan, diff, rules), each row a format name and the function that writes it. The tables are
// the only place a format name meets a renderer: --format's allowed values (and so --help, the
// man pages and the shell completion) are read from them, and the commands look their format
// up here instead of testing names themselves.
//
// To add a format: write the renderer in scanner/report/, add a row to the command's table in
// renderers.cc, and name it in the command's --format help text.
#pragma once

#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/core/diff.h"
#include "scanner/core/probe.h"
#include "scanner/core/report.h"
#include "scanner/report/rules_renderer.h"

namespace imageprobe::cli {

// What a renderer may need besides the data it renders.
struct RenderSettings {
  bool color = false;                    // text: ANSI colours (see UseColor, output.h)
  std::span<const Probe* const> probes;  // sarif: the rule registry its driver lists
};

// One format of one command: its --format name and the function that renders it.
template <class Data>
struct Renderer {
  std::string_view format;
  void (*render)(const Data& data, const RenderSettings& settings, std::ostream& out);
};

// What `scan` renders: the reports of the inputs that could be read, in command-line order.
struct ScanResults {
  std::span<const Report> reports;
  // One input on the command line: json writes that report as one object, not an array.
  bool single_input = false;
};

// What `rules` renders: one group per probe (and per gate source), in registry order.
using RuleCatalogue = std::span<const report::RuleGroup>;

// The first row of each table is text, the default --format.
std::span<const Renderer<ScanResults>> ScanRenderers();
std::span<const Renderer<DiffReport>> DiffRenderers();
std::span<const Renderer<RuleCatalogue>> RulesRenderers();

// The table's format names, in table order (for CLI::IsMember).
template <class Data>
std::vector<std::string> FormatNames(std::span<const Renderer<Data>> table) {
  std::vector<std::string> names;
  for (const Renderer<Data>& r : table) names.emplace_back(r.format);
  return names;
}

// `data` rendered in `format`; a name the table lacks (--format's check refuses those) gets
// the first row.
template <class Data>
std::string Render(std::span<const Renderer<Data>> table, std::string_view format, const Data& data,
                   const RenderSettings& settings) {
  const Renderer<Data>* chosen = &table.front();
  for (const Renderer<Data>& r : table) {
    if (r.format == format) chosen = &r;
  }
  std::ostringstream rendered;
  chosen->render(data, settings, rendered);
  return std::move(rendered).str();
}

}  // namespace imageprobe::cli
