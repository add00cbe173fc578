// SPDX-License-Identifier: Apache-2.0
// How systemd starts sshd: the unit and its drop-ins (ExecStart= resets, EnvironmentFile=,
// $VAR and ${VAR} expansion, -o/-f/-p/-h options) and the KEY=VALUE environment files. The
// input is the unit file; its lines are also read as an environment file.
#include <cstddef>
#include <cstdint>

#include "probes/sshd/sshd_service.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  std::vector<UnitFileText> files = {
      {"/lib/systemd/system/ssh.service", std::string(text)},
      {"/etc/systemd/system/ssh.service.d/override.conf", "[Service]\nExecStart=\n"}};
  SshdEnvironmentFiles(files);
  std::map<std::string, std::string> environment = ParseEnvironmentFile(text);
  ParseSshdServiceCommand(std::span(files).first(1), environment);
  ParseSshdServiceCommand(files, environment);
  SplitServiceCommandWords(text);
  return 0;
}
