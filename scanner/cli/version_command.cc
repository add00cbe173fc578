// SPDX-License-Identifier: Apache-2.0
#include "scanner/cli/version_command.h"

#include <nlohmann/json.hpp>

namespace imageprobe::cli {

#ifndef IMAGEPROBE_COMMIT
#define IMAGEPROBE_COMMIT "unknown"
#endif

const char* BuildCommit() { return IMAGEPROBE_COMMIT; }

CLI::App* AddVersionCommand(CLI::App& app, VersionCommand& c) {
  CLI::App* version = app.add_subcommand(
      "version",
      "Print the version, the commit it was built from, and what this machine offers: the "
      "engines that can open inputs and, for libguestfs, whether KVM or TCG will run the "
      "appliance (nothing is started).");
  version->add_option("-f,--format", c.format, "Output format.")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  return version;
}

int RunVersion(const VersionCommand& c, const CliEnvironment& env) {
  std::optional<images::HostReport> host;
  if (env.describe_host) host = env.describe_host();
  if (c.format == "json") {
    nlohmann::ordered_json j;
    j["version"] = IMAGEPROBE_VERSION;
    j["commit"] = BuildCommit();
    if (host) {
      auto& engines = j["engines"] = nlohmann::ordered_json::array();
      for (const auto& e : host->engines) {
        engines.push_back({{"name", e.name},
                           {"available", e.available},
                           {"inputs", e.inputs},
                           {"detail", e.detail}});
      }
      if (!host->accelerator.empty()) {
        j["libguestfs"] = {{"accelerator", host->accelerator},
                           {"reason", host->accelerator_reason},
                           {"hypervisor", host->hypervisor},
                           {"appliance_kernel", host->appliance_kernel},
                           {"kvm_verdict_cache", host->kvm_cache}};
      }
    }
    env.out << j.dump(2) << '\n';
    return kExitOk;
  }
  env.out << "imageprobe " << IMAGEPROBE_VERSION << '\n';
  env.out << "commit: " << BuildCommit() << '\n';
  if (!host) return kExitOk;
  env.out << "engines:\n";
  for (const auto& e : host->engines) {
    env.out << "  " << e.name << ": " << (e.available ? "available" : "not available") << " ("
            << e.detail << ")\n    opens: " << e.inputs << '\n';
  }
  if (!host->accelerator.empty()) {
    env.out << "libguestfs accelerator: " << host->accelerator << '\n'
            << "  " << host->accelerator_reason << '\n';
    if (!host->hypervisor.empty()) env.out << "  hypervisor: " << host->hypervisor << '\n';
    env.out << "  appliance kernel: "
            << (host->appliance_kernel.empty() ? "none" : host->appliance_kernel) << '\n';
    if (!host->kvm_cache.empty()) env.out << "  KVM verdict cache: " << host->kvm_cache << '\n';
  }
  return kExitOk;
}

}  // namespace imageprobe::cli
