#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds the disk images the guestfs end-to-end tests scan, from tests/fixtures, into OUTDIR.
# Every format of the list once, each also carrying a layout worth testing, so that the
# suite starts as few appliances as possible. Skips the work when OUTDIR is newer than every
# fixture and builder (the guestfish step alone boots an appliance).
#
#   build-guestfs-images.sh SOURCE_DIR OUTDIR
set -euo pipefail
src=$1 out=$2
make_image=$src/tools/make-image
fx=$src/tests/fixtures
stamp=$out/.built

if [[ -f $stamp ]] && [[ -z $(find "$fx" "$make_image" "$0" -newer "$stamp" -print -quit) ]]; then
  echo "test images up to date in $out"
  exit 0
fi
rm -rf "$out"
mkdir -p "$out"

deb=$fx/debian12
# 200 more homes in /home (enough for GuestfsFs to stream /home whole), one key each, and the
# symlinks the bulk path must keep inside the image: a home that is a relative link to /etc, a
# .ssh linked to /etc and one linked to "../../" (the root). Generated: git keeps no links to
# directories outside the fixture, and the passwd lines are 200.
many=$out/many-homes
mkdir -p "$many/etc" "$many/home"
cp "$fx/layouts/homes/etc/passwd" "$many/etc/passwd"
key=$(head -n1 "$fx/layouts/homes/home/bob/.ssh/authorized_keys")
for i in $(seq -w 0 199); do
  echo "user$i:x:$((2000 + 10#$i)):100::/home/user$i:/bin/bash" >>"$many/etc/passwd"
  mkdir -p "$many/home/user$i"
  case $i in
    007) ln -s /etc "$many/home/user$i/.ssh" ;;
    008) ln -s ../../ "$many/home/user$i/.ssh" ;;
    *) mkdir -p "$many/home/user$i/.ssh"
       echo "$key user$i@bulk" >"$many/home/user$i/.ssh/authorized_keys" ;;
  esac
done
echo "linkhome:x:1999:100::/home/linkhome:/bin/bash" >>"$many/etc/passwd"
ln -s ../../etc "$many/home/linkhome"
# A bare filesystem image, with homes for the bulk path (several users' keys, a home outside
# /home, a symlinked .ssh, the 200 above), and the same tree as a directory to compare both
# backends' facts.
"$make_image" ext4 "$out/bare.ext4" --part rootfs:32:"$deb+$fx/layouts/homes+$many"
mkdir -p "$out/bare-tree"
cp -a "$deb/." "$fx/layouts/homes/." "$many/." "$out/bare-tree/"
# MBR, root + /home partition named by a guest device name in fstab (/dev/xvda2).
"$make_image" vmdk-sparse "$out/split-mbr.vmdk" --table mbr \
  --part rootfs:32:"$deb+$fx/layouts/split-home" --part home:16:"$fx/home"
"$make_image" vmdk-stream "$out/stream.vmdk" --part rootfs:32:"$deb"
"$make_image" vmdk-flat "$out/flat.vmdk" --part rootfs:32:"$deb"
"$make_image" vhd-fixed "$out/fixed.vhd" --table mbr --part rootfs:32:"$deb"
"$make_image" vhd-dynamic "$out/dynamic.vhd" --part rootfs:32:"$deb"
"$make_image" vhdx "$out/disk.vhdx" --part rootfs:32:"$deb"
"$make_image" vdi "$out/disk.vdi" --table mbr --part rootfs:32:"$deb"
"$make_image" ova "$out/appliance.ova" --part rootfs:32:"$deb"
# Two OS roots on one GPT disk.
"$make_image" raw "$out/multi-gpt.img" --part rootfs:32:"$deb" --part amzn-root:32:"$fx/amzn2023"
# No OS: two data filesystems.
"$make_image" raw "$out/no-os.img" --part data:16:"$fx/data" --part home:16:"$fx/home"
# Root whose fstab names a /data partition the kernel will not mount.
"$make_image" raw "$out/partial-mbr.img" --table mbr --corrupt-part 2 \
  --part rootfs:32:"$deb+$fx/layouts/partial" --part data:16:"$fx/data"
# A bare btrfs, which the native engine does not read (the fallback and its reason); mkfs.btrfs
# fills it from the tree without a mount.
truncate -s 128M "$out/btrfs.img"
mkfs.btrfs -q -f --rootdir "$deb" "$out/btrfs.img" >/dev/null
# A crash-consistent snapshot: the root's last changes (a hostname, an sshd drop-in, root's key)
# are committed in its journal and nowhere else, so only a replay shows them.
"$make_image" raw "$out/dirty-journal.img" --part rootfs:32:"$deb" \
  --journal-part 1:"$fx/layouts/dirty-journal"
# XFS and LVM need an appliance: one guestfish session builds both.
"$make_image" guestfish "$out" "$fx"
qemu-img convert -q -f raw -O qcow2 "$out/lvm.img" "$out/lvm.qcow2"
rm -f "$out/lvm.img"
touch "$stamp"
