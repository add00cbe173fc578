// SPDX-License-Identifier: Apache-2.0
#include "scanner/core/diff.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

#include "scanner/core/json_fields.h"
#include "scanner/core/line_diff.h"
#include "scanner/parse/text.h"

namespace imageprobe {

namespace {

bool Listed(std::span<const std::string_view> names, std::string_view name) {
  return std::ranges::find(names, name) != names.end();
}

// "/etc/ssh/sshd_config:8" -> "/etc/ssh/sshd_config": where a setting came from matters, the
// line it sits on does not.
nlohmann::json WithoutLineSuffix(const nlohmann::json& origin) {
  if (!origin.is_string()) return origin;
  const std::string& text = origin.get_ref<const std::string&>();
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) return origin;
  for (size_t i = colon + 1; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return origin;
  }
  return text.substr(0, colon);
}

// `data` as the diff compares it: the kind's volatile members dropped at every depth, its
// origin members without their lines. A kind the catalog does not know is compared whole.
nlohmann::json Comparable(const nlohmann::json& data, const RecordKind* kind) {
  if (data.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : data) out.push_back(Comparable(item, kind));
    return out;
  }
  if (!data.is_object() || kind == nullptr) return data;
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : data.items()) {
    if (Listed(kind->volatile_members, k)) continue;
    if (!Listed(kind->origin_members, k)) {
      out[k] = Comparable(v, kind);
    } else if (v.is_array()) {
      nlohmann::json origins = nlohmann::json::array();
      for (const auto& origin : v) origins.push_back(WithoutLineSuffix(origin));
      out[k] = std::move(origins);
    } else {
      out[k] = WithoutLineSuffix(v);
    }
  }
  return out;
}

std::vector<std::string> ChangedFields(const nlohmann::json& a, const nlohmann::json& b,
                                       const RecordKind* kind) {
  std::vector<std::string> fields;
  if (!a.is_object() || !b.is_object()) return {"value"};
  std::set<std::string> keys;
  for (const auto& [k, v] : a.items()) keys.insert(k);
  for (const auto& [k, v] : b.items()) keys.insert(k);
  for (const auto& k : keys) {
    if (kind != nullptr && Listed(kind->volatile_members, k)) continue;
    if (!a.contains(k) || !b.contains(k)) {
      fields.push_back(k);
    } else if (Comparable(nlohmann::json{{k, a[k]}}, kind) !=
               Comparable(nlohmann::json{{k, b[k]}}, kind)) {
      fields.push_back(k);
    }
  }
  return fields;
}

using FactMap = std::map<std::pair<std::string, std::string>, const Fact*>;

FactMap IndexFacts(const RootReport* root) {
  FactMap map;
  if (root) {
    for (const auto& f : root->facts) map[{f.kind, f.key}] = &f;
  }
  return map;
}

void DiffRoot(const RootReport* old_root, const RootReport* new_root, const RecordCatalog& catalog,
              DiffReport& out) {
  const std::string root_name = new_root ? new_root->root.name : old_root->root.name;
  FactMap old_facts = IndexFacts(old_root), new_facts = IndexFacts(new_root);
  for (const auto& [key, fact] : old_facts) {
    const RecordKind* kind = catalog.Find(key.first);
    auto it = new_facts.find(key);
    if (it == new_facts.end()) {
      out.facts.push_back({Change::kRemoved, root_name, key.first, key.second, fact->data, {}, {}});
    } else if (Comparable(fact->data, kind) != Comparable(it->second->data, kind)) {
      FactChange change{Change::kChanged,
                        root_name,
                        key.first,
                        key.second,
                        fact->data,
                        it->second->data,
                        ChangedFields(fact->data, it->second->data, kind)};
      if (kind != nullptr && !kind->text_member.empty() && fact->data.contains(kind->text_member) &&
          it->second->data.contains(kind->text_member)) {
        change.text_diff = UnifiedDiff(StringMember(fact->data, kind->text_member),
                                       StringMember(it->second->data, kind->text_member));
      }
      out.facts.push_back(std::move(change));
    }
  }
  for (const auto& [key, fact] : new_facts) {
    if (!old_facts.contains(key)) {
      out.facts.push_back({Change::kAdded, root_name, key.first, key.second, {}, fact->data, {}});
    }
  }

  std::map<std::string, const Finding*> old_findings, new_findings;
  if (old_root)
    for (const auto& f : old_root->findings) old_findings[f.identity] = &f;
  if (new_root)
    for (const auto& f : new_root->findings) new_findings[f.identity] = &f;
  for (const auto& [id, f] : old_findings) {
    auto it = new_findings.find(id);
    if (it == new_findings.end()) {
      out.findings.push_back({Change::kRemoved, root_name, *f, std::nullopt});
    } else if (f->severity != it->second->severity) {
      // Only the severity: evidence quotes timestamps and counts that the facts already
      // compare without the noise (a rebuilt image touches every mtime).
      out.findings.push_back({Change::kChanged, root_name, *f, *it->second});
    }
  }
  for (const auto& [id, f] : new_findings) {
    if (!old_findings.contains(id)) {
      out.findings.push_back({Change::kAdded, root_name, std::nullopt, *f});
    }
  }
}

std::vector<const Fact*> FactsOfKind(const Report& report, std::string_view kind) {
  std::vector<const Fact*> facts;
  for (const auto& root : report.roots) {
    for (const auto& f : root.facts) {
      if (f.kind == kind) facts.push_back(&f);
    }
  }
  return facts;
}

void AddFindingHeadline(const DiffReport& diff, HeadlineSink& out) {
  std::set<std::string> rules;
  size_t count = 0;
  for (const auto& c : diff.findings) {
    // Suppressed findings (ignore file, baseline) count for no gate and no headline.
    if (c.change == Change::kRemoved || !c.new_finding || c.new_finding->suppressed) continue;
    bool raised = c.change == Change::kChanged && c.new_finding->severity > c.old_finding->severity;
    if (c.change != Change::kAdded && !raised) continue;
    if (c.new_finding->severity < Severity::kHigh) continue;
    ++count;
    rules.insert(c.new_finding->rule_id);
  }
  if (count > 0) {
    out.Add(HeadlineTopic::kFindings,
            parse::CountOf(count, "new high/critical finding", "new high/critical findings") +
                ": " + parse::Join(rules, ", "),
            false);
  }
}

// Each kind's headline rule over its part of the diff, then the findings'. Regressions first,
// then by topic (scanner/core/record_kind.h); within a topic, as the rules gave them.
void AddHeadlines(const Report& old_report, const Report& new_report, const RecordCatalog& catalog,
                  DiffReport& out) {
  HeadlineSink sink;
  for (const RecordKind* kind : catalog.kinds()) {
    if (kind->headlines == nullptr) continue;
    KindDiff part;
    for (FactChange& c : out.facts) {
      if (c.kind == kind->name) part.changes.push_back(&c);
    }
    part.old_facts = FactsOfKind(old_report, kind->name);
    part.new_facts = FactsOfKind(new_report, kind->name);
    part.versions_differ = !out.Empty();
    kind->headlines(part, sink);
  }
  AddFindingHeadline(out, sink);
  std::ranges::stable_sort(sink.entries(), [](const auto& a, const auto& b) {
    return std::tie(b.regression, a.topic) < std::tie(a.regression, b.topic);
  });
  for (auto& e : sink.entries()) out.headlines.push_back({std::move(e.text), e.regression});
}

}  // namespace

std::string_view ChangeName(Change change) {
  switch (change) {
    case Change::kAdded:
      return "added";
    case Change::kRemoved:
      return "removed";
    case Change::kChanged:
      return "changed";
  }
  return "changed";
}

bool DiffReport::HasRegression() const {
  return std::ranges::any_of(headlines, [](const Headline& h) { return h.regression; });
}

std::optional<Severity> DiffReport::MaxAddedSeverity() const {
  std::optional<Severity> max;
  for (const auto& c : findings) {
    if (c.change == Change::kRemoved || !c.new_finding || c.new_finding->suppressed) continue;
    if (c.change == Change::kChanged && c.new_finding->severity <= c.old_finding->severity) {
      continue;
    }
    if (!max || c.new_finding->severity > *max) max = c.new_finding->severity;
  }
  return max;
}

DiffReport DiffReports(const Report& old_report, const Report& new_report,
                       const RecordCatalog& catalog) {
  DiffReport out;
  out.tool_version = new_report.tool_version;
  out.old_input = old_report.input;
  out.new_input = new_report.input;

  if (old_report.roots.size() == 1 && new_report.roots.size() == 1) {
    DiffRoot(&old_report.roots[0], &new_report.roots[0], catalog, out);
  } else {
    std::map<std::string, const RootReport*> old_roots, new_roots;
    for (const auto& r : old_report.roots) old_roots[r.root.name] = &r;
    for (const auto& r : new_report.roots) new_roots[r.root.name] = &r;
    for (const auto& [name, r] : old_roots) {
      auto it = new_roots.find(name);
      DiffRoot(r, it == new_roots.end() ? nullptr : it->second, catalog, out);
    }
    for (const auto& [name, r] : new_roots) {
      if (!old_roots.contains(name)) DiffRoot(nullptr, r, catalog, out);
    }
  }

  std::ranges::stable_sort(out.facts, [](const FactChange& a, const FactChange& b) {
    return std::tie(a.kind, a.key, a.root) < std::tie(b.kind, b.key, b.root);
  });
  std::ranges::stable_sort(out.findings, [](const FindingChange& a, const FindingChange& b) {
    const Finding& fa = a.new_finding ? *a.new_finding : *a.old_finding;
    const Finding& fb = b.new_finding ? *b.new_finding : *b.old_finding;
    return std::tie(fa.rule_id, fa.identity) < std::tie(fb.rule_id, fb.identity);
  });

  AddHeadlines(old_report, new_report, catalog, out);
  return out;
}

}  // namespace imageprobe
