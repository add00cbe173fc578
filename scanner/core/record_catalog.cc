// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/record_catalog.h"

#include <stdexcept>
#include <string>

namespace imageprobe {

namespace {

// The hooks a role's users call; a declaration holding the role without them is a bug.
bool HasRoleHooks(const RecordKind& kind) {
  switch (kind.role) {
    case RecordRole::kNone:
      return true;
    case RecordRole::kAccount:
      return kind.account != nullptr;
    case RecordRole::kAuthorizedKey:
      return kind.authorized_key != nullptr;
    case RecordRole::kSshdSetting:
    case RecordRole::kSshdUserSetting:
      return kind.setting != nullptr && kind.same_setting != nullptr;
    case RecordRole::kPathPresence:
      return kind.path_presence != nullptr;
  }
  return false;
}

// Every member the diff treats apart (volatile, origin, text) must be one the kind declares: a
// misspelt name would silently compare what it was meant to drop.
std::string UndeclaredSpecialMember(const RecordKind& kind) {
  for (std::string_view name : kind.volatile_members) {
    if (!DeclaresMember(kind.members, name)) return std::string(name);
  }
  for (std::string_view name : kind.origin_members) {
    if (!DeclaresMember(kind.members, name)) return std::string(name);
  }
  if (!kind.text_member.empty() && !DeclaresMember(kind.members, kind.text_member)) {
    return std::string(kind.text_member);
  }
  return {};
}

}  // namespace

std::string_view RecordRoleName(RecordRole role) {
  switch (role) {
    case RecordRole::kNone:
      return "none";
    case RecordRole::kAccount:
      return "account";
    case RecordRole::kAuthorizedKey:
      return "authorized key";
    case RecordRole::kSshdSetting:
      return "sshd setting";
    case RecordRole::kSshdUserSetting:
      return "sshd per-user setting";
    case RecordRole::kPathPresence:
      return "path presence";
  }
  return "none";
}

RecordCatalog::RecordCatalog(std::span<const Probe* const> probes) {
  for (const Probe* probe : probes) {
    for (const RecordKind* kind : probe->records()) {
      std::string name(kind->name);
      if (!by_name_.emplace(kind->name, kind).second) {
        throw std::logic_error("record kind " + name + " is declared twice");
      }
      if (!HasRoleHooks(*kind)) {
        throw std::logic_error("record kind " + name + " holds the " +
                               std::string(RecordRoleName(kind->role)) + " role without its hooks");
      }
      if (kind->members.empty()) {
        throw std::logic_error("record kind " + name + " declares no members");
      }
      if (std::string member = UndeclaredSpecialMember(*kind); !member.empty()) {
        throw std::logic_error("record kind " + name + " treats apart the undeclared member " +
                               member);
      }
      if (kind->role != RecordRole::kNone && !by_role_.emplace(kind->role, kind).second) {
        throw std::logic_error("record kind " + name + " holds the " +
                               std::string(RecordRoleName(kind->role)) + " role of " +
                               std::string(by_role_[kind->role]->name));
      }
      kinds_.push_back(kind);
      probe_of_[kind] = probe->name();
    }
  }
}

const RecordKind* RecordCatalog::Find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

const RecordKind* RecordCatalog::WithRole(RecordRole role) const {
  auto it = by_role_.find(role);
  return it == by_role_.end() ? nullptr : it->second;
}

std::string_view RecordCatalog::ProbeOf(const RecordKind& kind) const {
  auto it = probe_of_.find(&kind);
  return it == probe_of_.end() ? std::string_view() : it->second;
}

}  // namespace imageprobe
