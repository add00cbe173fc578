// SPDX-License-Identifier: Apache-2.0
#include "probes/ssh/keys_records.h"

#include <map>
#include <set>

#include "scanner/core/diff.h"
#include "scanner/core/json_fields.h"
#include "scanner/parse/text.h"

namespace imageprobe::probes {

namespace {

// Host keys removed or replaced. Then the keys (by fingerprint) both versions carry: two
// different releases with the same host keys mean every instance of either answers with one
// identity, so anyone holding one image can impersonate all of them. Only said when the
// versions differ at all: an image compared with itself (or an identical rebuild) is one
// release, and its baked host keys are the scan's own finding (ssh.host_keys.present).
void HostKeyHeadlines(KindDiff& diff, HeadlineSink& out) {
  std::set<std::string> removed, added;  // by key: one key in several roots counts once
  for (const FactChange* c : diff.changes) {
    if (c->change == Change::kRemoved) removed.insert(c->key);
    if (c->change == Change::kAdded) added.insert(c->key);
  }
  if (!removed.empty() && added.empty()) {
    out.Add(HeadlineTopic::kHostKeys,
            "host keys removed: " + parse::CountOf(removed.size(), "key", "keys"), false);
  } else if (!removed.empty() || !added.empty()) {
    out.Add(HeadlineTopic::kHostKeys, "host keys regenerated", false);
  }

  if (!diff.versions_differ) return;
  auto fingerprints = [](const std::vector<const Fact*>& facts) {
    std::map<std::string, std::string> keys;  // fingerprint -> type
    for (const Fact* f : facts) {
      std::string fingerprint = StringMember(f->data, "fingerprint");
      if (!fingerprint.empty()) keys[fingerprint] = StringMember(f->data, "type");
    }
    return keys;
  };
  auto before = fingerprints(diff.old_facts), after = fingerprints(diff.new_facts);
  std::set<std::string> shared_types;
  size_t shared = 0;
  for (const auto& [fingerprint, type] : before) {
    if (!after.contains(fingerprint)) continue;
    ++shared;
    shared_types.insert(type);
  }
  if (shared == 0) return;
  out.Add(HeadlineTopic::kHostKeys,
          "host keys identical in both versions: " + parse::CountOf(shared, "key", "keys") + " (" +
              parse::Join(shared_types, ", ") + "); every instance of both releases shares them",
          true);
}

}  // namespace

const RecordKind kHostKeyRecord{
    .name = "ssh/host_key",
    .key = "type|fingerprint (the private key's path when unreadable)",
    .description = "an SSH host key baked into the image",
    .headlines = HostKeyHeadlines,
};

const RecordKind kPrivateKeyRecord{
    .name = "ssh/private_key",
    .key = "path",
    .description = "a private key found in a home or system directory",
};

const RecordKind kKnownHostsRecord{
    .name = "ssh/known_hosts",
    .key = "owner|path",
    .description = "a known_hosts file and how many hosts it lists",
};

}  // namespace imageprobe::probes
