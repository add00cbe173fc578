// SPDX-License-Identifier: Apache-2.0
// A whole disk image in memory: ReadPartitionTable must never hand out a partition that reaches
// past the device (the filesystem layer slices it without checking again), and numbers are
// unique and sorted.
#include <cstddef>
#include <cstdint>
#include <string>

#include "images/native/block_device.h"
#include "images/native/partition_table.h"
#include "tests/fuzz/fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace imageprobe::images::native;
  MemoryDevice disk(std::string(imageprobe::fuzz::AsText(data, size)));
  auto table = ReadPartitionTable(disk);
  if (!table) return 0;
  int previous = 0;
  for (const Partition& p : table->partitions) {
    if (p.size == 0 || p.offset > disk.size() || p.size > disk.size() - p.offset) {
      imageprobe::fuzz::Fail("partition " + std::to_string(p.number) + " lies outside the device");
    }
    if (p.number <= previous) imageprobe::fuzz::Fail("partition numbers not unique and sorted");
    previous = p.number;
  }
  return 0;
}
