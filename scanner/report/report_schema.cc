// SPDX-License-Identifier: Apache-2.0
#include "scanner/report/report_schema.h"

#include <nlohmann/json.hpp>

#include "scanner/core/record_members.h"
#include "scanner/report/json_layout.h"

namespace imageprobe::report {

namespace {

using Json = nlohmann::ordered_json;

// Everything but the per-kind payloads: docs/report-format.md says what each member means.
constexpr const char* kEnvelope = R"json({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://imageprobe.invalid/schemas/v1/report.schema.json",
  "title": "imageprobe report (imageprobe/report/v1)",
  "description": "What `imageprobe scan --format json` writes for one image (several images: an array of these). See docs/report-format.md. Readers must ignore members they do not know; writers add members only within v1 (a removal or change of meaning is a new schema id).",
  "type": "object",
  "required": ["schema", "tool_version", "generated_at", "input", "backend", "profile", "timings", "roots", "errors", "partial", "summary"],
  "properties": {
    "schema": {"const": "imageprobe/report/v1"},
    "tool_version": {"type": "string"},
    "generated_at": {"type": "string", "description": "UTC, ISO 8601; metadata only"},
    "as_of": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "the day dates were judged on (scan --as-of); absent: the day of the scan"},
    "input": {"$ref": "#/$defs/input"},
    "backend": {"type": "string", "description": "directory, archive, native, guestfs (kvm), guestfs (tcg); after a fallback of --engine auto, followed by \"; native engine: \" and the reason"},
    "profile": {"type": "string", "description": "severity profile applied to the findings: default, release, forensic"},
    "timings": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["stage", "seconds"],
        "properties": {
          "stage": {"type": "string"},
          "seconds": {"type": "number", "minimum": 0}
        }
      }
    },
    "roots": {"type": "array", "items": {"$ref": "#/$defs/root"}},
    "errors": {"type": "array", "items": {"$ref": "#/$defs/diagnostic"}},
    "partial": {"type": "boolean"},
    "summary": {
      "type": "object",
      "description": "Derived from the findings that are not suppressed; ignored when a report is read back.",
      "required": ["counts", "total", "max_severity", "suppressed"],
      "properties": {
        "counts": {
          "type": "object",
          "required": ["critical", "high", "medium", "low", "info"],
          "properties": {
            "critical": {"$ref": "#/$defs/count"},
            "high": {"$ref": "#/$defs/count"},
            "medium": {"$ref": "#/$defs/count"},
            "low": {"$ref": "#/$defs/count"},
            "info": {"$ref": "#/$defs/count"}
          },
          "additionalProperties": false
        },
        "total": {"$ref": "#/$defs/count"},
        "max_severity": {"oneOf": [{"$ref": "#/$defs/severity"}, {"type": "null"}]},
        "suppressed": {"$ref": "#/$defs/count"}
      }
    }
  },
  "$defs": {
    "count": {"type": "integer", "minimum": 0},
    "severity": {"enum": ["critical", "high", "medium", "low", "info"]},
    "input": {
      "type": "object",
      "required": ["path", "format", "format_detail", "size"],
      "properties": {
        "path": {"type": "string"},
        "format": {"type": "string", "description": "detected from content: raw, qcow2, vmdk, vhd, vhdx, vdi, ova, tar, directory, ext4, xfs, …"},
        "format_detail": {"type": "string"},
        "size": {"type": "integer", "minimum": 0},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}
      }
    },
    "os": {
      "type": "object",
      "required": ["detected", "id", "id_like", "name", "version_id", "pretty_name", "codename", "hostname", "arch", "package_format", "source"],
      "properties": {
        "detected": {"type": "boolean"},
        "id": {"type": "string"},
        "id_like": {"type": "string"},
        "name": {"type": "string"},
        "version_id": {"type": "string"},
        "pretty_name": {"type": "string"},
        "codename": {"type": "string"},
        "hostname": {"type": "string"},
        "arch": {"type": "string"},
        "package_format": {"type": "string"},
        "source": {"type": "string"}
      }
    },
    "probe_run": {
      "type": "object",
      "required": ["name", "status", "reason", "seconds"],
      "properties": {
        "name": {"type": "string"},
        "status": {"enum": ["ran", "not_applicable", "failed"]},
        "reason": {"type": "string"},
        "seconds": {"type": "number", "minimum": 0}
      }
    },
    "fact": {
      "type": "object",
      "required": ["kind", "key", "data"],
      "properties": {
        "kind": {"type": "string", "pattern": "^[a-z0-9_]+(/[a-z0-9_]+)+$", "description": "hierarchical and stable: os/release, ssh/authorized_key, users/user"},
        "key": {"type": "string", "description": "natural key within the kind; (kind, key) is what diff matches on"},
        "data": {"description": "the probe's typed fact; snake_case members. For each kind a probe declares, allOf below says which"}
      }
    },
    "suppression": {
      "type": "object",
      "description": "Present when a suppression (ignore file entry or baseline) matched the finding; the finding is then listed but not counted.",
      "required": ["by", "reason"],
      "properties": {
        "by": {"enum": ["ignore_file", "baseline"]},
        "reason": {"type": "string"},
        "expires": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
      }
    },
    "finding": {
      "type": "object",
      "required": ["rule_id", "severity", "title", "path", "evidence", "remediation", "identity"],
      "properties": {
        "rule_id": {"type": "string", "pattern": "^[a-z0-9_]+(\\.[a-z0-9_]+)+$"},
        "severity": {"$ref": "#/$defs/severity"},
        "default_severity": {"$ref": "#/$defs/severity", "description": "the rule's own severity, present when the profile changed it"},
        "title": {"type": "string"},
        "path": {"type": "string"},
        "line": {"type": "integer", "minimum": 0},
        "user": {"type": "string"},
        "evidence": {"type": "string"},
        "remediation": {"type": "string"},
        "identity": {"type": "string", "description": "rule|path|user|discriminator; stable across image versions"},
        "suppressed": {"$ref": "#/$defs/suppression"}
      }
    },
    "diagnostic": {
      "type": "object",
      "required": ["source", "path", "message"],
      "properties": {
        "source": {"type": "string"},
        "path": {"type": "string"},
        "message": {"type": "string"}
      }
    },
    "root": {
      "type": "object",
      "required": ["name", "description", "os", "probes", "facts", "findings", "errors", "partial"],
      "properties": {
        "name": {"type": "string"},
        "description": {"type": "string"},
        "os": {"$ref": "#/$defs/os"},
        "probes": {"type": "array", "items": {"$ref": "#/$defs/probe_run"}},
        "facts": {"type": "array", "items": {"$ref": "#/$defs/fact"}},
        "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
        "errors": {"type": "array", "items": {"$ref": "#/$defs/diagnostic"}},
        "partial": {"type": "boolean"}
      }
    }
  }
})json";

std::string_view TypeName(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kInteger:
      return "integer";
    case ValueType::kNumber:
      return "number";
    case ValueType::kBoolean:
      return "boolean";
    case ValueType::kObject:
    case ValueType::kMap:
      return "object";
    case ValueType::kList:
      return "array";
    case ValueType::kAny:
      break;
  }
  return "";
}

Json ObjectSchema(std::span<const RecordMember> members);

Json ShapeSchema(const ValueShape& shape) {
  Json schema = Json::object();
  if (shape.type == ValueType::kAny) return schema;
  if (shape.nullable) {
    schema["type"] = Json::array({TypeName(shape.type), "null"});
  } else {
    schema["type"] = TypeName(shape.type);
  }
  switch (shape.type) {
    case ValueType::kObject:
      schema.update(ObjectSchema(shape.members));
      break;
    case ValueType::kList:
      schema["items"] = ShapeSchema(*shape.items);
      break;
    case ValueType::kMap:
      schema["additionalProperties"] = ShapeSchema(*shape.items);
      break;
    default:
      break;
  }
  return schema;
}

// No additionalProperties: false, as for the envelope: readers ignore members they do not
// know, and a v1 writer may add members (report-format.md).
Json ObjectSchema(std::span<const RecordMember> members) {
  Json required = Json::array();
  Json properties = Json::object();
  for (const RecordMember& member : members) {
    if (member.presence == Presence::kAlways) required.push_back(member.name);
    Json schema = ShapeSchema(member.shape);
    schema["description"] = member.description;
    properties[std::string(member.name)] = std::move(schema);
  }
  Json schema = Json::object();
  if (!required.empty()) schema["required"] = std::move(required);
  schema["properties"] = std::move(properties);
  return schema;
}

// "if the fact is of this kind, its data is this": a kind no probe of this build declares
// passes with any data, as an older reader must accept a newer writer's kinds.
Json KindClause(const RecordKind& kind) {
  Json data = {{"description", std::string(kind.description) + "; key: " + std::string(kind.key)},
               {"type", "object"}};
  data.update(ObjectSchema(kind.members));
  return {{"if", {{"required", {"kind"}}, {"properties", {{"kind", {{"const", kind.name}}}}}}},
          {"then", {{"properties", {{"data", std::move(data)}}}}}};
}

}  // namespace

std::string ReportSchema(std::span<const RecordKind* const> kinds) {
  Json envelope = Json::parse(kEnvelope);
  Json schema = Json::object();
  for (auto& [name, value] : envelope.items()) {
    schema[name] = std::move(value);
    if (name == "$id") {
      schema["$comment"] =
          "Generated by `imageprobe schema` from the record kinds the probes declare; the "
          "envelope is in scanner/report/report_schema.cc. tools/update-golden rewrites this "
          "file.";
    }
  }
  Json clauses = Json::array();
  for (const RecordKind* kind : kinds) clauses.push_back(KindClause(*kind));
  schema["$defs"]["fact"]["allOf"] = std::move(clauses);
  return LayOutJson(schema);
}

}  // namespace imageprobe::report
