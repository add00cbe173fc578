// SPDX-License-Identifier: Apache-2.0
// Forwarders for the libguestfs functions imageprobe calls, over a dlopen'ed libguestfs.so.0
// (see guestfs_library.h). References: dlopen(3), dlsym(3); guestfs(3) "ABI GUARANTEE" (the
// soname stays libguestfs.so.0 and functions are never removed), which is what makes binding
// by name at run time as safe as the link-time binding it replaces.
#include "images/guestfs/guestfs_library.h"

#include <dlfcn.h>
#include <guestfs.h>

#include <cstdarg>
#include <mutex>

namespace imageprobe::images {
namespace {

constexpr const char* kSoname = "libguestfs.so.0";

// X(name) for every function forwarded below; a function missing from the installed library
// makes the whole library unusable rather than failing halfway through a scan.
// One function per line, kept from clang-format, which would re-flow the list.
// clang-format off
#define IMAGEPROBE_GUESTFS_FUNCTIONS(X) \
  X(guestfs_add_drive_opts_va) \
  X(guestfs_blkid) \
  X(guestfs_close) \
  X(guestfs_create) \
  X(guestfs_free_dirent_list) \
  X(guestfs_free_partition_list) \
  X(guestfs_free_statns) \
  X(guestfs_free_statns_list) \
  X(guestfs_get_hv) \
  X(guestfs_glob_expand) \
  X(guestfs_inspect_get_mountpoints) \
  X(guestfs_inspect_os) \
  X(guestfs_last_errno) \
  X(guestfs_last_error) \
  X(guestfs_launch) \
  X(guestfs_list_filesystems) \
  X(guestfs_list_partitions) \
  X(guestfs_lstatns) \
  X(guestfs_lstatnslist) \
  X(guestfs_lvm_canonical_lv_name) \
  X(guestfs_lvs) \
  X(guestfs_mount_ro) \
  X(guestfs_part_list) \
  X(guestfs_pread) \
  X(guestfs_readdir) \
  X(guestfs_readlink) \
  X(guestfs_readlinklist) \
  X(guestfs_set_autosync) \
  X(guestfs_set_backend_setting) \
  X(guestfs_set_error_handler) \
  X(guestfs_tar_out_opts_va) \
  X(guestfs_umount_all) \
  X(guestfs_version) \
  X(guestfs_free_version) \
  X(guestfs_vfs_type)
// clang-format on

struct Library {
#define IMAGEPROBE_MEMBER(name) decltype(&::name) name = nullptr;
  IMAGEPROBE_GUESTFS_FUNCTIONS(IMAGEPROBE_MEMBER)
#undef IMAGEPROBE_MEMBER
  std::optional<std::string> problem;
};

Library Load() {
  Library lib;
  // RTLD_LOCAL: the library's symbols must not satisfy anything else; ours are the forwarders.
  void* handle = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    lib.problem = why != nullptr ? why : std::string(kSoname) + ": cannot be loaded";
    return lib;
  }
#define IMAGEPROBE_RESOLVE(name)                                                    \
  if (!lib.problem) {                                                               \
    lib.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));           \
    if (lib.name == nullptr) lib.problem = std::string(kSoname) + " has no " #name; \
  }
  IMAGEPROBE_GUESTFS_FUNCTIONS(IMAGEPROBE_RESOLVE)
#undef IMAGEPROBE_RESOLVE
  return lib;  // never dlclose'd: handles may live until exit
}

const Library& Lib() {
  static const Library lib = Load();  // C++ magic statics: loaded once, thread-safe
  return lib;
}

}  // namespace

std::optional<std::string> GuestfsLibraryProblem() { return Lib().problem; }

std::string GuestfsLibraryAdvice(const std::string& problem) {
  return "disk images are read with libguestfs, which is not usable here (" + problem +
         "); install libguestfs0, libguestfs-xfs and linux-image-amd64 (apt-get install "
         "--install-recommends imageprobe); directories and tar archives need none of them";
}

}  // namespace imageprobe::images

using imageprobe::images::Lib;

// Only guestfs_create can be reached without a handle; the others are called with the handle
// it returned, so the library is loaded by then.
extern "C" {

guestfs_h* guestfs_create(void) { return Lib().problem ? nullptr : Lib().guestfs_create(); }
void guestfs_close(guestfs_h* g) { Lib().guestfs_close(g); }
void guestfs_set_error_handler(guestfs_h* g, guestfs_error_handler_cb cb, void* opaque) {
  Lib().guestfs_set_error_handler(g, cb, opaque);
}
const char* guestfs_last_error(guestfs_h* g) { return Lib().guestfs_last_error(g); }
int guestfs_last_errno(guestfs_h* g) { return Lib().guestfs_last_errno(g); }
char* guestfs_get_hv(guestfs_h* g) { return Lib().guestfs_get_hv(g); }
struct guestfs_version* guestfs_version(guestfs_h* g) {
  return Lib().guestfs_version(g);
}
void guestfs_free_version(struct guestfs_version* v) { Lib().guestfs_free_version(v); }
int guestfs_set_autosync(guestfs_h* g, int autosync) {
  return Lib().guestfs_set_autosync(g, autosync);
}
int guestfs_set_backend_setting(guestfs_h* g, const char* name, const char* val) {
  return Lib().guestfs_set_backend_setting(g, name, val);
}
int guestfs_add_drive_opts(guestfs_h* g, const char* filename, ...) {
  va_list args;
  va_start(args, filename);
  int rc = Lib().guestfs_add_drive_opts_va(g, filename, args);
  va_end(args);
  return rc;
}
int guestfs_launch(guestfs_h* g) { return Lib().guestfs_launch(g); }
char** guestfs_inspect_os(guestfs_h* g) { return Lib().guestfs_inspect_os(g); }
char** guestfs_inspect_get_mountpoints(guestfs_h* g, const char* root) {
  return Lib().guestfs_inspect_get_mountpoints(g, root);
}
char** guestfs_list_filesystems(guestfs_h* g) { return Lib().guestfs_list_filesystems(g); }
char** guestfs_list_partitions(guestfs_h* g) { return Lib().guestfs_list_partitions(g); }
struct guestfs_partition_list* guestfs_part_list(guestfs_h* g, const char* device) {
  return Lib().guestfs_part_list(g, device);
}
void guestfs_free_partition_list(struct guestfs_partition_list* list) {
  Lib().guestfs_free_partition_list(list);
}
char** guestfs_blkid(guestfs_h* g, const char* device) { return Lib().guestfs_blkid(g, device); }
char** guestfs_lvs(guestfs_h* g) { return Lib().guestfs_lvs(g); }
char* guestfs_lvm_canonical_lv_name(guestfs_h* g, const char* lvname) {
  return Lib().guestfs_lvm_canonical_lv_name(g, lvname);
}
char* guestfs_vfs_type(guestfs_h* g, const char* mountable) {
  return Lib().guestfs_vfs_type(g, mountable);
}
int guestfs_mount_ro(guestfs_h* g, const char* mountable, const char* mountpoint) {
  return Lib().guestfs_mount_ro(g, mountable, mountpoint);
}
int guestfs_umount_all(guestfs_h* g) { return Lib().guestfs_umount_all(g); }
struct guestfs_statns* guestfs_lstatns(guestfs_h* g, const char* path) {
  return Lib().guestfs_lstatns(g, path);
}
void guestfs_free_statns(struct guestfs_statns* st) { Lib().guestfs_free_statns(st); }
struct guestfs_statns_list* guestfs_lstatnslist(guestfs_h* g, const char* path,
                                                char* const* names) {
  return Lib().guestfs_lstatnslist(g, path, names);
}
void guestfs_free_statns_list(struct guestfs_statns_list* list) {
  Lib().guestfs_free_statns_list(list);
}
struct guestfs_dirent_list* guestfs_readdir(guestfs_h* g, const char* dir) {
  return Lib().guestfs_readdir(g, dir);
}
void guestfs_free_dirent_list(struct guestfs_dirent_list* list) {
  Lib().guestfs_free_dirent_list(list);
}
char* guestfs_readlink(guestfs_h* g, const char* path) { return Lib().guestfs_readlink(g, path); }
char** guestfs_readlinklist(guestfs_h* g, const char* path, char* const* names) {
  return Lib().guestfs_readlinklist(g, path, names);
}
char** guestfs_glob_expand(guestfs_h* g, const char* pattern) {
  return Lib().guestfs_glob_expand(g, pattern);
}
char* guestfs_pread(guestfs_h* g, const char* path, int count, int64_t offset, size_t* size_r) {
  return Lib().guestfs_pread(g, path, count, offset, size_r);
}
int guestfs_tar_out_opts(guestfs_h* g, const char* directory, const char* tarfile, ...) {
  va_list args;
  va_start(args, tarfile);
  int rc = Lib().guestfs_tar_out_opts_va(g, directory, tarfile, args);
  va_end(args);
  return rc;
}

}  // extern "C"
