// SPDX-License-Identifier: Apache-2.0
// The LVM2 volume layer against lvm2 itself: tests/images/make-lvm-pvs makes physical volumes
// with the real pvcreate/vgcreate/lvcreate/lvextend/vgcfgrestore on loop devices and records
// lvm2's own report (pvs, lvs --segments with PE ranges, and the LVs libguestfs would list).
// Each LV read through our device must hold, extent by extent, what was written at the place
// lvm2 says that extent lives; the LVs we list must be the ones guestfs_lvs lists; layouts we
// do not read must be refused with the reason. Damage is made by editing those images' bytes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "images/byte_reader.h"
#include "images/native/block_device.h"
#include "images/native/lvm_config_text.h"
#include "images/native/lvm_label.h"
#include "images/native/lvm_volume_group.h"
#include "images/native/lvm_volumes.h"
#include "images/native/native_inspect.h"
#include "images/native/partition_table.h"
#include "tests/images/temp_dir.h"

namespace imageprobe::images::native {
namespace {

using nlohmann::json;
using testing::RunShell;
using testing::Slurp;

constexpr uint64_t kMiB = 1 << 20;

// The fixtures, made once per build tree (about 10 s). Skipped where loop devices or lvm2 are
// unavailable (not root, a container without /dev/loop*).
const std::string& FixtureDir() {
  static const std::string dir = [] {
    const std::string script = IMAGEPROBE_LVM_FIXTURE_SCRIPT;
    if (geteuid() != 0 || RunShell("command -v lvm >/dev/null && losetup -f >/dev/null") != 0) {
      return std::string();
    }
    // Keyed by the script's content, so that an edit rebuilds them.
    const std::string content = Slurp(script);
    return testing::SharedFixtureDir("lvm-pvs",
                                     "bash '" + script + "' >/dev/null\n# " +
                                         std::to_string(std::hash<std::string>{}(content)) + "\n");
  }();
  return dir;
}

#define REQUIRE_FIXTURES() \
  if (FixtureDir().empty()) GTEST_SKIP() << "needs root, loop devices and lvm2"

struct Case {
  std::string image;  // the disk's bytes, editable
  json pvs, lvs;
  std::vector<std::string> listed;  // "vg/lv", as guestfs_lvs would list them (sorted)
};

Case Load(const std::string& name) {
  const std::string dir = FixtureDir();
  Case c;
  c.image = Slurp(dir + "/" + name + ".img");
  c.pvs = json::parse(Slurp(dir + "/" + name + ".pvs.json"))["report"][0]["pv"];
  c.lvs = json::parse(Slurp(dir + "/" + name + ".lvs.json"))["report"][0]["seg"];
  std::istringstream listed(Slurp(dir + "/" + name + ".listed"));
  for (std::string line; std::getline(listed, line);) {
    if (!line.empty()) c.listed.push_back(line);
  }
  return c;
}

uint64_t Num(const json& j) { return std::stoull(j.get<std::string>()); }

// Where the PV starts in the disk: the whole disk, or partition 1 (read by our partition reader,
// itself tested against sfdisk).
uint64_t PvOffset(const std::string& image) {
  MemoryDevice disk(image);
  auto table = ReadPartitionTable(disk);
  EXPECT_TRUE(table.has_value());
  if (!table || table->partitions.empty()) return 0;
  return table->partitions[0].offset;
}

std::shared_ptr<const BlockDevice> PvDevice(const std::string& image) {
  auto disk = std::make_shared<MemoryDevice>(image, "disk");
  const uint64_t offset = PvOffset(image);
  if (offset == 0) return disk;
  return std::make_shared<SliceDevice>(disk, offset, disk->size() - offset, "pv");
}

// A 16-byte stamp naming the LV and one of its logical extents.
std::string Stamp(const std::string& lv, uint64_t extent, char where) {
  std::string s = lv + ":" + std::to_string(extent) + where;
  s.resize(16, '.');
  return s;
}

// Writes each LV's stamps where lvm2 says its extents are: first and last 16 bytes of every
// logical extent, from lvs' seg_start_pe, seg_size_pe and seg_pe_ranges ("/dev/loop3:14-25").
void StampExtents(Case& c) {
  const uint64_t pv_offset = PvOffset(c.image);
  const uint64_t pe_start = Num(c.pvs[0]["pe_start"]);
  for (const json& seg : c.lvs) {
    if (seg["segtype"] != "linear") continue;
    const std::string name = seg["lv_name"];
    const uint64_t extent = Num(seg["vg_extent_size"]);
    const std::string range = seg["seg_pe_ranges"];
    const uint64_t first_pe = std::stoull(range.substr(range.rfind(':') + 1));
    for (uint64_t i = 0; i < Num(seg["seg_size_pe"]); ++i) {
      const uint64_t at = pv_offset + pe_start + (first_pe + i) * extent;
      const uint64_t logical = Num(seg["seg_start_pe"]) + i;
      c.image.replace(at, 16, Stamp(name, logical, 'a'));
      c.image.replace(at + extent - 16, 16, Stamp(name, logical, 'z'));
    }
  }
}

// Every listed LV is lvm2's: same names, same sizes, every extent where lvm2 put it.
void ExpectLvsMatchLvm2(const std::string& name) {
  Case c = Load(name);
  ASSERT_FALSE(c.listed.empty()) << name;
  StampExtents(c);
  auto pv = PvDevice(c.image);
  auto label = ReadPhysicalVolumeLabel(*pv);
  ASSERT_TRUE(label.has_value()) << label.error();
  EXPECT_EQ(label->uuid, c.pvs[0]["pv_uuid"].get<std::string>());

  auto lvs = ExpandLvmPhysicalVolume(pv, "/dev/sda1");
  ASSERT_TRUE(lvs.has_value()) << name << ": " << lvs.error();
  std::vector<std::string> devices;
  for (const auto& lv : *lvs) devices.push_back(lv.device);
  std::vector<std::string> expected;
  for (const auto& l : c.listed) expected.push_back("/dev/" + l);
  EXPECT_EQ(devices, expected) << name;

  for (const auto& lv : *lvs) {
    const std::string lv_name = lv.device.substr(lv.device.rfind('/') + 1);
    uint64_t extents = 0, extent = 0;
    for (const json& seg : c.lvs) {
      if (seg["lv_name"] != lv_name) continue;
      extents += Num(seg["seg_size_pe"]);
      extent = Num(seg["vg_extent_size"]);
    }
    ASSERT_EQ(lv.bytes->size(), extents * extent) << lv.device;
    for (uint64_t e = 0; e < extents; ++e) {
      EXPECT_EQ(lv.bytes->Read(e * extent, 16).value_or("?"), Stamp(lv_name, e, 'a')) << lv.device;
      EXPECT_EQ(lv.bytes->Read(e * extent + extent - 16, 16).value_or("?"), Stamp(lv_name, e, 'z'))
          << lv.device;
      if (e > 0) {  // one read across the boundary of two extents (of two segments, sometimes)
        EXPECT_EQ(lv.bytes->Read(e * extent - 16, 32).value_or("?"),
                  Stamp(lv_name, e - 1, 'z') + Stamp(lv_name, e, 'a'));
      }
    }
    EXPECT_FALSE(lv.bytes->Read(lv.bytes->size() - 8, 16).has_value()) << "read past the end";
  }
}

TEST(LvmLinear, WholeDiskPvWithDashedNames) {
  REQUIRE_FIXTURES();
  ExpectLvsMatchLvm2("whole");
  auto lvs = ExpandLvmPhysicalVolume(PvDevice(Load("whole").image), "/dev/sda");
  ASSERT_TRUE(lvs.has_value());
  EXPECT_EQ((*lvs)[0].device, "/dev/vg-whole/my-lv");
  EXPECT_EQ((*lvs)[0].mapper_device, "/dev/mapper/vg--whole-my--lv");
}

TEST(LvmLinear, MbrPartitionPvWithTwoSegmentsAndAnActivationSkippedLv) {
  REQUIRE_FIXTURES();
  Case c = Load("part");
  int root_segments = 0;
  for (const json& seg : c.lvs) root_segments += seg["lv_name"] == "root";
  ASSERT_EQ(root_segments, 2) << "the fixture's root should have two segments";
  EXPECT_EQ(c.listed, (std::vector<std::string>{"vgp/home", "vgp/root"}));
  ExpectLvsMatchLvm2("part");
}

TEST(LvmLinear, GptPartitionPv) {
  REQUIRE_FIXTURES();
  ExpectLvsMatchLvm2("gpt");
}

TEST(LvmLinear, MetadataThatWrappedAroundTheRingBuffer) {
  REQUIRE_FIXTURES();
  Case c = Load("wrap");
  // The precondition, from the mda_header's own fields: the text runs past the area's end.
  auto pv = PvDevice(c.image);
  auto label = ReadPhysicalVolumeLabel(*pv);
  ASSERT_TRUE(label.has_value());
  ASSERT_EQ(label->metadata_areas.size(), 1u);
  const std::string_view header =
      std::string_view(c.image).substr(label->metadata_areas[0].offset, 512);
  ASSERT_GT(Le64(header, 40) + Le64(header, 48), Le64(header, 32)) << "metadata did not wrap";
  ExpectLvsMatchLvm2("wrap");
  auto text = ReadMetadataArea(*pv, label->metadata_areas[0]);
  ASSERT_TRUE(text.has_value());
  const std::string last_tag = "\"t" + Slurp(FixtureDir() + "/wrap.edits");
  EXPECT_NE(text->text.find(last_tag.substr(0, last_tag.size() - 1) + "\""), std::string::npos)
      << "the newest edit's tag";
}

TEST(LvmLinear, TwoMetadataCopiesAndOneDamaged) {
  REQUIRE_FIXTURES();
  ExpectLvsMatchLvm2("mda2");
  Case c = Load("mda2");
  auto label = ReadPhysicalVolumeLabel(*PvDevice(c.image));
  ASSERT_TRUE(label.has_value());
  ASSERT_EQ(label->metadata_areas.size(), 2u);
  // Damage the first copy's text: the second still serves, as lvm2 would use it.
  const uint64_t mda = label->metadata_areas[0].offset;
  const uint64_t text_at = mda + Le64(std::string_view(c.image).substr(mda, 512), 40);
  c.image[text_at + 10] ^= 0x20;
  auto pv = PvDevice(c.image);
  EXPECT_EQ(ReadMetadataArea(*pv, label->metadata_areas[0]).error(),
            "metadata area at " + std::to_string(mda) + ": metadata checksum mismatch");
  auto lvs = ExpandLvmPhysicalVolume(pv, "/dev/sda");
  ASSERT_TRUE(lvs.has_value()) << lvs.error();
  EXPECT_EQ(lvs->size(), 2u);
  // Both damaged: the reason is the first one's.
  const uint64_t mda2 = label->metadata_areas[1].offset;
  c.image[mda2 + Le64(std::string_view(c.image).substr(mda2, 512), 40) + 10] ^= 0x20;
  EXPECT_EQ(ExpandLvmPhysicalVolume(PvDevice(c.image), "/dev/sda").error(),
            "/dev/sda: metadata area at " + std::to_string(mda) + ": metadata checksum mismatch");
}

// Layouts read through libguestfs, each confirmed to be what lvm2 says it is.
TEST(LvmFallback, ThinStripedSnapshotTwoPvs) {
  REQUIRE_FIXTURES();
  auto has_segtype = [](const Case& c, const std::string& lv, const std::string& type) {
    for (const json& seg : c.lvs) {
      if (seg["lv_name"] == lv && seg["segtype"] == type) return true;
    }
    return false;
  };
  struct Expect {
    std::string name, lv, segtype, reason;
  };
  for (const Expect& e : std::vector<Expect>{
           {"thin", "pool", "thin-pool", "vgthin/pool: segment type thin-pool"},
           {"striped", "st", "striped", "vgstriped/st: segment 1 is striped over 2 stripes"},
           {"snapshot", "snap", "linear", "vgsnap/snap is a snapshot of vgsnap/origin"},
           {"twopv", "big", "linear", "vgtwopv spans 2 physical volumes"}}) {
    SCOPED_TRACE(e.name);
    Case c = Load(e.name);
    ASSERT_TRUE(has_segtype(c, e.lv, e.segtype)) << c.lvs.dump();
    auto lvs = ExpandLvmPhysicalVolume(PvDevice(c.image), "/dev/sda");
    ASSERT_FALSE(lvs.has_value());
    EXPECT_EQ(lvs.error(), e.reason);
  }
  // lvm2 agrees the snapshot is one and the thin pool is private.
  Case snap = Load("snapshot");
  EXPECT_EQ(snap.listed, (std::vector<std::string>{"vgsnap/origin", "vgsnap/snap"}));
  EXPECT_EQ(Load("thin").listed, (std::vector<std::string>{"vgthin/thin"}));
}

TEST(LvmDamage, LabelAndHeaders) {
  REQUIRE_FIXTURES();
  Case c = Load("whole");
  {  // label CRC: no label (lvm2 ignores it)
    std::string image = c.image;
    image[512 + 100] ^= 1;
    EXPECT_EQ(ExpandLvmPhysicalVolume(PvDevice(image), "/dev/sda").error(),
              "/dev/sda: no valid LVM2 label in the first 4 sectors");
  }
  auto label = ReadPhysicalVolumeLabel(*PvDevice(c.image));
  ASSERT_TRUE(label.has_value());
  EXPECT_EQ(label->label_sector, 1u);
  const uint64_t mda = label->metadata_areas[0].offset;
  {  // mda_header checksum
    std::string image = c.image;
    image[mda + 100] ^= 1;
    EXPECT_EQ(ExpandLvmPhysicalVolume(PvDevice(image), "/dev/sda").error(),
              "/dev/sda: metadata area at 4096: mda_header checksum mismatch");
  }
  {  // a truncated image: the extents end past the PV
    std::string image = c.image.substr(0, 20 * kMiB);
    EXPECT_EQ(ExpandLvmPhysicalVolume(PvDevice(image), "/dev/sda").error(),
              "/dev/sda (vg-whole): pv0's 31 extents end past the end of the PV (20971520 bytes)");
  }
}

// The real metadata text of whole.img, edited: segment maps lvm2 would never write.
std::string WholeMetadata(std::string* uuid) {
  Case c = Load("whole");
  auto pv = PvDevice(c.image);
  auto label = ReadPhysicalVolumeLabel(*pv);
  *uuid = label->uuid;
  return ReadMetadataArea(*pv, label->metadata_areas[0])->text;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(LvmDamage, SegmentMaps) {
  REQUIRE_FIXTURES();
  std::string uuid;
  const std::string text = WholeMetadata(&uuid);
  ASSERT_TRUE(ParseLvmVolumeGroup(text, uuid).has_value());
  // root is segment1 of 8 extents at pv0:0 (see lvs.json); my-lv follows at 8.
  auto parse = [&](const std::string& t) { return ParseLvmVolumeGroup(t, uuid); };
  EXPECT_EQ(parse(Replace(text, "\"pv0\", 0", "\"pv0\", 28")).error(),
            "vg-whole/root: segment 1 maps extents past the end of pv0 (28+8 > 31)");
  EXPECT_EQ(parse(Replace(text, "start_extent = 0", "start_extent = 2")).error(),
            "vg-whole/root: segment at extent 2 leaves a gap after extent 0");
  EXPECT_EQ(parse(Replace(text, "segment_count = 1", "segment_count = 2")).error(),
            "vg-whole/root: segment 2 of 2 is missing");
  EXPECT_EQ(parse(Replace(text, "type = \"striped\"", "type = \"raid1\"")).error(),
            "vg-whole/root: segment type raid1");
  EXPECT_EQ(parse(Replace(text, "\"pv0\", 0", "\"pv1\", 0")).error(),
            "vg-whole/root: segment 1 maps to pv1, not a PV of vg-whole");
  EXPECT_EQ(parse(text).value().logical_volumes.size(), 2u);
  EXPECT_EQ(ParseLvmVolumeGroup(text, "other-uuid").error(),
            "vg-whole's pv0 has id " + uuid + ", not the label's other-uuid");
  // Overlap: a second segment that starts inside the first.
  const std::string two =
      Replace(Replace(text, "segment_count = 1", "segment_count = 2"), "\nsegment1 {",
              "\nsegment2 {\n start_extent = 4\n extent_count = 4\n type = \"striped\"\n"
              " stripe_count = 1\n stripes = [\"pv0\", 20]\n }\nsegment1 {");
  EXPECT_EQ(parse(two).error(), "vg-whole/root: segment at extent 4 overlaps extent 8");
  // Two LVs on the same physical extents (my-lv is at pv0:8).
  EXPECT_EQ(parse(Replace(text, "\"pv0\", 0", "\"pv0\", 5")).error(),
            "vg-whole/root and vg-whole/my-lv both map extent 8 of pv0");
  // Hidden and activation-skipped LVs are left out, as guestfs_lvs leaves them out.
  const std::string hidden =
      Replace(text, "\"READ\", \"WRITE\", \"VISIBLE\"", "\"READ\", \"WRITE\"");
  EXPECT_EQ(parse(hidden).value().logical_volumes.size(), 1u);
  EXPECT_EQ(
      parse(Replace(text, "status = [\"RESIZEABLE\"", "status = [\"EXPORTED\", \"RESIZEABLE\""))
          .error(),
      "vg-whole is exported");
}

TEST(LvmConfigText, Syntax) {
  auto parsed = ParseConfigText(
      "# comment\nvg {\n a = 1 b = -2 c = \"x\\\"y\\\\\" d = 'q\\' e = [\"A\" \"B\", 3]\n"
      " f = [] g = 1.5 h = bare  # trailing\n sub { k = 0 }\n sub { l = 1 }\n a = 7\n}\n");
  ASSERT_TRUE(parsed.has_value()) << parsed.error();
  const ConfigSection& vg = parsed->sections.at(0);
  EXPECT_EQ(vg.name, "vg");
  EXPECT_EQ(vg.Integer("a"), 7);  // the last value, as libdm-config keeps it
  EXPECT_EQ(vg.Integer("b"), -2);
  EXPECT_EQ(vg.String("c"), "x\"y\\");
  EXPECT_EQ(vg.String("d"), "q\\");
  EXPECT_EQ(vg.FindSetting("e")->values.size(), 3u);
  EXPECT_FALSE(vg.Strings("e").has_value());  // 3 is not a string
  EXPECT_TRUE(vg.Strings("f").has_value());
  EXPECT_EQ(vg.FindSetting("g")->values[0].kind, ConfigValue::Kind::kFloat);
  EXPECT_EQ(vg.String("h"), "bare");
  ASSERT_EQ(vg.sections.size(), 1u);  // "sub" twice is one section
  EXPECT_EQ(vg.sections[0].Integer("l"), 1);
  // A NUL ends the text, as lvm2's trailing NUL does.
  EXPECT_TRUE(ParseConfigText(std::string("a = 1\0garbage {", 15)).has_value());

  EXPECT_EQ(ParseConfigText("vg {\n a = \"open\n").error(), "line 2: unterminated string");
  EXPECT_EQ(ParseConfigText("vg {\n a = 1\n").error(), "line 3: section vg is not closed");
  EXPECT_EQ(ParseConfigText("a = 99999999999999999999").error(),
            "line 1: bad integer '99999999999999999999'");
  EXPECT_EQ(ParseConfigText("a b").error(), "line 1: expected '=' or '{' after a");
  // After a string, a number needs its comma (libdm-config reads "3]" as a word there).
  EXPECT_EQ(ParseConfigText("a = [\"x\" 3]").error(), "line 1: expected a value for a, found '3]'");
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "s {";
  EXPECT_EQ(ParseConfigText(deep).error(), "line 1: sections nested deeper than 32");
  EXPECT_EQ(ParseConfigText(std::string(kMaxConfigTextBytes + 1, ' ')).error(),
            "config text of 4194305 bytes is over the limit of 4194304");
  std::string many = "a = [";
  for (int i = 0; i < 200001; ++i) many += "1,";
  EXPECT_EQ(ParseConfigText(many + "]").error(), "line 1: more than 200000 entries");
}

TEST(LvmLabel, CrcIsLvm2s) {
  // lvm2's calc_crc(INITIAL_CRC, "123456789", 9), computed with lib/misc/crc.c's algorithm:
  // the standard CRC-32 table, seed 0xf597a6cf, no final inversion.
  EXPECT_EQ(LvmCrc(0xffffffff, "123456789") ^ 0xffffffff, 0xcbf43926u);  // = zlib's crc32
  EXPECT_EQ(LvmCrc(LvmCrc(kLvmInitialCrc, "1234"), "56789"), LvmCrc(kLvmInitialCrc, "123456789"));
}

// InspectNative on part.img with ext4 filesystems in its LVs (root in two segments): the root is
// /dev/vgp/root, and each way an fstab may name an LV (/dev/VG/LV, /dev/mapper/VG-LV, UUID=,
// LABEL=) names it; the activation-skipped LV names nothing, as in the appliance.
TEST(LvmInspect, RootOnATwoSegmentLvAndHomeByEveryName) {
  REQUIRE_FIXTURES();
  const Case lvm2 = Load("part");
  constexpr char kHomeUuid[] = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
  for (const std::string& home_spec :
       std::vector<std::string>{"/dev/mapper/vgp-home", "/dev/vgp/home",
                                std::string("UUID=") + kHomeUuid, "LABEL=homefs"}) {
    SCOPED_TRACE(home_spec);
    Case c = lvm2;
    testing::TempDir dir;
    dir.WriteFile("root/etc/os-release", "ID=debian\nVERSION_ID=12\n");
    dir.WriteFile("root/etc/fstab", "/dev/vgp/root / ext4 defaults 0 1\n" + home_spec +
                                        " /home ext4 defaults 0 2\n"
                                        "/dev/mapper/vgp-skipped /srv ext4 defaults 0 2\n");
    dir.MakeDirs("root/usr");
    dir.WriteFile("home/alice/.profile", "x\n");
    ASSERT_EQ(RunShell("cd " + dir.path() +
                       " && mkfs.ext4 -q -b 4096 -d root root.fs 20M && mkfs.ext4 -q -b 4096 -L "
                       "homefs -U " +
                       kHomeUuid + " -d home home.fs 4M 2>/dev/null"),
              0);
    const std::string fs[] = {Slurp(dir / "root.fs"), Slurp(dir / "home.fs")};
    const uint64_t pv_offset = PvOffset(c.image);
    const uint64_t pe_start = Num(c.pvs[0]["pe_start"]);
    for (const json& seg : c.lvs) {  // the filesystems' bytes where lvm2 says the extents are
      const std::string name = seg["lv_name"];
      if (name != "root" && name != "home") continue;
      const std::string& bytes = fs[name == "home"];
      const uint64_t extent = Num(seg["vg_extent_size"]);
      const std::string range = seg["seg_pe_ranges"];
      const uint64_t first_pe = std::stoull(range.substr(range.rfind(':') + 1));
      const uint64_t length = Num(seg["seg_size_pe"]) * extent;
      c.image.replace(pv_offset + pe_start + first_pe * extent, length,
                      bytes.substr(Num(seg["seg_start_pe"]) * extent, length));
    }
    auto inspection = InspectNative(std::make_shared<MemoryDevice>(c.image, "part.img"));
    ASSERT_TRUE(inspection.has_value()) << inspection.error();
    std::vector<std::string> volumes;
    for (const auto& v : inspection->volumes) volumes.push_back(v.device + " " + v.signature.type);
    EXPECT_EQ(volumes, (std::vector<std::string>{"/dev/vgp/home ext4", "/dev/vgp/root ext4"}));
    ASSERT_EQ(inspection->roots.size(), 1u);
    const GuestRoot& root = inspection->roots[0];
    EXPECT_EQ(root.device, "/dev/vgp/root");
    ASSERT_EQ(root.mounts.size(), 1u);
    EXPECT_EQ(root.mounts[0].mountpoint, "/home");
    EXPECT_EQ(root.mounts[0].device, "/dev/vgp/home");
    ASSERT_EQ(root.problems.size(), 1u);
    EXPECT_NE(root.problems[0].message.find("/dev/mapper/vgp-skipped"), std::string::npos)
        << root.problems[0].message;
    auto home = OpenVolume(inspection->volumes[0], {});
    ASSERT_TRUE(home.has_value()) << home.error();
    EXPECT_EQ((*home)->ReadAt("/alice/.profile", 0, 100).value_or("?"), "x\n");
  }
}

}  // namespace
}  // namespace imageprobe::images::native
