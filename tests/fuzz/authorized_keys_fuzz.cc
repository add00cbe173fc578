// SPDX-License-Identifier: Apache-2.0
// authorized_keys files (options, key type, base64 blob, comment) and known_hosts files, which
// share the key line syntax.
#include <cstddef>
#include <cstdint>

#include "probes/ssh/authorized_keys.h"
#include "probes/ssh/authorized_keys_probe.h"
#include "probes/ssh/known_hosts.h"
#include "probes/ssh/wire.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::probes;
  std::string_view text = imageprobe::fuzz::AsText(data, size);
  ssh::AuthorizedKeysParse parsed = ssh::ParseAuthorizedKeys(text);
  for (const ssh::AuthorizedKey& key : parsed.keys) {
    // What the probe relies on: a parsed key always has a type and a matching fingerprint.
    imageprobe::fuzz::Require(key.key.type != nullptr, "a parsed key has a type");
    imageprobe::fuzz::Require(key.key.fingerprint == ssh::Sha256Fingerprint(key.key.plain_blob),
                              "the fingerprint is that of the plain blob");
    ssh::PackerBuildTime(key.comment);
    if (key.options.command) ssh::IsCloudInitDisableRootCommand(*key.options.command);
  }
  ssh::ParseKeyOptions(text.substr(0, text.find_first_of(" \t")));
  ssh::CountKnownHosts(text);
  return 0;
}
