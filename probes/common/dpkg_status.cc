// SPDX-License-Identifier: Apache-2.0
// References: deb-control(5), dpkg(1) (status file and the want/eflag/status triple in the
// Status field).
#include "probes/common/dpkg_status.h"

#include "scanner/parse/text.h"

namespace imageprobe::probes {

bool DpkgPackage::installed() const {
  auto words = parse::SplitWhitespace(status);
  return !words.empty() && words.back() == "installed";
}

std::vector<DpkgPackage> ParseDpkgStatus(std::string_view text) {
  std::vector<DpkgPackage> packages;
  DpkgPackage current;
  auto flush = [&] {
    if (!current.name.empty()) packages.push_back(std::move(current));
    current = DpkgPackage{};
  };
  parse::ForEachLine(text, [&](std::string_view line, uint32_t number) {
    if (parse::TrimWhitespace(line).empty()) {
      flush();
      return;
    }
    if (line[0] == ' ' || line[0] == '\t') return;  // continuation of a long field
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    std::string_view field = line.substr(0, colon);
    std::string value(parse::TrimWhitespace(line.substr(colon + 1)));
    if (parse::EqualsIgnoreCase(field, "Package")) {
      current.name = value;
      current.line = number;
    } else if (parse::EqualsIgnoreCase(field, "Version")) {
      current.version = value;
    } else if (parse::EqualsIgnoreCase(field, "Status")) {
      current.status = value;
    }
  });
  flush();
  return packages;
}

std::optional<std::string> InstalledDpkgVersion(std::string_view text, std::string_view package) {
  for (const auto& p : ParseDpkgStatus(text)) {
    if (p.name == package && p.installed()) return p.version;
  }
  return std::nullopt;
}

}  // namespace imageprobe::probes
