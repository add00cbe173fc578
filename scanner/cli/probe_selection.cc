// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/probe_selection.h"

#include <algorithm>

namespace imageprobe::cli {

namespace {

std::string ProbeNames(std::span<const Probe* const> probes) {
  std::string names;
  for (const Probe* p : probes) names += (names.empty() ? "" : ", ") + std::string(p->name());
  return names;
}

}  // namespace

// The os probe always runs: every other probe reads the OS it found (Target::os), so leaving
// it out would make their results wrong, not smaller. So does files.config: it inventories the
// config files the selected probes read.
std::optional<std::vector<const Probe*>> SelectProbes(std::span<const std::string> names,
                                                      const CliEnvironment& env) {
  for (const std::string& name : names) {
    bool known = std::ranges::any_of(env.probes, [&](const Probe* p) { return p->name() == name; });
    if (!known) {
      env.err << "imageprobe: unknown probe \"" << EscapeForTerminal(name)
              << "\"; valid probes: " << ProbeNames(env.probes) << "\n";
      return std::nullopt;
    }
  }
  std::vector<const Probe*> selected;
  for (const Probe* p : env.probes) {
    if (names.empty() || p->name() == "os" || p->name() == "files.config" ||
        std::ranges::find(names, p->name()) != names.end()) {
      selected.push_back(p);
    }
  }
  return selected;
}

}  // namespace imageprobe::cli
