// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of the libguestfs backend on real images built from tests/fixtures by
// tests/e2e/build-guestfs-images.sh. Each test opens ONE image (one appliance, 10-20 s under
// TCG); every format of the list is opened, mounted and its /etc/os-release read
// through GuestfsFs, and each image also carries one layout worth testing (LVM, fstab mounts,
// several roots, no OS, a partition that will not mount).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "images/guestfs/guestfs_image.h"
#include "images/guestfs/kvm_failure_cache.h"

namespace imageprobe::images {
namespace {

const std::string kImages = IMAGEPROBE_GUESTFS_IMAGES;
const std::vector<std::string> kPrefetch = {"/etc/ssh", "/home/*/.ssh", "/root/.ssh"};

std::string Sha256File(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::array<char, 1 << 16> buf;
  while (in.read(buf.data(), buf.size()) || in.gcount() > 0) {
    EVP_DigestUpdate(ctx, buf.data(), static_cast<size_t>(in.gcount()));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    char b[3];
    std::snprintf(b, sizeof b, "%02x", md[i]);
    hex += b;
  }
  return hex;
}

struct Fingerprint {
  std::string sha256;
  timespec mtime{};
  off_t size = 0;
  bool operator==(const Fingerprint& o) const {
    return sha256 == o.sha256 && mtime.tv_sec == o.mtime.tv_sec &&
           mtime.tv_nsec == o.mtime.tv_nsec && size == o.size;
  }
};

Fingerprint FingerprintOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return {Sha256File(path), st.st_mtim, st.st_size};
}

std::vector<std::string> DirNames(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct Opened {
  std::unique_ptr<Image> image;
  std::vector<std::string> progress;
  bool Said(std::string_view text) const {
    return std::any_of(progress.begin(), progress.end(),
                       [&](const std::string& p) { return p.find(text) != std::string::npos; });
  }
};

Opened Open(const std::string& name, const std::string& qemu_format) {
  Opened opened;
  auto progress = std::make_shared<std::vector<std::string>>();
  OpenOptions options;
  options.progress = [progress](std::string_view msg) { progress->emplace_back(msg); };
  Detection detection{Format::kRawDisk, qemu_format, "", qemu_format};
  ImageInfo info{kImages + "/" + name, qemu_format, "", 0, ""};
  opened.image = OpenGuestfsImage(kImages + "/" + name, detection, info, options);
  opened.progress = *progress;
  return opened;
}

std::string OsReleaseValue(const Filesystem& fs, std::string_view key) {
  auto text = fs.ReadFile("/etc/os-release", 1 << 16);
  EXPECT_TRUE(text.has_value()) << (text ? "" : text.error().Message());
  if (!text) return "";
  std::string prefix = std::string(key) + "=";
  size_t pos = 0;
  while (pos < text->size()) {
    size_t nl = text->find('\n', pos);
    std::string line = text->substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (line.starts_with(prefix)) {
      std::string value = line.substr(prefix.size());
      if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
      return value;
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return "";
}

bool HasDiagnostic(const std::vector<Diagnostic>& diagnostics, std::string_view path,
                   std::string_view text) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
    return d.path == path && d.message.find(text) != std::string::npos;
  });
}

double Timing(const Image& image, std::string_view stage) {
  for (const auto& t : image.timings()) {
    if (t.stage == stage) return t.seconds;
  }
  return -1;
}

// --- every format, each with one layout --------------------------------------------------

struct FormatCase {
  std::string file;
  std::string qemu_format;
  std::string expected_id;      // os-release ID
  std::string expected_root;    // appliance device of the root
  std::string home_key_marker;  // authorized_keys content expected under /home (fstab mount)
  std::string expected_description = "ext4, mounted /";
  std::string diagnostic_path;  // a root diagnostic expected for this mount point
};

void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.file; }

class GuestfsFormat : public ::testing::TestWithParam<FormatCase> {};

TEST_P(GuestfsFormat, OpensMountsAndReadsOsReleaseWithoutTouchingTheInput) {
  const FormatCase& c = GetParam();
  const std::string path = kImages + "/" + c.file;
  const auto dir_before = DirNames(kImages);
  const Fingerprint before = FingerprintOf(path);

  Opened opened = Open(c.file, c.qemu_format);
  Image& image = *opened.image;
  EXPECT_TRUE(image.info().backend == "guestfs (kvm)" || image.info().backend == "guestfs (tcg)" ||
              std::getenv("LIBGUESTFS_BACKEND_SETTINGS") != nullptr)
      << image.info().backend;
  if (image.info().backend == "guestfs (tcg)" &&
      std::getenv("LIBGUESTFS_BACKEND_SETTINGS") == nullptr) {
    // The launch-policy test ran first and recorded the KVM failure: no second watchdog wait.
    EXPECT_TRUE(opened.Said("before (recorded in")) << ::testing::PrintToString(opened.progress);
  }
  ASSERT_EQ(image.roots().size(), 1u);
  EXPECT_EQ(image.roots()[0].name, c.expected_root);
  EXPECT_GE(Timing(image, "launch"), 0);
  EXPECT_GE(Timing(image, "inspect"), 0);

  auto mounted = image.Mount(0, kPrefetch);
  ASSERT_TRUE(mounted.has_value()) << mounted.error();
  EXPECT_EQ(OsReleaseValue(*mounted->fs, "ID"), c.expected_id);
  EXPECT_GE(Timing(image, "prefetch"), 0);
  if (!c.home_key_marker.empty()) {
    auto keys = mounted->fs->ReadFile("/home/alice/.ssh/authorized_keys", 4096);
    ASSERT_TRUE(keys.has_value()) << keys.error().Message();
    EXPECT_NE(keys->find(c.home_key_marker), std::string::npos) << *keys;
  }
  EXPECT_EQ(image.roots()[0].description, c.expected_description);
  if (c.diagnostic_path.empty()) {
    EXPECT_TRUE(mounted->diagnostics.empty()) << mounted->diagnostics.front().message;
  } else {
    EXPECT_TRUE(HasDiagnostic(mounted->diagnostics, c.diagnostic_path, "names no filesystem"));
  }

  opened.image.reset();  // closes the appliance
  EXPECT_EQ(FingerprintOf(path), before) << "the input changed";
  EXPECT_EQ(DirNames(kImages), dir_before) << "something was written next to the input";
}

INSTANTIATE_TEST_SUITE_P(
    Formats, GuestfsFormat,
    ::testing::Values(
        // MBR; /home is a second partition named /dev/xvda2 in the guest's fstab, which also
        // names LABEL=nosuchlabel for /mnt/backup: a diagnostic of the root.
        FormatCase{"split-mbr.vmdk", "vmdk", "debian", "/dev/sda1", "alice@home",
                   "ext4, mounted /, /home", "/mnt/backup"},
        FormatCase{"stream.vmdk", "vmdk", "debian", "/dev/sda1", ""},
        FormatCase{"flat.vmdk", "vmdk", "debian", "/dev/sda1", ""},
        FormatCase{"fixed.vhd", "vpc", "debian", "/dev/sda1", ""},
        FormatCase{"dynamic.vhd", "vpc", "debian", "/dev/sda1", ""},
        FormatCase{"disk.vhdx", "vhdx", "debian", "/dev/sda1", ""},
        FormatCase{"disk.vdi", "vdi", "debian", "/dev/sda1", ""},
        // LVM: root and /home are logical volumes, fstab uses /dev/mapper and /dev/VG/LV names.
        FormatCase{"lvm.qcow2", "qcow2", "debian", "/dev/vg0/root", "alice@home",
                   "ext4, mounted /, /home"},
        // Amazon Linux root on XFS.
        FormatCase{"xfs.img", "raw", "amzn", "/dev/sda1", "", "xfs, mounted /"}),
    [](const ::testing::TestParamInfo<FormatCase>& info) {
      std::string name = info.param.file;
      std::replace_if(
          name.begin(), name.end(), [](char ch) { return !std::isalnum(ch); }, '_');
      return name;
    });

// --- layouts -------------------------------------------------------------------------------

TEST(GuestfsLayout, PartlyMountableImageIsReportedPartial) {
  Opened opened = Open("partial-mbr.img", "raw");
  Image& image = *opened.image;
  // /dev/sda2 has a valid superblock (blkid sees LABEL=data) but no usable group descriptors.
  EXPECT_TRUE(HasDiagnostic(image.diagnostics(), "/dev/sda2", "could not mount"));
  ASSERT_EQ(image.roots().size(), 1u);
  auto mounted = image.Mount(0, kPrefetch);
  ASSERT_TRUE(mounted.has_value()) << mounted.error();
  EXPECT_TRUE(HasDiagnostic(mounted->diagnostics, "/data", "")) << mounted->diagnostics.size();
  EXPECT_EQ(OsReleaseValue(*mounted->fs, "ID"), "debian");
  // The root filesystem's own /data directory is what remains visible.
  EXPECT_TRUE(mounted->fs->ReadFile("/data/README", 4096).has_value());
}

TEST(GuestfsLayout, DiskWithoutOsGivesOneRootPerFilesystem) {
  Opened opened = Open("no-os.img", "raw");
  Image& image = *opened.image;
  ASSERT_EQ(image.roots().size(), 2u);
  EXPECT_EQ(image.roots()[0].name, "/dev/sda1");
  EXPECT_EQ(image.roots()[1].name, "/dev/sda2");
  EXPECT_NE(image.roots()[0].description.find("no operating system"), std::string::npos);
  auto data = image.Mount(0, {});
  ASSERT_TRUE(data.has_value()) << data.error();
  auto payload = data->fs->ReadFile("/srv/payload.txt", 4096);
  ASSERT_TRUE(payload.has_value());
  EXPECT_EQ(*payload, "payload served by a data-only filesystem\n");
  auto home = image.Mount(1, std::vector<std::string>{"/alice/.ssh"});
  ASSERT_TRUE(home.has_value()) << home.error();
  EXPECT_TRUE(home->fs->ReadFile("/alice/.ssh/authorized_keys", 4096).has_value());
  EXPECT_FALSE(home->fs->Exists("/srv"));
}

// virt-inspector is the oracle for OS detection on the same image.
std::string RunVirtInspector(const std::string& path, bool tcg) {
  std::string cmd = std::string(tcg ? "LIBGUESTFS_BACKEND_SETTINGS=force_tcg " : "") +
                    "virt-inspector --no-applications --no-icon --format=raw -a '" + path +
                    "' 2>&1";
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  pclose(pipe);
  return out;
}

// The values of <tag> in the order they appear in `xml` (virt-inspector's output is flat for
// the tags used here).
std::vector<std::string> XmlValues(const std::string& xml, const std::string& tag) {
  std::vector<std::string> values;
  std::string open = "<" + tag + ">", close = "</" + tag + ">";
  for (size_t pos = xml.find(open); pos != std::string::npos; pos = xml.find(open, pos)) {
    pos += open.size();
    size_t end = xml.find(close, pos);
    if (end == std::string::npos) break;
    values.push_back(xml.substr(pos, end - pos));
  }
  return values;
}

TEST(GuestfsLayout, MultiRootDiskMatchesVirtInspector) {
  const std::string path = kImages + "/multi-gpt.img";
  Opened opened = Open("multi-gpt.img", "raw");
  Image& image = *opened.image;
  ASSERT_EQ(image.roots().size(), 2u);

  struct Seen {
    std::string root, id, hostname, major;
  };
  std::vector<Seen> ours;
  // Mount both roots, then the first again: Mount(i) must replace the previous root's tree.
  for (size_t i : {0, 1, 0}) {
    auto mounted = image.Mount(i, kPrefetch);
    ASSERT_TRUE(mounted.has_value()) << mounted.error();
    auto hostname = mounted->fs->ReadFile("/etc/hostname", 256);
    ASSERT_TRUE(hostname.has_value());
    hostname->erase(hostname->find_last_not_of('\n') + 1);
    std::string version = OsReleaseValue(*mounted->fs, "VERSION_ID");
    ours.push_back({image.roots()[i].name, OsReleaseValue(*mounted->fs, "ID"), *hostname,
                    version.substr(0, version.find('.'))});
  }
  EXPECT_EQ(ours[0].id, "debian");
  EXPECT_EQ(ours[1].id, "amzn");
  EXPECT_EQ(ours[2].id, ours[0].id);
  const bool tcg = image.info().backend == "guestfs (tcg)";
  opened.image.reset();

  std::string xml = RunVirtInspector(path, tcg);
  // One <operatingsystem> block per root; compare root device, hostname, major version, and the
  // distro where libguestfs knows it (1.48 has no name for Amazon Linux 2023's ID "amzn").
  std::vector<std::string> blocks;
  for (size_t pos = xml.find("<operatingsystem>"); pos != std::string::npos;) {
    size_t end = xml.find("</operatingsystem>", pos);
    if (end == std::string::npos) break;
    blocks.push_back(xml.substr(pos, end - pos));
    pos = xml.find("<operatingsystem>", end);
  }
  ASSERT_EQ(blocks.size(), 2u) << xml;
  for (size_t i = 0; i < 2; ++i) {
    auto block = std::find_if(blocks.begin(), blocks.end(), [&](const std::string& b) {
      auto r = XmlValues(b, "root");
      return !r.empty() && r.front() == ours[i].root;
    });
    ASSERT_NE(block, blocks.end()) << ours[i].root << " is not a root for virt-inspector\n" << xml;
    EXPECT_EQ(XmlValues(*block, "hostname"), std::vector<std::string>{ours[i].hostname});
    EXPECT_EQ(XmlValues(*block, "major_version"), std::vector<std::string>{ours[i].major});
    auto distro = XmlValues(*block, "distro");
    if (ours[i].id == "debian") {
      EXPECT_EQ(distro, std::vector<std::string>{"debian"});
    }
    if (!distro.empty()) {
      EXPECT_EQ(distro.front(), ours[i].id);
    }
  }
}

}  // namespace
}  // namespace imageprobe::images
