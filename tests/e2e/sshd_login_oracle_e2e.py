#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""End-to-end: who can log in, decided by the real OpenSSH sshd, compared with imageprobe.

    sshd_login_oracle_e2e.py IMAGEPROBE SCRATCH_DIR [--list] [unittest args]
    ORACLE_CASE=name[,name...] sshd_login_oracle_e2e.py ...   # run only these cases
    ORACLE_KEEP=1 ...                                         # keep the case trees and logs

Needs root, Debian 12's openssh-server (/usr/sbin/sshd 9.2p1), sshpass, unshare and openssl.

The cases (CASES below) are data: an sshd_config (plus drop-ins), users with passwords, shadow
fields, keys and home modes, /etc/nologin, and the login attempts to make. For each case the
test builds one root tree TREE (what imageprobe scans) and runs the real sshd over that same
tree in a private mount namespace: a copy of the host's /etc with TREE's passwd, shadow, group,
gshadow, ssh/, pam.d/ and nologin over /etc, TREE/home over /home, TREE/root over /root. The
machine's own accounts are never touched; sshd listens on 127.0.0.1 only, on a free port, and is
killed when the case ends. Only options that cannot change an access decision are given with -o
(ListenAddress, PidFile, LogLevel=VERBOSE for the evidence lines).

Each attempt is one ssh (or sshpass + ssh) run, bounded by `timeout`; its outcome is read from
sshd's log alone: `Accepted <method> for USER` is a login (a guard also treats a following
`Access denied for user USER by PAM account configuration` as a refusal, though 9.2 logs that
instead of Accepted, see below); `Partial publickey` is not a login. Like the nologin shell,
"accepted" means sshd authenticated the user: what the session does next is not the question.

What Debian 12's sshd 9.2p1 really does, as recorded here (the surprises):
- Expired account (shadow field 8 = 1), UsePAM yes: the key matches ("Accepted key ... found at")
  and the right password is given, yet sshd logs "Failed publickey" / "Failed password" and then
  "Access denied for user old by PAM account configuration [preauth]"; never "Accepted".
- Expired account, UsePAM no: "Account old has expired" followed by "User old not allowed because
  account is locked"; from then on sshd treats it as an invalid user ("Failed password for
  invalid user old"), as it does for "!"-locked accounts under UsePAM no.
- A "!" shadow field (useradd's default, no hash at all) locks key logins out under UsePAM no; "*"
  does not. Under UsePAM yes neither sshd nor pam_unix's account stage looks at the "!".
- /etc/nologin: under UsePAM yes pam_nologin refuses non-root users in the account stage ("Access
  denied ... by PAM account configuration"), root still logs in. Under UsePAM no sshd logs
  "Accepted" and only the session refuses (the client gets /etc/nologin's text, exit 254).
- PermitRootLogin forced-commands-only with a plain key: "ROOT LOGIN REFUSED", then the
  unprivileged child logs "Root login accepted for forced command. [preauth]" and the monitor
  "monitor_child_preauth: unexpected authentication from 102" and drops the connection.
- sshd opens authorized_keys as the user: a root-owned 0600 file is "Could not open user ...
  authorized keys ...: Permission denied", even with StrictModes no. A root-owned 0644 one is fine.
- Debian's user-group-modes patch: a group-writable home, .ssh or authorized_keys passes
  StrictModes when the group's only member (by primary gid or member list) is the owner; a second
  member, even one who only has it as primary group, fails it.
- An empty password sent (sshpass -p '') under PermitEmptyPasswords no is logged "Failed none",
  never "Failed password"; a failed first "none" is not logged at all.
- A key type outside PubkeyAcceptedAlgorithms: "userauth_pubkey: signature algorithm ssh-dss not
  in PubkeyAcceptedAlgorithms [preauth]" (the client is told +ssh-dss so that it offers DSA);
  RequiredRSASize 2048 with a 1024-bit key: "refusing RSA key: Invalid key length [preauth]";
  from= that does not match: "Authentication tried for opt with correct key but not from a
  permitted host"; expiry-time in the past: "Refused by key options".

Two checks:

- test_sshd_matches_recorded_behaviour: sshd's outcomes equal the ones recorded in CASES (the
  ground truth established on Debian 12's openssh-server 1:9.2p1-2+deb12u*, surprises noted in
  comments). A deviation means the harness broke or sshd changed: read the table it prints.
- test_imageprobe_agrees_with_sshd: `imageprobe scan TREE --format json --as-of 2026-12-01`
  decides the same: a key attempt against the fact ssh/authorized_key "USER|SHA256:..." (no
  fact is "refused"), password / keyboard-interactive / none against users/user
  data.access.methods, a key-then-password attempt against data.access.chains. imageprobe's
  "conditional" (from="10.0.0.0/8", AllowUsers user@10.*, Match Address) cannot be compared from
  127.0.0.1; such decisions are counted apart, and where the case records that the condition
  cannot hold from 127.0.0.1, sshd must have refused. Every disagreement is printed in one table.
"""
import concurrent.futures
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

BINARY = SCRATCH = None
SSHD = "/usr/sbin/sshd"
AS_OF = "2026-12-01"
ATTEMPT_TIMEOUT = 10  # seconds per ssh run (timeout(1)); ConnectTimeout=5 inside it
PARALLEL = 4          # cases at once, one sshd each; attempts within a case are sequential
SSHD_UID = 105        # the privilege-separation user sshd:x:SSHD_UID:65534 of every case

# Debian 12's shipped /etc/ssh/sshd_config (comments dropped). A case's own global lines come
# before it, so they win (sshd keeps the first value of a keyword), and its Match blocks after.
DEBIAN_SSHD_CONFIG = """\
Include /etc/ssh/sshd_config.d/*.conf
KbdInteractiveAuthentication no
UsePAM yes
X11Forwarding yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
"""

# Key types by label prefix: the label names one key pair per user (ssh-keygen, once).
KEY_TYPES = {
    "ed": ["-t", "ed25519"],
    "ecdsa": ["-t", "ecdsa", "-b", "256"],
    "rsa3072": ["-t", "rsa", "-b", "3072"],
    "rsa1024": ["-t", "rsa", "-b", "1024"],
    "dsa": ["-t", "dsa"],  # ssh-keygen 9.2 still makes DSA keys; sshd 9.2 refuses them by default
}


# ---------------------------------------------------------------------------------------------
# Case declarations

def user(name, uid, gid=None, groups=(), shell="/bin/bash", password=None, shadow=None,
         expire="", home=None, home_mode=0o755, home_gid=None, ssh_mode=0o700, ak_mode=0o600,
         ak_uid=None, keys=(), make_home=True):
    """One account. password: the plain text (hashed with openssl passwd -6) or None (shadow
    "*"). shadow: the literal shadow password field; "{hash}" in it is the password's hash.
    keys: (label, options, file) with file relative to the home (or absolute in the tree)."""
    return dict(name=name, uid=uid, gid=uid if gid is None else gid, groups=list(groups),
                shell=shell, password=password, shadow=shadow, expire=expire,
                home=home or ("/root" if uid == 0 and name == "root" else "/home/" + name),
                home_mode=home_mode, home_gid=home_gid, ssh_mode=ssh_mode, ak_mode=ak_mode,
                ak_uid=ak_uid, keys=[k if isinstance(k, tuple) else (k, "", None) for k in keys],
                make_home=make_home)


def key(label, options="", file=None):
    return (label, options, file)


def root(**kw):
    kw.setdefault("password", "root-pw")
    kw.setdefault("home_mode", 0o700)
    return user("root", 0, **kw)


def case(name, users, attempts, conf="", match="", raw=None, dropins=None, groups=(),
         nologin=False, files=None, note=""):
    """attempts: (user, what, sshd_outcome[, cond]) with what one of key:LABEL, password, kbd,
    none, chain:LABEL (the key, then the password, in one ssh run). sshd_outcome is what the
    real sshd decided from 127.0.0.1 (the recorded ground truth). cond, for decisions imageprobe
    may call conditional: "cannot-hold" when the condition cannot hold for 127.0.0.1."""
    text = raw if raw is not None else conf + DEBIAN_SSHD_CONFIG + match
    return dict(name=name, users=users, attempts=[tuple(a) + (None,) * (4 - len(a))
                                                  for a in attempts],
                config=text, dropins=dropins or {}, groups=list(groups), nologin=nologin,
                files=files or {}, note=note)


A, R = "accepted", "refused"

CASES = [
    case("pubkey_types_default",
         [user("alice", 1001, password="alice-pw",
               keys=["ed", "ecdsa", "rsa3072", "rsa1024", "dsa"])],
         [("alice", "key:ed", A), ("alice", "key:ecdsa", A), ("alice", "key:rsa3072", A),
          # RequiredRSASize defaults to 1024 in 9.2: a 1024-bit key is exactly allowed.
          ("alice", "key:rsa1024", A),
          # ssh-dss is not in 9.2's default PubkeyAcceptedAlgorithms. (The client is told
          # PubkeyAcceptedAlgorithms=+ssh-dss so that it offers the key; the refusal is sshd's.)
          ("alice", "key:dsa", R),
          ("alice", "password", A),
          # Debian ships KbdInteractiveAuthentication no.
          ("alice", "kbd", R)]),
    case("dsa_enabled",
         [user("alice", 1001, keys=["dsa", "rsa1024"])],
         [("alice", "key:dsa", A), ("alice", "key:rsa1024", A)],
         conf="PubkeyAcceptedAlgorithms +ssh-dss\n"),
    case("required_rsa_size_2048",
         [user("alice", 1001, keys=["rsa1024", "rsa3072", "ed"])],
         [("alice", "key:rsa1024", R), ("alice", "key:rsa3072", A), ("alice", "key:ed", A)],
         conf="RequiredRSASize 2048\n"),
    case("pubkey_algorithms_minus_ed25519",
         [user("alice", 1001, keys=["ed", "ecdsa", "rsa3072"])],
         [("alice", "key:ed", R), ("alice", "key:ecdsa", A), ("alice", "key:rsa3072", A)],
         conf="PubkeyAcceptedAlgorithms -ssh-ed25519\n"),
    case("pubkey_authentication_no_match_yes",
         [user("alice", 1001, keys=["ed"]), user("bob", 1002, keys=["ed"])],
         [("alice", "key:ed", A), ("bob", "key:ed", R)],
         conf="PubkeyAuthentication no\n",
         match="Match User alice\n    PubkeyAuthentication yes\n"),
    case("kbdint_yes_pam_yes",
         [user("alice", 1001, password="alice-pw")],
         # kbd-int through PAM answers pam_unix's "Password:" prompt: a login with only
         # PasswordAuthentication no. The classic "PasswordAuthentication no is not enough".
         [("alice", "kbd", A), ("alice", "password", R)],
         conf="KbdInteractiveAuthentication yes\nPasswordAuthentication no\n"),
    case("kbdint_yes_pam_no",
         [user("alice", 1001, password="alice-pw")],
         # Without PAM there is no kbd-int device on Linux (no BSD auth): refused.
         [("alice", "kbd", R), ("alice", "password", A)],
         conf="KbdInteractiveAuthentication yes\nUsePAM no\n"),
    case("password_pam_no",
         [user("alice", 1001, password="alice-pw"), user("bob", 1002, password="bob-pw")],
         [("alice", "password", A), ("bob", "password", A)],
         conf="UsePAM no\n"),
    case("match_user_password_pubkey",
         [user("alice", 1001, password="alice-pw", keys=["ed"]),
          user("bob", 1002, password="bob-pw", keys=["ed"])],
         [("alice", "password", R), ("bob", "password", A),
          ("alice", "key:ed", R), ("bob", "key:ed", A)],
         conf="PasswordAuthentication no\n",
         match="Match User bob\n    PasswordAuthentication yes\n"
               "Match User alice\n    PubkeyAuthentication no\n"),
    case("match_group",
         [user("alice", 1001, groups=["admins"], password="alice-pw", keys=["ed"]),
          user("bob", 1002, gid=2000, password="bob-pw"),
          user("carol", 1003, groups=["nokeys"], password="carol-pw", keys=["ed"])],
         # Match Group sees the primary group too (bob's gid is admins, listed nowhere).
         [("alice", "password", A), ("bob", "password", A), ("carol", "password", R),
          ("alice", "key:ed", A), ("carol", "key:ed", R)],
         groups=[("admins", 2000, ["alice"]), ("nokeys", 2001, ["carol"])],
         conf="PasswordAuthentication no\n",
         match="Match Group admins\n    PasswordAuthentication yes\n"
               "Match Group nokeys\n    PubkeyAuthentication no\n"),
    case("match_user_root",
         [root(keys=["ed"]), user("alice", 1001, keys=["ed"])],
         [("root", "key:ed", A), ("root", "password", A), ("alice", "key:ed", A)],
         conf="PermitRootLogin no\n",
         match="Match User root\n    PermitRootLogin yes\n"),
    case("match_address_password",
         [user("alice", 1001, password="alice-pw")],
         # imageprobe cannot know the client address: conditional; from 127.0.0.1 it holds.
         [("alice", "password", A, "holds")],
         conf="PasswordAuthentication no\n",
         match="Match Address 127.0.0.1\n    PasswordAuthentication yes\n"),
    case("root_yes",
         [root(keys=["ed"])],
         [("root", "key:ed", A), ("root", "password", A)],
         conf="PermitRootLogin yes\n"),
    case("root_prohibit_password",
         [root(keys=["ed"]), user("toor", 0, gid=0, password="toor-pw", keys=["ed"])],
         # PermitRootLogin is about uid 0, not the name: toor is root too.
         [("root", "key:ed", A), ("root", "password", R),
          ("toor", "key:ed", A), ("toor", "password", R)],
         conf="PermitRootLogin prohibit-password\n"),
    case("root_forced_commands_only",
         [root(keys=["ed", key("cmd", 'command="true"')])],
         [("root", "key:ed", R), ("root", "key:cmd", A), ("root", "password", R)],
         conf="PermitRootLogin forced-commands-only\n"),
    case("root_no",
         [root(keys=["ed"]), user("toor", 0, gid=0, keys=["ed"])],
         [("root", "key:ed", R), ("root", "password", R), ("toor", "key:ed", R)],
         conf="PermitRootLogin no\n"),
    case("root_without_password_alias",
         [root(keys=["ed"])],
         # "without-password" is the old spelling of prohibit-password.
         [("root", "key:ed", A), ("root", "password", R)],
         conf="PermitRootLogin without-password\n"),
    case("match_group_root",
         [root(groups=["wheel"], keys=["ed"]), user("alice", 1001, groups=["wheel"],
                                                  password="alice-pw")],
         [("root", "password", A), ("root", "key:ed", A), ("alice", "password", A)],
         groups=[("wheel", 2500, [])], conf="PermitRootLogin no\n",
         match="Match Group wheel\n    PermitRootLogin yes\n"),
    case("match_user_negated_pattern",
         [user("alice", 1001, password="alice-pw"), user("bob", 1002, password="bob-pw")],
         [("alice", "password", A), ("bob", "password", R)],
         match="Match User *,!alice\n    PasswordAuthentication no\n"),
    case("root_default_compiled",
         [root(keys=["ed"])],
         # No PermitRootLogin anywhere: the compiled default prohibit-password.
         [("root", "key:ed", A), ("root", "password", R)]),
    case("allow_users",
         [root(keys=["ed"]), user("alice", 1001, keys=["ed"]), user("bob", 1002, keys=["ed"]),
          user("carol", 1003, password="carol-pw", keys=["ed"])],
         [("alice", "key:ed", A), ("bob", "key:ed", R),
          # carol@10.* : the host part cannot match 127.0.0.1.
          ("carol", "key:ed", R, "cannot-hold"), ("carol", "password", R, "cannot-hold"),
          ("root", "key:ed", R)],
         conf="AllowUsers alice carol@10.*\n"),
    case("deny_users",
         [user("alice", 1001, keys=["ed"]), user("bob", 1002, keys=["ed"]),
          user("dave", 1004, keys=["ed"])],
         # dave@10.* cannot match 127.0.0.1, so dave is not denied from here.
         [("alice", "key:ed", A), ("bob", "key:ed", R), ("dave", "key:ed", A, "holds")],
         conf="DenyUsers bob dave@10.*\n"),
    case("allow_deny_precedence",
         [user("alice", 1001, groups=["staff2"], keys=["ed"]),
          user("bob", 1002, groups=["staff2"], keys=["ed"]),
          user("carol", 1003, keys=["ed"])],
         # Every Allow*/Deny* must pass: bob is allowed by name but denied; carol is allowed by
         # name but not in AllowGroups.
         [("alice", "key:ed", A), ("bob", "key:ed", R), ("carol", "key:ed", R)],
         groups=[("staff2", 2100, ["alice", "bob"])],
         conf="AllowUsers alice bob carol\nDenyUsers bob\nAllowGroups staff2\n"),
    case("allow_groups",
         [user("alice", 1001, groups=["sshusers"], keys=["ed"]),
          user("bob", 1002, gid=2200, keys=["ed"]),
          user("carol", 1003, keys=["ed"])],
         # AllowGroups counts the primary group (bob's gid 2200 is sshusers, member list empty).
         [("alice", "key:ed", A), ("bob", "key:ed", A), ("carol", "key:ed", R)],
         groups=[("sshusers", 2200, ["alice"])],
         conf="AllowGroups sshusers\n"),
    case("deny_groups",
         [user("alice", 1001, groups=["banned"], keys=["ed"]),
          user("bob", 1002, keys=["ed"]),
          user("erin", 1005, gid=2300, keys=["ed"])],
         [("alice", "key:ed", R), ("bob", "key:ed", A), ("erin", "key:ed", R)],
         groups=[("banned", 2300, ["alice"])],
         conf="DenyGroups banned\n"),
    case("empty_password_permitted",
         [user("emma", 1010, shadow=""), user("bob", 1002, password="bob-pw")],
         # The client's own first request, method none, logs in emma (no password sent).
         [("emma", "none", A), ("bob", "none", R)],
         conf="PermitEmptyPasswords yes\n"),
    case("empty_password_not_permitted",
         [user("emma", 1010, shadow="")],
         [("emma", "none", R), ("emma", "password", R)],
         conf="PermitEmptyPasswords no\n"),
    case("empty_password_permitted_pam_no",
         [user("emma", 1010, shadow="")],
         [("emma", "none", A)],
         conf="PermitEmptyPasswords yes\nUsePAM no\n"),
    case("empty_password_permitted_password_auth_no",
         [user("emma", 1010, shadow="")],
         # none with an empty password is password authentication: PasswordAuthentication no
         # turns it off too.
         [("emma", "none", R)],
         conf="PermitEmptyPasswords yes\nPasswordAuthentication no\n"),
    case("locked_pam_yes",
         [user("lock", 1020, password="lock-pw", shadow="!{hash}", keys=["ed"]),
          user("bang", 1021, shadow="!", keys=["ed"]),
          user("star", 1022, shadow="*", keys=["ed"])],
         # With UsePAM yes sshd does not look at the "!" itself and pam_unix's account stage
         # does not either: a locked account still logs in with a key.
         [("lock", "key:ed", A), ("lock", "password", R), ("bang", "key:ed", A),
          ("star", "key:ed", A)]),
    case("locked_pam_no",
         [user("lock", 1020, password="lock-pw", shadow="!{hash}", keys=["ed"]),
          user("bang", 1021, shadow="!", keys=["ed"]),
          user("star", 1022, shadow="*", keys=["ed"])],
         # UsePAM no: sshd refuses a shadow field starting with "!" ("account is locked") for
         # every method, so useradd's default "!" locks keys out too; "*" is not "locked".
         [("lock", "key:ed", R), ("lock", "password", R), ("bang", "key:ed", R),
          ("star", "key:ed", A)],
         conf="UsePAM no\n"),
    case("expired_pam_yes",
         [user("old", 1030, password="old-pw", expire="1", keys=["ed"]),
          user("alice", 1001, keys=["ed"])],
         [("old", "key:ed", R), ("old", "password", R), ("alice", "key:ed", A)]),
    case("expired_pam_no",
         [user("old", 1030, password="old-pw", expire="1", keys=["ed"])],
         [("old", "key:ed", R), ("old", "password", R)],
         conf="UsePAM no\n"),
]

# StrictModes: the same homes under yes and no. Debian's user-group-modes patch accepts a
# group-writable home or .ssh when the group's only member (primary gid or member list) is the
# owner; any other member, by primary gid or by list, refuses.
STRICT_USERS = [
    user("priv", 1040, home_mode=0o775, keys=["ed"]),
    user("shared", 1041, home_mode=0o775, home_gid=2400, keys=["ed"]),
    user("cohab", 1042, home_mode=0o775, keys=["ed"]),
    user("lodger", 1043, gid=1042, keys=["ed"]),
    user("wws", 1044, ssh_mode=0o777, keys=["ed"]),
    # authorized_keys owned by another user or by root: readable (0644) for the ownership test.
    user("foreign", 1045, ak_uid=1040, ak_mode=0o644, keys=["ed"]),
    user("rootak", 1046, ak_uid=0, ak_mode=0o644, keys=["ed"]),
    # Root-owned and 0600: sshd opens authorized_keys as the user ("Could not open user
    # 'rootak600' authorized keys ...: Permission denied"), under StrictModes no as well.
    user("rootak600", 1049, ak_uid=0, keys=["ed"]),
    user("wwhome", 1047, home_mode=0o777, keys=["ed"]),
    user("akgw", 1048, ak_mode=0o664, keys=["ed"]),
]
STRICT_GROUPS = [("devs", 2400, ["shared", "priv"]), ("cohab", 1042, [])]
CASES += [
    case("strictmodes_yes", STRICT_USERS,
         [("priv", "key:ed", A), ("shared", "key:ed", R), ("cohab", "key:ed", R),
          ("lodger", "key:ed", A), ("wws", "key:ed", R), ("foreign", "key:ed", R),
          # A root-owned authorized_keys is fine (root may own anything on the path).
          ("rootak", "key:ed", A), ("wwhome", "key:ed", R),
          # authorized_keys 0664 with the private group: accepted by the same patch.
          ("akgw", "key:ed", A), ("rootak600", "key:ed", R)],
         groups=STRICT_GROUPS, conf="StrictModes yes\n"),
    case("strictmodes_no", STRICT_USERS,
         [("priv", "key:ed", A), ("shared", "key:ed", A), ("cohab", "key:ed", A),
          ("wws", "key:ed", A), ("foreign", "key:ed", A), ("wwhome", "key:ed", A),
          ("akgw", "key:ed", A), ("rootak", "key:ed", A), ("rootak600", "key:ed", R)],
         groups=STRICT_GROUPS, conf="StrictModes no\n"),
    case("key_options",
         [user("opt", 1050, keys=[key("restrict", "restrict"), key("cmd", 'command="true"'),
                                  key("from10", 'from="10.0.0.0/8"'),
                                  key("fromlo", 'from="127.0.0.1"'),
                                  key("expired", 'expiry-time="19700102"'),
                                  key("future", 'expiry-time="20991231"'),
                                  key("nopty", "no-pty"),
                                  key("multi", 'no-pty,restrict,command="true"')])],
         [("opt", "key:restrict", A), ("opt", "key:cmd", A),
          ("opt", "key:from10", R, "cannot-hold"), ("opt", "key:fromlo", A, "holds"),
          ("opt", "key:expired", R), ("opt", "key:future", A), ("opt", "key:nopty", A),
          ("opt", "key:multi", A)]),
    case("authentication_methods",
         [user("alice", 1001, password="alice-pw", keys=["ed"])],
         # The key alone is "Partial publickey": not a login. Password alone: not offered.
         [("alice", "key:ed", R), ("alice", "chain:ed", A), ("alice", "password", R)],
         conf="AuthenticationMethods publickey,password\n"),
    case("authentication_methods_match",
         [user("alice", 1001, password="alice-pw", keys=["ed"]),
          user("bob", 1002, password="bob-pw", keys=["ed"])],
         [("alice", "key:ed", R), ("alice", "chain:ed", A), ("bob", "key:ed", A),
          ("bob", "password", A)],
         match="Match User alice\n    AuthenticationMethods publickey,password\n"),
    case("shells",
         [user("ghost", 1060, shell="/bin/nosuchshell", password="ghost-pw", keys=["ed"]),
          user("nol", 1061, shell="/usr/sbin/nologin", password="nol-pw", keys=["ed"]),
          user("noshell", 1062, shell="", keys=["ed"])],
         # A missing shell is refused before any method ("shell ... does not exist"); nologin
         # authenticates (Accepted), the session then prints "This account is currently not
         # available."; an empty shell field is /bin/sh.
         [("ghost", "key:ed", R), ("ghost", "password", R), ("nol", "key:ed", A),
          ("nol", "password", A), ("noshell", "key:ed", A)]),
    case("missing_home",
         [user("nohome", 1070, password="nohome-pw", keys=["ed"], make_home=False)],
         # No home: no authorized_keys to read; a password still logs in (to "/").
         [("nohome", "key:ed", R), ("nohome", "password", A)]),
    case("nologin_pam_yes",
         [root(keys=["ed"]), user("alice", 1001, password="alice-pw", keys=["ed"])],
         [("alice", "key:ed", R), ("alice", "password", R), ("root", "key:ed", A)],
         nologin=True),
    case("nologin_pam_no",
         [root(keys=["ed"]), user("alice", 1001, password="alice-pw", keys=["ed"])],
         [("alice", "key:ed", A), ("alice", "password", A), ("root", "key:ed", A)],
         nologin=True, conf="UsePAM no\n"),
    case("dropin_first_wins",
         [root(keys=["ed"]), user("alice", 1001, password="alice-pw")],
         # Debian's sshd_config starts with the Include: a drop-in's value beats the same
         # keyword later in sshd_config (first value wins), as cloud-init's 50-cloud-init.conf.
         [("alice", "password", R), ("root", "key:ed", R)],
         raw=DEBIAN_SSHD_CONFIG + "PasswordAuthentication yes\nPermitRootLogin yes\n",
         dropins={"50-cloud-init.conf": "PasswordAuthentication no\n",
                  "60-root.conf": "PermitRootLogin no\n"}),
    case("authorized_keys2_default",
         [user("alice", 1001, keys=[key("ed", "", ".ssh/authorized_keys2"), "ecdsa"])],
         # The compiled default AuthorizedKeysFile is ".ssh/authorized_keys .ssh/authorized_keys2".
         [("alice", "key:ed", A), ("alice", "key:ecdsa", A)]),
    case("authorized_keys_file_custom",
         [user("alice", 1001, keys=[key("ed", "", "/etc/ssh/keys/alice"), "ecdsa",
                                    key("rsa3072", "", ".ssh/authorized_keys2")])],
         [("alice", "key:ed", A), ("alice", "key:ecdsa", R), ("alice", "key:rsa3072", R)],
         conf="AuthorizedKeysFile /etc/ssh/keys/%u\n"),
]


# ---------------------------------------------------------------------------------------------
# Helpers

_lock = threading.Lock()
_hashes = {}
_fingerprints = {}


def sh(*args, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 60)
    return subprocess.run(list(args), **kw)


def password_hash(plain):
    with _lock:
        if plain not in _hashes:
            _hashes[plain] = sh("openssl", "passwd", "-6", "-salt", "xyz", plain,
                                check=True).stdout.strip()
        return _hashes[plain]


def key_path(user_name, label):
    """The private key of USER's LABEL (generated once; outside every tree)."""
    path = os.path.join(SCRATCH, "keys", f"{user_name}-{label}")
    with _lock:
        if not os.path.exists(path):
            kind = KEY_TYPES.get(label, KEY_TYPES["ed"])  # free labels: ed25519
            os.makedirs(os.path.dirname(path), exist_ok=True)
            sh("ssh-keygen", "-q", *kind, "-N", "", "-C", f"{user_name}-{label}", "-f", path,
               check=True)
        return path


def fingerprint(pub):
    with _lock:
        if pub not in _fingerprints:
            _fingerprints[pub] = sh("ssh-keygen", "-lf", pub, check=True).stdout.split()[1]
        return _fingerprints[pub]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dpkg_stanza(package):
    with open("/var/lib/dpkg/status", encoding="utf-8") as f:
        for stanza in f.read().split("\n\n"):
            if stanza.startswith(f"Package: {package}\n"):
                return stanza.strip() + "\n"
    raise RuntimeError(f"{package} is not in the host's /var/lib/dpkg/status")


def write(path, text, mode=0o644, uid=0, gid=0):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, mode)
    os.chown(path, uid, gid)


# ---------------------------------------------------------------------------------------------
# Building a case: the tree imageprobe scans and the /etc sshd runs with

def build_tree(c, tree):
    users = list(c["users"])
    if not any(u["name"] == "root" for u in users):
        users.insert(0, root())
    groups = {}  # gid -> [name, members]
    for name, gid, members in c["groups"]:
        groups[gid] = [name, list(members)]
    groups.setdefault(0, ["root", []])
    for u in users:
        groups.setdefault(u["gid"], [u["name"], []])
    by_name = {g[0]: gid for gid, g in groups.items()}
    for u in users:
        for g in u["groups"]:
            if u["name"] not in groups[by_name[g]][1]:
                groups[by_name[g]][1].append(u["name"])
    groups.setdefault(65534, ["nogroup", []])

    passwd = [f"{u['name']}:x:{u['uid']}:{u['gid']}::{u['home']}:{u['shell']}" for u in users]
    passwd.append(f"sshd:x:{SSHD_UID}:65534::/run/sshd:/usr/sbin/nologin")
    passwd.append("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin")
    shadow = []
    for u in users:
        field = u["shadow"]
        if field is None:
            field = password_hash(u["password"]) if u["password"] is not None else "*"
        elif "{hash}" in field:
            field = field.replace("{hash}", password_hash(u["password"]))
        shadow.append(f"{u['name']}:{field}:19000:0:99999:7::{u['expire']}:")
    shadow += [f"sshd:*:19000:0:99999:7:::", "nobody:*:19000:0:99999:7:::"]
    group = [f"{g[0]}:x:{gid}:{','.join(g[1])}" for gid, g in sorted(groups.items())]
    gshadow = [f"{g[0]}:!::{','.join(g[1])}" for gid, g in sorted(groups.items())]

    etc = os.path.join(tree, "etc")
    write(f"{etc}/passwd", "\n".join(passwd) + "\n")
    write(f"{etc}/shadow", "\n".join(shadow) + "\n", 0o640)
    write(f"{etc}/group", "\n".join(group) + "\n")
    write(f"{etc}/gshadow", "\n".join(gshadow) + "\n", 0o640)
    write(f"{etc}/ssh/sshd_config", c["config"])
    os.makedirs(f"{etc}/ssh/sshd_config.d", exist_ok=True)
    for name, text in c["dropins"].items():
        write(f"{etc}/ssh/sshd_config.d/{name}", text)
    with open("/etc/os-release", encoding="utf-8") as f:
        write(f"{etc}/os-release", f.read())
    os.makedirs(f"{etc}/pam.d", exist_ok=True)
    for name in ("sshd", "common-auth", "common-account", "common-session",
                 "common-session-noninteractive", "common-password", "other"):
        if os.path.exists(f"/etc/pam.d/{name}"):
            shutil.copy2(f"/etc/pam.d/{name}", f"{etc}/pam.d/{name}")
    if c["nologin"]:
        write(f"{etc}/nologin", "The system is under maintenance.\n")
    for path, text in c["files"].items():
        write(tree + path, text)
    write(f"{tree}/var/lib/dpkg/status", dpkg_stanza("openssh-server"))
    for path in ("usr/bin/bash", "usr/bin/sh", "usr/sbin/nologin"):
        write(f"{tree}/{path}", "#!/bin/sh\n# stub: sshd only checks that the shell exists\n",
              0o755)
    os.symlink("usr/bin", f"{tree}/bin")
    os.symlink("usr/sbin", f"{tree}/sbin")
    os.makedirs(f"{tree}/home", exist_ok=True)
    os.chmod(f"{tree}/home", 0o755)

    for u in users:
        home = tree + u["home"]
        if not u["make_home"]:
            continue
        os.makedirs(home, exist_ok=True)
        ssh_dir = f"{home}/.ssh"
        files = {}
        for label, options, file in u["keys"]:
            pub = key_path(u["name"], label) + ".pub"
            with open(pub, encoding="utf-8") as f:
                line = f.read().strip()
            file = file or ".ssh/authorized_keys"
            target = tree + file if file.startswith("/") else f"{home}/{file}"
            files.setdefault(target, []).append((options + " " if options else "") + line)
        os.makedirs(ssh_dir, exist_ok=True)
        for target, lines in files.items():
            in_home = target.startswith(home + "/")
            owner = u["ak_uid"] if u["ak_uid"] is not None else u["uid"]
            write(target, "\n".join(lines) + "\n", u["ak_mode"] if in_home else 0o644,
                  owner if in_home else 0, u["gid"] if in_home else 0)
        os.chmod(ssh_dir, u["ssh_mode"])
        os.chown(ssh_dir, u["uid"], u["gid"])
        os.chmod(home, u["home_mode"])
        os.chown(home, u["uid"], u["home_gid"] if u["home_gid"] is not None else u["gid"])
    os.makedirs(f"{tree}/root", exist_ok=True)
    return users


def build_sshd_etc(tree, etc_copy):
    """The host's /etc with the tree's accounts, sshd config, PAM stack and nologin."""
    subprocess.run(["cp", "-a", "/etc", etc_copy], check=True)
    for name in ("passwd", "shadow", "group", "gshadow", "nologin"):
        dst = f"{etc_copy}/{name}"
        if os.path.lexists(dst):
            os.unlink(dst)
        if os.path.exists(f"{tree}/etc/{name}"):
            shutil.copy2(f"{tree}/etc/{name}", dst)
    for name in ("ssh", "pam.d"):
        shutil.rmtree(f"{etc_copy}/{name}")
        shutil.copytree(f"{tree}/etc/{name}", f"{etc_copy}/{name}", symlinks=True)


NAMESPACE = ('mount --bind "$1" /etc && mount --bind "$2" /home && mount --bind "$3" /root'
             ' && shift 3 && exec "$@"')


def in_namespace(etc_copy, tree, *command):
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", NAMESPACE,
            "sh", etc_copy, f"{tree}/home", f"{tree}/root", *command]


# ---------------------------------------------------------------------------------------------
# The sshd side

class SshdRun:
    def __init__(self, c, work, host_key):
        self.c, self.work, self.host_key = c, work, host_key
        self.tree = os.path.join(work, "tree")
        self.etc = os.path.join(work, "etc")
        self.log_path = os.path.join(work, "sshd.log")
        self.proc = None

    def start(self):
        self.users = {u["name"]: u for u in build_tree(self.c, self.tree)}
        build_sshd_etc(self.tree, self.etc)
        os.makedirs("/run/sshd", exist_ok=True)
        common = ["-f", "/etc/ssh/sshd_config", "-h", self.host_key]
        test = sh(*in_namespace(self.etc, self.tree, SSHD, "-t", *common))
        if test.returncode != 0:
            raise RuntimeError(f"sshd -t rejects case {self.c['name']}: {test.stderr.strip()}")
        for _ in range(5):
            self.port = free_port()
            self.log = open(self.log_path, "w+b")
            self.proc = subprocess.Popen(
                in_namespace(self.etc, self.tree, SSHD, "-D", "-e", *common,
                             "-p", str(self.port), "-o", "ListenAddress=127.0.0.1",
                             "-o", "PidFile=none", "-o", "LogLevel=VERBOSE"),
                stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                start_new_session=True)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                if b"Server listening on 127.0.0.1" in self.read_log(0):
                    return
                time.sleep(0.05)
            self.stop()
        raise RuntimeError(f"sshd did not start for {self.c['name']}: "
                           f"{self.read_log(0).decode(errors='replace')}")

    def read_log(self, offset):
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 15)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(timeout=5)
        self.proc = None
        if getattr(self, "log", None):
            self.log.close()
            self.log = None

    def client(self, user_name, what):
        u = self.users[user_name]
        base = ["ssh", "-F", "/dev/null", "-p", str(self.port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR", "-o", "IdentityAgent=none",
                "-o", "PubkeyAcceptedAlgorithms=+ssh-dss"]
        target = [f"{user_name}@127.0.0.1", "true"]
        password = u["password"] if u["password"] is not None else ""
        method, _, label = what.partition(":")
        if method == "key":
            return base + ["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                           "-o", "PreferredAuthentications=publickey",
                           "-i", key_path(user_name, label)] + target
        if method in ("password", "kbd"):
            prefer = "password" if method == "password" else "keyboard-interactive"
            return ["sshpass", "-p", password] + base + [
                "-o", f"PreferredAuthentications={prefer}", "-o", "PubkeyAuthentication=no",
                "-o", "NumberOfPasswordPrompts=1"] + target
        if method == "none":
            # No credential at all: the client's own first request is "none".
            return base + ["-o", "BatchMode=yes", "-o", "PreferredAuthentications=password",
                           "-o", "PubkeyAuthentication=no"] + target
        if method == "chain":
            return ["sshpass", "-p", password] + base + [
                "-o", "IdentitiesOnly=yes", "-o", "PreferredAuthentications=publickey,password",
                "-o", "NumberOfPasswordPrompts=1", "-i", key_path(user_name, label)] + target
        raise ValueError(what)

    def attempt(self, user_name, what):
        """One login attempt; returns (outcome, evidence line, client rc)."""
        offset = os.path.getsize(self.log_path)
        env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}
        try:
            rc = sh("timeout", str(ATTEMPT_TIMEOUT), *self.client(user_name, what),
                    stdin=subprocess.DEVNULL, env=env, timeout=ATTEMPT_TIMEOUT + 5).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
        time.sleep(0.05)  # the monitor logs before replying; this is only a margin
        text = self.read_log(offset).decode(errors="replace")
        return classify(text, user_name, what) + (rc,)


WANTED = {"key": "publickey", "password": "password", "kbd": "keyboard-interactive/pam",
          "none": "none", "chain": "password"}
# The most telling line of a refusal first (a reason), then a bare failure, then the close.
EVIDENCE = [re.compile(p) for p in (
    r"Partial |not allowed|ROOT LOGIN REFUSED|Authentication refused|Refused by key options|"
    r"Authentication tried for .* but not from|Access denied|has expired|refusing|"
    r"not in PubkeyAcceptedAlgorithms|Could not open|Invalid user|unexpected authentication",
    r"Failed ", r"Connection closed|Disconnected")]


def classify(text, user_name, what):
    lines = [line for line in text.splitlines() if line.strip()]
    u = re.escape(user_name)
    method = what.partition(":")[0]
    accepted = [line for line in lines if re.search(rf"\bAccepted \S+ for {u} from ", line)]
    denied = [line for line in lines if re.search(
        rf"Access denied for user {u} by PAM account configuration", line)]
    if accepted and not denied:
        got = re.search(r"Accepted (\S+) for", accepted[-1]).group(1)
        if got == WANTED[method] and (method != "chain" or any(
                re.search(rf"Partial publickey for {u} ", line) for line in lines)):
            return "accepted", accepted[-1]
        return f"accepted-by-{got}", accepted[-1]
    if denied:
        return "refused", denied[0] + (f" (after: {accepted[-1]})" if accepted else "")
    for pattern in EVIDENCE:
        evidence = list(dict.fromkeys(line for line in lines if pattern.search(line)))
        if evidence:
            return "refused", " | ".join(evidence[:2])
    return "refused", "(no decision line)"


# ---------------------------------------------------------------------------------------------
# The imageprobe side

def facts_of(report):
    out = {}
    for r in report.get("roots", []):
        for f in r.get("facts", []):
            out[(f.get("kind"), f.get("key"))] = f
    return out


def imageprobe_verdict(facts, user_name, what):
    """(verdict, reason) imageprobe reports for the decision; verdict "(missing)" when absent."""
    method, _, label = what.partition(":")
    if method == "key":
        fp = fingerprint(key_path(user_name, label) + ".pub")
        f = facts.get(("ssh/authorized_key", f"{user_name}|{fp}"))
        if f is None:
            return "refused", "no ssh/authorized_key fact for " + fp
        data = f.get("data") or {}
        return data.get("verdict", "(missing)"), f"{data.get('reason')} [{data.get('source')}]"
    f = facts.get(("users/user", user_name))
    if f is None:
        return "(missing)", "no users/user fact"
    access = (f.get("data") or {}).get("access")
    if not isinstance(access, dict):
        return "(missing)", "users/user has no data.access"
    if method == "chain":
        for chain in access.get("chains") or []:
            if chain.get("chain") == "publickey,password":
                return chain.get("verdict", "(missing)"), str(chain.get("reason"))
        return "(missing)", "no data.access.chains entry publickey,password"
    name = {"password": "password", "kbd": "keyboard-interactive", "none": "none"}[method]
    m = (access.get("methods") or {}).get(name)
    if not isinstance(m, dict):
        return "(missing)", f"no data.access.methods[{name!r}]"
    return m.get("verdict", "(missing)"), f"{m.get('reason')} [{m.get('source')}]"


def run_imageprobe(tree):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
    p = sh(BINARY, "scan", tree, "--format", "json", "--as-of", AS_OF, env=env, timeout=300)
    try:
        return json.loads(p.stdout), None
    except ValueError:
        return None, f"imageprobe exit {p.returncode}, no JSON: {p.stderr.strip()[:300]}"


# ---------------------------------------------------------------------------------------------
# Running a case

def run_case(c, base, host_key):
    work = os.path.join(base, c["name"])
    os.makedirs(work)
    run = SshdRun(c, work, host_key)
    results = []
    start = time.monotonic()
    try:
        run.start()
        for user_name, what, expected, cond in c["attempts"]:
            outcome, line, rc = run.attempt(user_name, what)
            results.append(dict(case=c["name"], user=user_name, what=what, expected=expected,
                                cond=cond, sshd=outcome, line=line, rc=rc))
    finally:
        run.stop()
    report, error = (None, "imageprobe binary not found: " + str(BINARY)) \
        if not (BINARY and os.path.exists(BINARY)) else run_imageprobe(run.tree)
    facts = facts_of(report) if report else {}
    for r in results:
        if report is None:
            r["probe"], r["reason"] = "(no report)", error
        else:
            r["probe"], r["reason"] = imageprobe_verdict(facts, r["user"], r["what"])
    return dict(name=c["name"], results=results, seconds=time.monotonic() - start)


def table(rows, header):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    widths = [min(w, 90) for w in widths]
    fmt = "  ".join(f"{{:{w}}}" for w in widths)
    out = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    for row in rows:
        out.append(fmt.format(*(str(x) if len(str(x)) <= 90 else str(x)[:87] + "..."
                                for x in row)))
    return "\n".join(out)


def selected_cases():
    only = os.environ.get("ORACLE_CASE")
    if not only:
        return CASES
    names = set(only.split(","))
    unknown = names - {c["name"] for c in CASES}
    if unknown:
        raise SystemExit(f"ORACLE_CASE: no such case {sorted(unknown)}; see --list")
    return [c for c in CASES if c["name"] in names]


class SshdLoginOracle(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in (SSHD, "/usr/bin/sshpass", "/usr/bin/unshare", "/usr/bin/openssl"):
            if not os.path.exists(tool):
                raise unittest.SkipTest(f"{tool} is missing (tools/install-deps installs it)")
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root (mount namespace, chown, sshd)")
        os.makedirs(SCRATCH, exist_ok=True)
        cls.base = tempfile.mkdtemp(prefix="run-", dir=SCRATCH)
        host_key = os.path.join(SCRATCH, "keys", "host_ed25519")
        os.makedirs(os.path.dirname(host_key), exist_ok=True)
        if not os.path.exists(host_key):
            sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host_key, check=True)
        cases = selected_cases()
        start = time.monotonic()
        # Keys first (sequentially, cached across runs), then the cases in parallel.
        for c in cases:
            for u in c["users"]:
                for label, _, _ in u["keys"]:
                    key_path(u["name"], label)
        with concurrent.futures.ThreadPoolExecutor(PARALLEL) as pool:
            cls.runs = list(pool.map(lambda c: run_case(c, cls.base, host_key), cases))
        cls.seconds = time.monotonic() - start
        cls.results = [r for run in cls.runs for r in run["results"]]
        print(f"\n{len(cases)} configurations, {len(cls.results)} decisions, "
              f"{cls.seconds:.1f} s", file=sys.stderr)
        print(table([(r["case"], r["user"], r["what"], r["sshd"], r["rc"], r["probe"],
                      r["line"]) for r in cls.results],
                    ("case", "user", "attempt", "sshd", "ssh rc", "imageprobe", "sshd log")),
              file=sys.stderr)

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "base", None) and not os.environ.get("ORACLE_KEEP"):
            shutil.rmtree(cls.base, ignore_errors=True)

    def test_sshd_matches_recorded_behaviour(self):
        off = [r for r in self.results if r["sshd"] != r["expected"]]
        if off:
            self.fail(f"the real sshd decided {len(off)} attempts otherwise than recorded in "
                      "CASES (harness broken, or sshd changed):\n" + table(
                          [(r["case"], r["user"], r["what"], r["expected"], r["sshd"],
                            r["rc"], r["line"]) for r in off],
                          ("case", "user", "attempt", "recorded", "sshd", "ssh rc",
                           "sshd log")))

    def test_imageprobe_agrees_with_sshd(self):
        agree, conditional, bad = 0, 0, []
        for r in self.results:
            if r["probe"] == "conditional":
                conditional += 1
                if r["cond"] == "cannot-hold" and r["sshd"] != "refused":
                    bad.append(r | {"reason": r["reason"] + " (condition cannot hold for "
                                    "127.0.0.1, yet sshd accepted)"})
            elif r["probe"] == r["sshd"]:
                agree += 1
            else:
                bad.append(r)
        for r in self.results:
            if r["probe"] == "conditional":
                print(f"  conditional: {r['case']} {r['user']} {r['what']} (sshd from 127.0.0.1:"
                      f" {r['sshd']}; imageprobe: {r['reason']})", file=sys.stderr)
        print(f"sshd login oracle: {agree} decisions agree, {len(bad)} disagree, "
              f"{conditional} conditional ({len(self.runs)} configurations)", file=sys.stderr)
        if bad:
            self.fail(f"imageprobe disagrees with the real sshd on {len(bad)} decisions:\n" +
                      table([(r["case"], r["user"], r["what"], r["sshd"], r["line"],
                              r["probe"], r["reason"]) for r in bad],
                            ("case", "user", "attempt", "sshd", "sshd log", "imageprobe",
                             "imageprobe reason")))


if __name__ == "__main__":
    if "--list" in sys.argv:
        for c in CASES:
            attempts = ", ".join(f"{a[0]} {a[1]}={a[2][0].upper()}" for a in c["attempts"])
            print(f"{c['name']:45} {attempts}")
        print(f"{len(CASES)} cases, {sum(len(c['attempts']) for c in CASES)} decisions")
        sys.exit(0)
    BINARY, SCRATCH = (os.path.abspath(a) for a in sys.argv[1:3])
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]])
