// SPDX-License-Identifier: Apache-2.0
// References: rpm-software-management/rpm lib/header.c (headerImport, hdrblobVerifyInfo,
//   dataLength, alignment per type), lib/header_internal.h (HEADER_TAGS_MAX, HEADER_DATA_MAX,
//   entryInfo), include/rpm/rpmtag.h (tag numbers, RPM_*_TYPE); the RPM file format
//   (rpm.org/docs/latest/manual/format_header.html): index entries {tag, type, offset, count},
//   all big-endian.
#include "probes/common/rpm_header.h"

#include <cstring>

namespace imageprobe::probes {
namespace {

constexpr uint32_t kTagName = 1000;
constexpr uint32_t kTagVersion = 1001;
constexpr uint32_t kTagRelease = 1002;
constexpr uint32_t kTagEpoch = 1003;
constexpr uint32_t kTagInstallTime = 1008;
constexpr uint32_t kTagArch = 1022;

constexpr uint32_t kTypeInt32 = 4;
constexpr uint32_t kTypeString = 6;
constexpr uint32_t kTypeStringArray = 8;
constexpr uint32_t kTypeI18nString = 9;

constexpr size_t kEntrySize = 16;

uint32_t BigEndian32(std::string_view bytes, size_t at) {
  auto b = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i]));
  };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

struct Entry {
  uint32_t tag, type, offset, count;
};

// The first string at `offset` of the data store, which must end with a NUL inside it.
std::expected<std::string, std::string> StringAt(std::string_view data, const Entry& entry) {
  if (entry.type != kTypeString && entry.type != kTypeI18nString &&
      entry.type != kTypeStringArray) {
    return std::unexpected("tag " + std::to_string(entry.tag) + " has type " +
                           std::to_string(entry.type) + ", not a string");
  }
  if (entry.count == 0) return std::unexpected("tag " + std::to_string(entry.tag) + " is empty");
  if (entry.offset >= data.size()) {
    return std::unexpected("tag " + std::to_string(entry.tag) + " points past the data store");
  }
  std::string_view rest = data.substr(entry.offset);
  size_t nul = rest.find('\0');
  if (nul == std::string_view::npos) {
    return std::unexpected("tag " + std::to_string(entry.tag) + " string is not terminated");
  }
  return std::string(rest.substr(0, nul));
}

std::expected<uint32_t, std::string> Int32At(std::string_view data, const Entry& entry) {
  if (entry.type != kTypeInt32) {
    return std::unexpected("tag " + std::to_string(entry.tag) + " has type " +
                           std::to_string(entry.type) + ", not int32");
  }
  if (entry.count == 0 || entry.offset % 4 != 0 || uint64_t{entry.offset} + 4 > data.size()) {
    return std::unexpected("tag " + std::to_string(entry.tag) + " int32 out of bounds");
  }
  return BigEndian32(data, entry.offset);
}

}  // namespace

std::string RpmPackage::Evr() const {
  std::string evr = epoch ? std::to_string(*epoch) + ":" : "";
  return evr + version + "-" + release;
}

void to_json(nlohmann::json& json, const RpmPackage& package) {
  json = {{"name", package.name},
          {"version", package.version},
          {"release", package.release},
          {"arch", package.arch}};
  json["epoch"] = package.epoch ? nlohmann::json(*package.epoch) : nlohmann::json(nullptr);
  json["install_time"] =
      package.install_time ? nlohmann::json(*package.install_time) : nlohmann::json(nullptr);
}

std::expected<RpmPackage, std::string> ParseRpmHeaderBlob(std::string_view blob) {
  if (blob.size() < 8) return std::unexpected("header shorter than its 8-byte preamble");
  uint32_t il = BigEndian32(blob, 0);
  uint32_t dl = BigEndian32(blob, 4);
  if (il == 0 || il > kRpmHeaderMaxTags) {
    return std::unexpected("header index count " + std::to_string(il) + " out of range");
  }
  if (dl > kRpmHeaderMaxData) {
    return std::unexpected("header data length " + std::to_string(dl) + " out of range");
  }
  uint64_t needed = 8 + uint64_t{il} * kEntrySize + dl;
  if (needed > blob.size()) {
    return std::unexpected("header claims " + std::to_string(needed) + " bytes, blob has " +
                           std::to_string(blob.size()));
  }
  std::string_view index = blob.substr(8, size_t{il} * kEntrySize);
  std::string_view data = blob.substr(8 + size_t{il} * kEntrySize, dl);

  RpmPackage package;
  bool have_name = false, have_version = false, have_release = false;
  for (uint32_t i = 0; i < il; ++i) {
    size_t at = size_t{i} * kEntrySize;
    Entry entry{BigEndian32(index, at), BigEndian32(index, at + 4), BigEndian32(index, at + 8),
                BigEndian32(index, at + 12)};
    std::string* text = nullptr;
    bool* seen = nullptr;
    switch (entry.tag) {
      case kTagName:
        text = &package.name, seen = &have_name;
        break;
      case kTagVersion:
        text = &package.version, seen = &have_version;
        break;
      case kTagRelease:
        text = &package.release, seen = &have_release;
        break;
      case kTagArch:
        text = &package.arch;
        break;
      case kTagEpoch:
      case kTagInstallTime: {
        auto value = Int32At(data, entry);
        if (!value) return std::unexpected(value.error());
        (entry.tag == kTagEpoch ? package.epoch : package.install_time) = *value;
        continue;
      }
      default:
        continue;
    }
    auto value = StringAt(data, entry);
    if (!value) return std::unexpected(value.error());
    *text = std::move(*value);
    if (seen) *seen = true;
  }
  if (!have_name) return std::unexpected("header has no NAME tag");
  if (!have_version || !have_release) {
    return std::unexpected("header of " + package.name + " lacks VERSION or RELEASE");
  }
  return package;
}

}  // namespace imageprobe::probes
