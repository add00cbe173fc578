// SPDX-License-Identifier: Apache-2.0
#include "probes/aws/imagebuilder_records.h"

namespace imageprobe::probes {

namespace {

constexpr std::string_view kImageBuilderMarkerVolatile[] = {"mtime_utc"};
constexpr std::string_view kImageBuilderToeFolderVolatile[] = {"mtime_utc"};

// Where a marker or a TOE folder was found; the image does not say which folder the recipe ran in.
constexpr RecordMember kImageBuilderWhereFound[] = {
    {"working_directory", kText,
     "the folder it is in, taken as the recipe's working directory (/tmp, /var/tmp, /root, "
     "/home/*)"},
    {"working_directory_confidence", kText,
     "inferred: the image does not record the recipe's working directory"},
    {"mtime_utc", kText, "when it last changed (2026-11-23T13:06:42Z); empty when unknown"},
};

constexpr RecordMember kImageBuilderMarkerOwn[] = {
    {"path", kText, "the marker's guest path"},
    {"marker", kText, "its name: perform_cleanup or skip_cleanup_* (misnamed ones included)"},
    {"recognised_by_cleanup", kFlag, "whether the cleanup script tests for this exact name"},
};
constexpr auto kImageBuilderMarkerMembers =
    JoinMembers(kImageBuilderMarkerOwn, kImageBuilderWhereFound);

constexpr RecordMember kImageBuilderToeFolderOwn[] = {
    {"path", kText, "the TOE_<date>_<execution id> folder's guest path"},
};
constexpr auto kImageBuilderToeFolderMembers =
    JoinMembers(kImageBuilderToeFolderOwn, kImageBuilderWhereFound);

constexpr RecordMember kImageBuilderRemainingMembers[] = {
    {"section", kText,
     "the cleanup section that deletes it: CLOUD_INIT_FILES, INSTANCE_FILES, SSH_FILES, "
     "INSTANCE_LOG_FILES, SSM_LOG_FILES, TOE_FILES, ALWAYS or MACHINE_ID"},
    {"path", kText, "the guest path still in the image"},
    {"skipped", kFlag, "whether its section's skip marker is present (kept on purpose)"},
};
constexpr ValueShape kImageBuilderRemainingItem = ObjectOf(kImageBuilderRemainingMembers);

constexpr RecordMember kImageBuilderCleanupStateMembers[] = {
    {"verdict", kText, "looks cleaned or not cleaned"},
    {"looks_cleaned", kFlag,
     "whether nothing the cleanup deletes is left, but what a skip marker keeps"},
    {"image_builder_evidence", kFlag, "whether markers or TOE folders show Image Builder ran"},
    {"perform_cleanup_present", kFlag, "whether a perform_cleanup marker is still there"},
    {"skip_markers", kTextList,
     "the names of the skip_cleanup_* markers found, misnamed ones included; each once, sorted"},
    {"remaining", ListOf(kImageBuilderRemainingItem),
     "the files the cleanup would delete that the image still holds"},
    {"machine_id_rule_confidence", kText,
     "unconfirmed: counting a non-empty machine-id as not cleaned is this probe's judgement"},
    {"working_directories_searched", kTextList,
     "where markers were looked for: /tmp, /var/tmp, /root and each /home/*"},
    {"working_directory_confidence", kText,
     "inferred: the image does not record the recipe's working directory"},
    {"tmp_default_confidence", kText,
     "unconfirmed: /tmp as the default working directory is seen only in documentation examples"},
};

}  // namespace

const RecordKind kImageBuilderMarkerRecord{
    .name = "imagebuilder/marker",
    .key = "path",
    .description = "an Image Builder marker file (skip_cleanup_*)",
    .members = kImageBuilderMarkerMembers,
    .volatile_members = kImageBuilderMarkerVolatile,
};

const RecordKind kImageBuilderToeFolderRecord{
    .name = "imagebuilder/toe_folder",
    .key = "path",
    .description = "an AWSTOE working folder left in the image",
    .members = kImageBuilderToeFolderMembers,
    .volatile_members = kImageBuilderToeFolderVolatile,
};

const RecordKind kImageBuilderCleanupStateRecord{
    .name = "imagebuilder/cleanup_state",
    .key = "\"cleanup\"",
    .description = "what Image Builder's cleanup script would remove, and what is still there",
    .members = kImageBuilderCleanupStateMembers,
};

}  // namespace imageprobe::probes
