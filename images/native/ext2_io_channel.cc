// SPDX-License-Identifier: Apache-2.0
#include "images/native/ext2_io_channel.h"

#include <cstring>
#include <list>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace imageprobe::images::native {
namespace {

constexpr uint64_t kChunk = 64 * 1024;
constexpr size_t kMaxChunks = 512;            // 32 MiB of cache per open filesystem
constexpr uint64_t kUncachedFrom = 1u << 20;  // a file's big reads go straight through

// Devices waiting for ext2fs_open2 to open them by name.
std::mutex pending_mutex;
std::map<std::string, std::shared_ptr<const BlockDevice>> pending;
uint64_t next_name = 0;

class Channel {
 public:
  explicit Channel(std::shared_ptr<const BlockDevice> device) : device_(std::move(device)) {}

  errcode_t Read(uint64_t offset, size_t length, char* out) {
    if (offset > device_->size() || length > device_->size() - offset) {
      error_ = PastEndMessage(*device_, offset, length);
      return EXT2_ET_SHORT_READ;
    }
    if (length >= kUncachedFrom) return Direct(offset, std::span<char>(out, length));
    while (length > 0) {
      uint64_t chunk = offset / kChunk;
      const std::string* data = Chunk(chunk);
      if (data == nullptr) return EXT2_ET_SHORT_READ;
      size_t within = offset - chunk * kChunk;
      size_t n = std::min<size_t>(length, data->size() - within);
      std::memcpy(out, data->data() + within, n);
      out += n;
      offset += n;
      length -= n;
    }
    return 0;
  }

  const std::string& error() const { return error_; }

 private:
  errcode_t Direct(uint64_t offset, std::span<char> out) {
    if (auto read = device_->ReadAt(offset, out); !read) {
      error_ = read.error();
      return EXT2_ET_SHORT_READ;
    }
    return 0;
  }

  const std::string* Chunk(uint64_t chunk) {
    if (auto it = index_.find(chunk); it != index_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return &it->second->second;
    }
    uint64_t start = chunk * kChunk;
    uint64_t length = std::min(kChunk, device_->size() - start);
    std::string data(length, '\0');
    if (Direct(start, std::span<char>(data.data(), data.size())) != 0) return nullptr;
    if (lru_.size() >= kMaxChunks) {
      index_.erase(lru_.back().first);
      lru_.pop_back();
    }
    lru_.emplace_front(chunk, std::move(data));
    index_[chunk] = lru_.begin();
    return &lru_.front().second;
  }

  std::shared_ptr<const BlockDevice> device_;
  std::list<std::pair<uint64_t, std::string>> lru_;
  std::unordered_map<uint64_t, std::list<std::pair<uint64_t, std::string>>::iterator> index_;
  std::string error_;
};

Channel* Of(io_channel channel) { return static_cast<Channel*>(channel->private_data); }

errcode_t Open(const char* name, int flags, io_channel* result) {
  if (flags & IO_FLAG_RW) return EXT2_ET_RO_FILSYS;
  std::shared_ptr<const BlockDevice> device;
  {
    std::lock_guard lock(pending_mutex);
    auto it = pending.find(name);
    if (it == pending.end()) return EXT2_ET_BAD_DEVICE_NAME;
    device = std::move(it->second);
    pending.erase(it);
  }
  auto* channel = static_cast<io_channel>(std::calloc(1, sizeof(struct struct_io_channel)));
  if (channel == nullptr) return EXT2_ET_NO_MEMORY;
  channel->magic = EXT2_ET_MAGIC_IO_CHANNEL;
  channel->manager = BlockDeviceIoManager();
  channel->name = strdup(name);
  channel->block_size = 1024;
  channel->refcount = 1;
  channel->private_data = new Channel(std::move(device));
  *result = channel;
  return 0;
}

errcode_t Close(io_channel channel) {
  if (--channel->refcount > 0) return 0;
  delete Of(channel);
  std::free(channel->name);
  std::free(channel);
  return 0;
}

errcode_t SetBlockSize(io_channel channel, int size) {
  if (size <= 0) return EXT2_ET_INVALID_ARGUMENT;
  channel->block_size = size;
  return 0;
}

errcode_t Read64(io_channel channel, unsigned long long block, int count, void* data) {
  // A negative count is a byte count (ext2_io.h).
  size_t length = count < 0 ? static_cast<size_t>(-static_cast<int64_t>(count))
                            : static_cast<size_t>(count) * static_cast<size_t>(channel->block_size);
  unsigned long long offset = block * static_cast<unsigned long long>(channel->block_size);
  if (channel->block_size != 0 && offset / static_cast<unsigned>(channel->block_size) != block) {
    return EXT2_ET_SHORT_READ;  // overflow from a corrupt block number
  }
  return Of(channel)->Read(offset, length, static_cast<char*>(data));
}

errcode_t Read32(io_channel channel, unsigned long block, int count, void* data) {
  return Read64(channel, block, count, data);
}

errcode_t Refuse64(io_channel, unsigned long long, int, const void*) { return EXT2_ET_RO_FILSYS; }
errcode_t Refuse32(io_channel, unsigned long, int, const void*) { return EXT2_ET_RO_FILSYS; }
errcode_t RefuseByte(io_channel, unsigned long, int, const void*) { return EXT2_ET_RO_FILSYS; }
errcode_t Flush(io_channel) { return 0; }
errcode_t SetOption(io_channel, const char*, const char*) { return EXT2_ET_INVALID_ARGUMENT; }
errcode_t RefuseRange(io_channel, unsigned long long, unsigned long long) {
  return EXT2_ET_RO_FILSYS;
}

struct struct_io_manager manager = {
    .magic = EXT2_ET_MAGIC_IO_MANAGER,
    .name = "imageprobe block device",
    .open = Open,
    .close = Close,
    .set_blksize = SetBlockSize,
    .read_blk = Read32,
    .write_blk = Refuse32,
    .flush = Flush,
    .write_byte = RefuseByte,
    .set_option = SetOption,
    .get_stats = nullptr,
    .read_blk64 = Read64,
    .write_blk64 = Refuse64,
    .discard = RefuseRange,
    .cache_readahead = nullptr,
    .zeroout = RefuseRange,
    .reserved = {},
};

}  // namespace

io_manager BlockDeviceIoManager() { return &manager; }

std::string NameForOpen(std::shared_ptr<const BlockDevice> device) {
  std::lock_guard lock(pending_mutex);
  std::string name = "imageprobe-device-" + std::to_string(next_name++);
  pending[name] = std::move(device);
  return name;
}

void ForgetName(const std::string& name) {
  std::lock_guard lock(pending_mutex);
  pending.erase(name);
}

std::string LastChannelError(io_channel channel) {
  return channel != nullptr && channel->private_data != nullptr ? Of(channel)->error() : "";
}

}  // namespace imageprobe::images::native
