#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Builds the hostile root tree of issue 7 at test time (nothing big is committed).

    make_hostile_tree.py OUT_DIR [--files N] [--depth N]

OUT_DIR is replaced. The tree holds: symlink loops (self, A<->B, a directory loop through
/etc/ssh), a 2 GiB sparse /root/.ssh/authorized_keys (truncate: no blocks), N files (default
100,000) in one directory that sshd's Include glob lists, binary junk and terminal escape
sequences in every configuration file a probe reads, an sshd Include cycle, a sudoers include
cycle, directories nested as deep as PATH_MAX allows (--depth, default: the most that fits), and
file, user, home, comment and key-comment names carrying newlines, ESC [ 2 J (clear screen),
OSC 52 (set the clipboard) and other control characters. MARKERS lists the raw sequences that
must never reach text output.
"""
import os
import random
import shutil
import subprocess
import sys

CLEAR = "\x1b[2J"
OSC52 = "\x1b]52;c;aW1hZ2Vwcm9iZS1wd25lZA==\x07"  # would put text on the clipboard
TITLE = "\x1b]0;owned\x07"
BELL_CR = "\x07\r\x08\x9b2J"  # BEL, CR, BS and the 8-bit CSI
ESCAPES = CLEAR + OSC52 + TITLE + BELL_CR
# Raw bytes whose presence in any text output is a failure.
MARKERS = ["\x1b", "\x07", "\x08", "\x9b", "\r"]

# Key material: a real ed25519 public key so the comment is parsed and shown.
PUBKEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl")


def junk(seed, size=4096):
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


def write(root, rel, data, mode=0o644):
    path = os.path.join(root, rel.lstrip("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data)
    os.chmod(path, mode)
    return path


def symlink(root, rel, target):
    path = os.path.join(root, rel.lstrip("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(target, path)


def deep_dirs(base, depth):
    """`depth` nested directories named "d" under base, created with relative mkdir so that the
    depth is not limited by PATH_MAX while creating; returns the depth made."""
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            nxt = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = nxt
        os.open("authorized_keys", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=fd)
    finally:
        os.close(fd)
    return depth


def build(out, files=100_000, depth=None):
    if os.path.lexists(out):
        subprocess.run(["rm", "-rf", "--", out], check=True)  # rmtree recurses per level
    os.makedirs(out)
    j = lambda n: junk(n)  # noqa: E731

    # --- identity files: escapes in names, homes, comments, plus junk and NUL bytes
    deep_home = "/home/deep" + "/d" * 40
    write(out, "etc/passwd",
          "root:x:0:0:root:/root:/bin/bash\n"
          f"evil{CLEAR}:x:1000:1000:{OSC52}gecos{TITLE}:/home/evil{CLEAR}:/bin/bash\n"
          f"nl:x:1001:1001:line\rbreak{BELL_CR}:{deep_home}:/bin/sh\n"
          "deep:x:1002:1002::/home/deep:/bin/bash\n"
          + "x" * 100_000 + ":x:5:5::/:/bin/sh\n"
          "nul\0user:x:1003:1003::/home/nul:/bin/sh\n").__str__()
    with open(os.path.join(out, "etc/passwd"), "ab") as f:
        f.write(j(1))
    write(out, "etc/group", f"root:x:0:\nsudo:x:27:evil{CLEAR},nl\nwheel{OSC52}:x:10:root\n"
          .encode() + j(2))
    write(out, "etc/shadow", f"root:$6$salt$hash:19000:0:99999:7:::\nevil{CLEAR}:!:1::::::\n"
          .encode() + j(3), 0o640)
    write(out, "etc/sudoers", f"root ALL=(ALL) ALL\n%sudo{CLEAR} ALL=(ALL) NOPASSWD: ALL\n"
          "@include /etc/sudoers\n#includedir /etc/sudoers.d\n".encode() + j(4), 0o440)
    write(out, "etc/sudoers.d/loop", "@include /etc/sudoers.d/loop\n".encode() + j(5), 0o440)
    write(out, "etc/os-release", f'NAME="Hostile{CLEAR}"\nID=hostile{OSC52}\nVERSION_ID="1{TITLE}"\n'
          f'PRETTY_NAME="{BELL_CR}"\n'.encode() + j(6))
    write(out, "etc/hostname", f"host{CLEAR}{OSC52}\n".encode() + j(7)[:64])
    write(out, "etc/fstab", f"/dev/sda1{CLEAR} / ext4 defaults 0 1\nUUID={OSC52} /data xfs rw 0 0\n"
          .encode() + j(8))
    write(out, "etc/cloud/cloud.cfg", f"users:\n  - name: cloud{CLEAR}\n    ssh_authorized_keys:\n"
          f"      - {PUBKEY} key{OSC52}\n".encode() + j(9))
    write(out, "etc/cloud/cloud.cfg.d/99-junk.cfg", j(10))
    write(out, "etc/amazon/ssm/amazon-ssm-agent.json", b'{"Agent": {"Region": "\x1b[2J' + j(11))
    write(out, "etc/amazon/ssm/seelog.xml", b"<seelog><outputs>\x1b]52;c;x\x07" + j(12))
    write(out, "var/lib/amazon/ssm/registration", b'{"ManagedInstanceID":"mi-\x1b[2J"' + j(13))
    write(out, "etc/ssm/credentials", j(14))
    write(out, "root/.aws/credentials", f"[default{CLEAR}]\naws_access_key_id = AKIA{OSC52}\n"
          .encode() + j(15), 0o600)
    write(out, "etc/opt/aws/amazon-cloudwatch-agent/amazon-cloudwatch-agent.json", j(16))
    write(out, "opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json", j(17))
    write(out, "etc/network/interfaces", f"auto eth0{CLEAR}\n".encode() + j(18))
    write(out, "etc/netplan/50-cloud-init.yaml", j(19))
    write(out, "etc/sysconfig/network-scripts/ifcfg-eth0", f"DEVICE=eth0{OSC52}\n".encode() + j(20))
    write(out, "root/.bash_history", f"export AWS_SECRET_ACCESS_KEY=abc{CLEAR}\n".encode() + j(21))
    write(out, "var/lib/dpkg/status", f"Package: open{CLEAR}ssh\nStatus: install ok installed\n"
          .encode() + j(22))

    # --- sshd: junk, escapes, an Include cycle, and the crowded Include directory
    write(out, "etc/ssh/sshd_config",
          f"Port 22{CLEAR}\nPermitRootLogin yes{OSC52}\nInclude /etc/ssh/sshd_config\n"
          "Include /etc/ssh/cycle/a.conf\nInclude /etc/ssh/sshd_config.d/*.conf\n"
          f"AuthorizedKeysFile .ssh/authorized_keys .ssh/authorized_keys2 /etc/ssh/keys/%u{TITLE}\n".encode() + j(23))
    write(out, "etc/ssh/cycle/a.conf", "Include /etc/ssh/cycle/b.conf\n".encode() + j(24))
    write(out, "etc/ssh/cycle/b.conf", "Include /etc/ssh/cycle/a.conf\n".encode() + j(25))
    crowd = os.path.join(out, "etc/ssh/sshd_config.d")
    os.makedirs(crowd, exist_ok=True)
    for i in range(files):
        open(os.path.join(crowd, f"f{i:06d}"), "wb").close()
    write(out, "etc/ssh/sshd_config.d/z.conf", f"Banner {CLEAR}\n".encode() + j(26))
    write(out, "etc/ssh/ssh_host_ed25519_key.pub", f"{PUBKEY} host{CLEAR}{OSC52}\n".encode())
    write(out, "etc/ssh/ssh_host_rsa_key.pub", j(27))
    # symlink loops: self, A<->B, and a directory loop through /etc/ssh
    symlink(out, "etc/ssh/self", "self")
    symlink(out, "etc/ssh/a", "b")
    symlink(out, "etc/ssh/b", "a")
    symlink(out, "etc/ssh/sub", "/etc/ssh")
    symlink(out, "etc/ssh/ssh_host_ecdsa_key.pub", "/etc/ssh/sub/sub/sub/ssh_host_ecdsa_key.pub")
    symlink(out, "etc/ssh/ssh_host_dsa_key", "/etc/ssh/a")
    symlink(out, "etc/ssh/keys/root", "/etc/ssh/self")

    # --- homes: the sparse authorized_keys, escapes in key comments and file names
    os.makedirs(os.path.join(out, "root/.ssh"), exist_ok=True)
    sparse = os.path.join(out, "root/.ssh/authorized_keys")
    with open(sparse, "wb") as f:
        f.truncate(2 << 30)  # 2 GiB, no data blocks
    write(out, f"home/evil{CLEAR}/.ssh/authorized_keys",
          f'{PUBKEY} alice{CLEAR}{OSC52}\ncommand="{TITLE}" {PUBKEY} bob\n'
          f"{PUBKEY} line\nbreak\n".encode() + j(28), 0o600)
    write(out, f"home/evil{CLEAR}/.ssh/name\nwith{OSC52}newline", b"x")
    write(out, f"home/evil{CLEAR}/.bash_history", j(29))
    symlink(out, "home/loop", "/home/loop")
    symlink(out, "home/nul/.ssh", "/home/nul/.ssh/x")
    write(out, f"home/deep/.ssh/authorized_keys", f"{PUBKEY} deep{CLEAR}\n".encode(), 0o600)
    write(out, f"etc/{CLEAR}name{OSC52}\nnewline.conf", b"x")

    # --- deep nesting: as deep as the host allows for a path under OUT (PATH_MAX 4096), so
    # that the tree can still be copied and imaged by ordinary tools.
    base = os.path.join(out, "home/deep")
    if depth is None:
        depth = (4000 - len(base)) // 2 - 20
    made = deep_dirs(base, depth)
    return made


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    opts = {"--files": 100_000, "--depth": None}
    out = args[0]
    i = 1
    while i < len(args):
        opts[args[i]] = int(args[i + 1])
        i += 2
    depth = build(out, opts["--files"], opts["--depth"])
    print(f"hostile tree in {out}: {opts['--files']} files in /etc/ssh/sshd_config.d, "
          f"/home/deep nested {depth} levels")
