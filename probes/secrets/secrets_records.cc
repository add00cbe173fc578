// SPDX-License-Identifier: Apache-2.0
#include "probes/secrets/secrets_records.h"

#include "probes/secrets/aws_credentials.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kPrivateKeyUseVolatile[] = {"line"};

constexpr RecordMember kAwsFileMembers[] = {
    {"path", kText, "the file: <home>/.aws/credentials or <home>/.aws/config"},
    {"user", kText,
     "the account whose home holds it; empty for a /home directory no account names"},
    {"kind", kText, "credentials or config"},
    {"sections", kTextList,
     "the names of its [sections] as written (\"default\", \"profile prod\")"},
    {"profiles_with_credentials", kInteger,
     "the sections that hold a key id, a secret or a session token (secrets/aws_profile facts)"},
};

constexpr RecordMember kAwsProfileWhere[] = {
    {"path", kText, "the credentials or config file"},
    {"user", kText,
     "the account whose home holds it; empty for a /home directory no account names"},
};
constexpr auto kAwsProfileMembers = JoinMembers(kAwsProfileWhere, kAwsProfileCredentialsMembers);

constexpr RecordMember kShellHistoryMembers[] = {
    {"path", kText, "the history file (~/.bash_history, ~/.zsh_history, fish_history…)"},
    {"user", kText,
     "the account whose home holds it; empty for a /home directory no account names"},
    {"lines", kInteger, "the lines read"},
    {"truncated", kFlag, "the file is larger than what was read: only its start was scanned"},
    {"hits", MapOf(kInteger),
     "matches per rule (aws_secret_env, mysql_password, sshpass, url_credentials…); only rules "
     "that matched, the matches beyond the first 200 left out"},
    {"hits_dropped", kInteger, "the matches beyond the first 200, not counted in hits"},
};

constexpr RecordMember kClientConfigReferenceMembers[] = {
    {"path", kText, "the ssh client configuration (~/.ssh/config or /etc/ssh/ssh_config)"},
    {"line", kInteger, "the line of its IdentityFile"},
    {"block", kText,
     "the Host or Match line of the block it sits in (\"Host git.example\"); absent at the top of "
     "the file",
     Presence::kOptional},
};
constexpr ValueShape kClientConfigReference = ObjectOf(kClientConfigReferenceMembers);

constexpr RecordMember kPrivateKeyUseMembers[] = {
    {"path", kText, "the private key file"},
    {"user", kText,
     "the account whose home holds it; empty for a /home directory no account names"},
    {"fingerprint", kText, "SHA256:… of its public key; empty when unknown"},
    {"fingerprint_source", kText,
     "where the fingerprint comes from: container (openssh-key-v1), pub_file (the .pub beside it), "
     "or empty when unknown"},
    {"encrypted", kFlag, "the key is protected by a passphrase"},
    {"opens_accounts", kTextList,
     "the users of this image whose authorized_keys (a file sshd reads) lists its public key"},
    {"client_config_references", ListOf(kClientConfigReference),
     "the IdentityFile lines of ssh client configurations that offer it"},
};

constexpr RecordMember kSecretsSummaryMembers[] = {
    {"aws_files", kInteger, "AWS credentials and config files in homes"},
    {"aws_profiles_with_credentials", kInteger, "profiles of those files that hold a credential"},
    {"shell_histories", kInteger, "shell history files read"},
    {"shell_history_hits", kInteger, "secret-pattern matches in them (at most 200 per file)"},
    {"private_keys", kInteger, "private keys found in homes (the ssh.keys inventory)"},
    {"private_keys_unencrypted", kInteger, "of those, the keys without a passphrase"},
    {"private_keys_opening_accounts", kInteger,
     "private keys whose public half is authorized for an account of the image"},
    {"private_keys_in_client_configs", kInteger,
     "private keys an ssh client configuration offers (IdentityFile)"},
};

}  // namespace

const RecordKind kAwsFileRecord{
    .name = "secrets/aws_file",
    .key = "path",
    .description = "an AWS credentials or config file in a home",
    .members = kAwsFileMembers,
};

const RecordKind kAwsProfileRecord{
    .name = "secrets/aws_profile",
    .key = "path|profile",
    .description = "a profile of such a file and whether it holds a key (redacted)",
    .members = kAwsProfileMembers,
};

const RecordKind kShellHistoryRecord{
    .name = "secrets/shell_history",
    .key = "path",
    .description = "a shell history file and what it exposes (redacted)",
    .members = kShellHistoryMembers,
};

const RecordKind kPrivateKeyUseRecord{
    .name = "secrets/private_key_use",
    .key = "the private key's path",
    .description = "a private key and the accounts and hosts it opens",
    .members = kPrivateKeyUseMembers,
    .volatile_members = kPrivateKeyUseVolatile,
};

const RecordKind kSecretsSummaryRecord{
    .name = "secrets/summary",
    .key = "\"summary\"",
    .description = "how many secrets of each kind the image holds",
    .members = kSecretsSummaryMembers,
};

}  // namespace imageprobe::probes
