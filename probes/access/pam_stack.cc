// SPDX-License-Identifier: Apache-2.0
#include "probes/access/pam_stack.h"

#include "scanner/parse/text.h"

namespace imageprobe::probes::access {

namespace {

constexpr int kMaxIncludeDepth = 8;
constexpr std::string_view kServiceDirs[] = {"/etc/pam.d/", "/usr/lib/pam.d/"};

// Splits one logical line into words; a bracketed control "[a=b c=d]" is one word.
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size()) break;
    size_t start = i;
    if (text[i] == '[') {
      size_t close = text.find(']', i);
      i = close == std::string_view::npos ? text.size() : close + 1;
    } else {
      while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    }
    words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

void Collect(const Filesystem& fs, const ScanLimits& limits, std::string_view service, int depth,
             PamStack& stack, std::string_view only_type) {
  if (depth > kMaxIncludeDepth) {
    stack.diagnostics.push_back({"", std::string(service), "PAM includes nested too deep"});
    return;
  }
  std::string path;
  FsResult<std::string> text = std::unexpected(FsError{FsErrc::kNotFound, "", ""});
  if (!service.empty() && service.front() == '/') {
    path = std::string(service);
    text = fs.ReadFile(path, limits.max_file_bytes);
  } else {
    for (std::string_view dir : kServiceDirs) {
      path = std::string(dir) + std::string(service);
      text = fs.ReadFile(path, limits.max_file_bytes);
      if (text || text.error().code != FsErrc::kNotFound) break;
    }
  }
  if (!text) {
    if (text.error().code != FsErrc::kNotFound) {
      stack.diagnostics.push_back({"", path, text.error().Message()});
    }
    return;
  }
  if (depth == 0) stack.present = true;
  stack.files.push_back(path);
  for (PamLine& line : ParsePamFile(*text)) {
    if (line.type == "@include") {
      Collect(fs, limits, line.module, depth + 1, stack, only_type);
      continue;
    }
    if (!only_type.empty() && line.type != only_type) continue;
    if (line.IsInclude()) {
      Collect(fs, limits, line.module, depth + 1, stack, line.type);
      continue;
    }
    stack.modules.push_back({std::move(line), path});
  }
}

}  // namespace

bool PamLine::IsInclude() const { return control == "include" || control == "substack"; }

std::string_view PamLine::ModuleName() const {
  std::string_view name = module;
  return name.substr(name.rfind('/') + 1);
}

std::vector<PamLine> ParsePamFile(std::string_view text) {
  std::vector<PamLine> out;
  std::string pending;
  uint32_t pending_line = 0;
  parse::ForEachLine(text, [&](std::string_view raw, uint32_t number) {
    if (pending.empty()) pending_line = number;
    std::string_view line = raw;
    bool continued = !line.empty() && line.back() == '\\';
    if (continued) line.remove_suffix(1);
    pending.append(line);
    if (continued) {
      pending.push_back(' ');
      return;
    }
    std::string logical = std::move(pending);
    pending.clear();
    if (size_t hash = logical.find('#'); hash != std::string::npos) logical.resize(hash);
    std::vector<std::string> words = Words(logical);
    if (words.empty()) return;
    PamLine entry;
    entry.line = pending_line;
    if (words[0] == "@include") {
      if (words.size() < 2) return;
      entry.type = "@include";
      entry.control = "include";
      entry.module = words[1];
      out.push_back(std::move(entry));
      return;
    }
    if (words.size() < 3) return;  // libpam skips such a line (and logs it)
    entry.type = parse::ToLower(words[0]);
    // "-auth": the module may be missing; libpam then skips it silently.
    if (!entry.type.empty() && entry.type.front() == '-') entry.type.erase(0, 1);
    entry.control = words[1];
    entry.module = words[2];
    entry.args.assign(words.begin() + 3, words.end());
    out.push_back(std::move(entry));
  });
  return out;
}

const PamModule* PamStack::Find(std::string_view type, std::string_view name) const {
  for (const PamModule& module : modules) {
    if (module.line.type == type && module.line.ModuleName() == name) return &module;
  }
  return nullptr;
}

PamStack CollectPamStack(const Filesystem& fs, const ScanLimits& limits, std::string_view service) {
  PamStack stack;
  Collect(fs, limits, service, 0, stack, {});
  return stack;
}

}  // namespace imageprobe::probes::access
