// SPDX-License-Identifier: Apache-2.0
// systemd unit files and drop-ins as the agent probes read them (EC2 Instance Connect): the
// [Service] ExecStart= lines with continuations, comments and resets, systemd's command line
// quoting, and the sshd -o options on it. (sshd's own unit reading is sshd_service_fuzz.cc.)
#include <cstddef>
#include <cstdint>

#include "probes/aws/systemd_exec_start.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  ServiceExecStart exec = ParseServiceExecStart(text);
  ParseSshdArguments(exec.command.argv);
  SplitSshdOption(exec.raw);
  SplitSystemdCommandLine(text);
  return 0;
}
