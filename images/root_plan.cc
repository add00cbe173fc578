// SPDX-License-Identifier: Apache-2.0
#include "images/root_plan.h"

#include "images/guestfs_fstab.h"
#include "scanner/parse/fstab.h"

namespace imageprobe::images {

Diagnostic ImageDiagnostic(std::string path, std::string message) {
  return Diagnostic{"image", std::move(path), std::move(message)};
}

std::string FstabTooLargeMessage(const std::string& device, int64_t size) {
  return "fstab on " + device + " is too large to read (" + std::to_string(size) + " bytes)";
}

std::string FstabUnreadableMessage(const std::string& device, const std::string& reason) {
  return "could not read fstab on " + device + ": " + reason;
}

GuestRoot PlanRoot(const std::string& device, const std::string& type,
                   const std::optional<std::string>& fstab_text, const SpecResolverFn& resolve) {
  GuestRoot root{device, type, true, {}, {}};
  if (!fstab_text) return root;
  parse::ParsedFstab fstab = parse::ParseFstab(*fstab_text);
  for (const auto& problem : fstab.problems) {
    root.problems.push_back(ImageDiagnostic(
        "/etc/fstab", "line " + std::to_string(problem.line) + ": " + problem.message));
  }
  for (const auto& entry : MountableEntries(fstab)) {
    std::string source = entry.spec + " (/etc/fstab line " + std::to_string(entry.line) + ")";
    auto mounted = resolve(entry.spec);
    if (!mounted) {
      root.problems.push_back(ImageDiagnostic(
          entry.mount_point, "not mounted: " + source + " names no filesystem in this image"));
      continue;
    }
    if (*mounted == device) continue;  // the root itself listed twice
    root.mounts.push_back({entry.mount_point, *mounted, source});
  }
  return root;
}

std::string DescribeRoot(const GuestRoot& root) {
  std::string text = root.type.empty() ? std::string("filesystem") : root.type;
  text += root.has_os ? ", mounted /" : ", no operating system, mounted /";
  for (const auto& m : root.mounts) text += ", " + m.mountpoint;
  return text;
}

}  // namespace imageprobe::images
