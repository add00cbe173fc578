// SPDX-License-Identifier: Apache-2.0
// The kinds of fact the ssm probe records, declared once (scanner/core/record_kind.h).
#pragma once

#include <array>

#include "scanner/core/record_kind.h"

namespace imageprobe::probes {

extern const RecordKind kSsmRegistrationRecord;        // "ssm/registration"
extern const RecordKind kSsmVaultManifestRecord;       // "ssm/vault_manifest"
extern const RecordKind kSsmVaultIdentityRecord;       // "ssm/vault_identity"
extern const RecordKind kSsmFingerprintRecord;         // "ssm/fingerprint"
extern const RecordKind kSsmVaultStoreRecord;          // "ssm/vault_store"
extern const RecordKind kSsmInstanceFolderRecord;      // "ssm/instance_folder"
extern const RecordKind kSsmSeelogRecord;              // "ssm/seelog"
extern const RecordKind kSsmConfigRecord;              // "ssm/config"
extern const RecordKind kSsmCredentialsProfileRecord;  // "ssm/credentials_profile"
extern const RecordKind kSsmSessionManagerRecord;      // "ssm/session_manager"
extern const RecordKind kSsmAgentRecord;               // "ssm/agent"

// In the order the probe declares them (its records()).
inline constexpr std::array<const RecordKind*, 11> kSsmRecords = {
    &kSsmRegistrationRecord,   &kSsmVaultManifestRecord, &kSsmVaultIdentityRecord,
    &kSsmFingerprintRecord,    &kSsmVaultStoreRecord,    &kSsmInstanceFolderRecord,
    &kSsmSeelogRecord,         &kSsmConfigRecord,        &kSsmCredentialsProfileRecord,
    &kSsmSessionManagerRecord, &kSsmAgentRecord};

}  // namespace imageprobe::probes
