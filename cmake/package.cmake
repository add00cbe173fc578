# SPDX-License-Identifier: Apache-2.0
# What `cmake --install` puts beside the binary (scanner/cli/CMakeLists.txt installs the binary,
# man pages and completions), and the Debian package CPack builds from it (tools/package).

# The documents the binary's help and man pages point to.
install(FILES
  ${PROJECT_SOURCE_DIR}/README.md
  ${PROJECT_SOURCE_DIR}/docs/report.schema.json
  ${PROJECT_SOURCE_DIR}/docs/diff.schema.json
  ${PROJECT_SOURCE_DIR}/docs/report-format.md
  ${PROJECT_SOURCE_DIR}/docs/gating.md
  ${PROJECT_SOURCE_DIR}/docs/rules.md
  ${PROJECT_SOURCE_DIR}/packaging/debian/copyright
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Debian policy 12.7: a compressed changelog in the doc directory, made at build time (a native
# package's is changelog.gz).
set(changelog ${CMAKE_CURRENT_BINARY_DIR}/changelog)
string(TIMESTAMP changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${changelog}
  "imageprobe (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
  "  * Built from commit ${IMAGEPROBE_COMMIT}.\n\n"
  " -- imageprobe maintainers <maintainers@imageprobe.invalid>  ${changelog_date}\n")
add_custom_command(OUTPUT ${changelog}.gz
  COMMAND gzip -n -9 -c ${changelog} > ${changelog}.gz
  DEPENDS ${changelog})
add_custom_target(imageprobe_changelog ALL DEPENDS ${changelog}.gz)
install(FILES ${changelog}.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
# lintian's uses-dpkg-database-directly: the binary reads the dpkg status file of the image it
# scans (probes/os, probes/aws), never the host's.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME imageprobe)

set(CPACK_PACKAGE_NAME imageprobe)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})  # the one version, also `imageprobe version`
set(CPACK_PACKAGE_VENDOR "imageprobe")
set(CPACK_PACKAGE_CONTACT "imageprobe maintainers <maintainers@imageprobe.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "offline forensic scanner for cloud and VM disk images")
# One string (a list would lose its semicolons); lines under 80 columns (Debian policy 3.4.1).
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "imageprobe opens a disk image read-only, without booting it, runs probes over\n"
  "each root filesystem and writes a report (text, JSON, SARIF, Markdown, HTML):\n"
  "baked host keys, leftover credentials and registrations before an image is\n"
  "released; what a lifted-and-shifted VM carries from its old platform; and what\n"
  "changed between two versions of an image (who can log in, with which key,\n"
  "under which sshd settings).\n"
  "\n"
  "Directories and tar archives of a root tree are read directly. Disk images\n"
  "(raw, VMDK, qcow2, VHD, VHDX, VDI, OVA) are read by a libguestfs appliance,\n"
  "which needs the recommended packages.")
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # imageprobe_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/imageprobe/imageprobe")
# Depends: what the binary links, as dpkg-shlibdeps computes it. libguestfs is not among them:
# it is loaded when a disk image is opened (images/guestfs/guestfs_library.h), so the appliance's
# ~340 packages (QEMU, libvirt, supermin) are Recommends, installed by default by apt but not
# needed to scan directories and tar archives.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The appliance: libguestfs itself (libguestfs-tools brings it and guestfish), XFS support, a
# kernel for supermin to boot. qemu-utils: the native engine runs its qemu-nbd for qcow2, VMDK,
# VHD, VHDX and VDI (raw disks and bare filesystems need nothing but libext2fs, a Depends).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
  "libguestfs-tools | libguestfs0, libguestfs-xfs, linux-image-amd64 | linux-image-cloud-amd64, qemu-utils")
include(CPack)
