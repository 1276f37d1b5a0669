// ReportData — the JSON the page's script reads: the embedded objects as columns, the details of the
// detailed ones, the dominator tree's children lists, the suspects, the tables and the comparison.
// Every string goes through JSONBuffer, which escapes what could end the <script> block.
import HeapAnalysis
import HeapGraph

/// The embedded data block's text (docs/report.md lists its fields).
struct ReportData {
    let json: String

    init(_ analyses: Analyses, selection: ObjectSelection, options: HeapReport.Options, diff: SnapshotDiff?) {
        let s = analyses.snapshot
        let dominators = analyses.dominators
        let objects = selection.objects
        var out = JSONBuffer(capacity: 64 * objects.count + 4096)

        // Tables of names, reduced to what the embedded objects use (types and sites stay whole:
        // the tables list them all).
        var labels = Remap(count: s.labels.count)
        var fields = Remap(count: s.fieldNames.count)
        var rootNames: [String] = []
        var rootNameIndex: [String: Int] = [:]
        var firstRoot = [Int: String]()
        for root in s.roots where firstRoot[Int(root.object)] == nil { firstRoot[Int(root.object)] = root.name }

        out.raw("{")
        out.key("version"); out.number(1)
        out.comma(); out.key("title"); out.string(options.title)
        out.comma(); out.key("heapBytes"); out.number(s.totalBytes)
        out.comma(); out.key("liveBytes"); out.number(dominators.liveBytes)
        out.comma(); out.key("objectCount"); out.number(s.objectCount)
        out.comma(); out.key("complete"); out.raw(selection.complete ? "true" : "false")
        out.comma(); out.key("chainsCut"); out.raw(selection.chainsCut ? "true" : "false")
        out.comma(); out.key("detailed"); out.number(selection.detailedCount)
        out.comma(); out.key("garbageWord"); out.string(analyses.garbageWord)
        out.comma(); out.key("types"); out.array(s.typeNames) { $0.string($1) }
        out.comma(); out.key("sites"); out.array(s.sites) { $0.string($1) }

        // Object columns.
        out.comma(); out.key("o"); out.raw("{")
        out.key("id"); out.array(objects) { $0.id(s.ids[$1]) }
        out.comma(); out.key("t"); out.array(objects) { $0.number(s.typeIndices[$1]) }
        out.comma(); out.key("s"); out.array(objects) { $0.number(s.sizes[$1]) }
        out.comma(); out.key("r"); out.array(objects) { $0.number(dominators.retainedSizes[$1]) }
        out.comma(); out.key("l"); out.array(objects) { o, v in
            let l = s.labelIndices[v]
            o.number(l == HeapSnapshot.none ? -1 : labels.index(Int(l)))
        }
        out.comma(); out.key("st"); out.array(objects) { o, v in
            let site = s.siteIndices[v]
            o.number(site == HeapSnapshot.none ? -1 : Int(site))
        }
        // 0 live, 1 garbage, 2 held by a root, 3 held by a refcount larger than its referrers.
        out.comma(); out.key("g"); out.array(objects) { o, v in
            o.number(selection.held[v] ? (firstRoot[v] != nil ? 2 : 3) : dominators.isReachable(v) ? 0 : 1)
        }
        out.comma(); out.key("rn"); out.array(objects) { o, v in
            guard let name = firstRoot[v] else { return o.number(-1) }
            if let i = rootNameIndex[name] { return o.number(i) }
            rootNameIndex[name] = rootNames.count
            o.number(rootNames.count)
            rootNames.append(name)
        }
        // Breadth-first parent (local number; -1 none, -2 not embedded) and the field it is reached by.
        out.comma(); out.key("pv"); out.array(objects) { o, v in
            let p = selection.viaObject[v]
            if p == ObjectSelection.noNode { return o.number(-1) }
            o.number(selection.localNumber(of: Int(p)) ?? -2)
        }
        out.comma(); out.key("pf"); out.array(objects) { o, v in
            let e = selection.viaEdge[v]
            o.number(e == ObjectSelection.noNode ? -1 : fields.field(s.edgeNames[Int(e)]))
        }
        out.comma(); out.key("dn"); out.array(objects) { o, v in o.number(dominators.childCount(of: v)) }
        out.raw("}")

        // Details: [fieldTotal, [field, target, …], referrerTotal, [source, field, …],
        // non-retaining total, [field, target, kind name, …]].
        out.comma(); out.key("x"); out.array(0..<selection.detailedCount) { o, k in
            o.raw("[")
            o.number(selection.fieldTotals[k]); o.comma()
            o.array(selection.fields[k]) { o, e in
                o.number(fields.field(s.edgeNames[e])); o.comma()
                o.number(selection.localNumber(of: Int(s.edgeTargets[e])) ?? -2)
            }
            o.comma(); o.number(selection.referrerTotals[k]); o.comma()
            o.array(selection.referrers[k]) { o, r in
                o.number(selection.localNumber(of: r.source) ?? -2); o.comma()
                o.number(fields.field(s.edgeNames[r.edge]))
            }
            o.comma()
            o.number(s.hasNonRetainingReferences ? s.weakEdgeRange(of: objects[k]).count : 0); o.comma()
            o.array(selection.weakFields[k]) { o, e in
                o.number(fields.field(s.weakEdgeNames[e])); o.comma()
                o.number(selection.localNumber(of: Int(s.weakEdgeTargets[e])) ?? -2); o.comma()
                o.string(s.weakEdgeKinds[e].name)
            }
            o.raw("]")
        }

        // Dominator tree: per embedded object 0 (not a browsable node) or its embedded children by
        // retained size; and what was left out ([count, bytes]) where something was.
        func childrenList(_ v: Int?) -> (shown: [Int], omitted: Int, omittedBytes: UInt64) {
            let all = dominators.childrenByRetainedSize(of: v)
            var shown: [Int] = [], omittedBytes: UInt64 = 0
            for c in all {
                if selection.inTree[c], let k = selection.localNumber(of: c) { shown.append(k) } else { omittedBytes &+= dominators.retainedSizes[c] }
            }
            return (shown, all.count - shown.count, omittedBytes)
        }
        var omitted: [(Int, UInt64)?] = []
        out.comma(); out.key("dk"); out.array(objects) { o, v in
            guard selection.inTree[v], dominators.childCount(of: v) > 0 else { omitted.append(nil); return o.number(0) }
            let list = childrenList(v)
            omitted.append(list.omitted > 0 ? (list.omitted, list.omittedBytes) : nil)
            o.array(list.shown) { $0.number($1) }
        }
        out.comma(); out.key("dm"); out.array(omitted) { o, m in
            guard let m else { return o.number(0) }
            o.raw("["); o.number(m.0); o.comma(); o.number(m.1); o.raw("]")
        }
        let top = childrenList(nil)
        out.comma(); out.key("droot"); out.array(top.shown) { $0.number($1) }
        out.comma(); out.key("drootMore"); out.raw("["); out.number(top.omitted); out.comma(); out.number(top.omittedBytes); out.raw("]")

        // Leak suspects: [object, retained, share, accumulation point, its retained, [chain shown, -3
        // for the gap], chain length].
        out.comma(); out.key("suspects"); out.array(analyses.suspects) { o, su in
            o.raw("[")
            o.number(selection.localNumber(of: su.object) ?? -2); o.comma()
            o.number(su.retainedBytes); o.comma()
            o.decimal(su.share); o.comma()
            o.number(selection.localNumber(of: su.accumulationPoint) ?? -2); o.comma()
            o.number(su.accumulationBytes); o.comma()
            o.array(ObjectSelection.shownChain(su.chain)) { o, v in o.number(v < 0 ? -3 : selection.localNumber(of: v) ?? -2) }
            o.comma(); o.number(su.chain.count)
            o.raw("]")
        }

        // Types and sites: [index (-1: no site), count, shallow, retained].
        let byType = dominators.retention(groupedBy: s.typeIndices, groupCount: s.typeNames.count)
        out.comma(); out.key("typeRows"); out.array(byType.indices.filter { byType[$0].count > 0 }) { o, t in
            o.raw("["); o.number(t); o.comma(); o.number(byType[t].count); o.comma()
            o.number(byType[t].shallowBytes); o.comma(); o.number(byType[t].retainedBytes); o.raw("]")
        }
        // Objects without a site form one more group, numbered past the table.
        let siteGroups = s.siteIndices.map { $0 == HeapSnapshot.none ? UInt32(s.sites.count) : $0 }
        let bySite = dominators.retention(groupedBy: siteGroups, groupCount: s.sites.count + 1)
        out.comma(); out.key("siteRows"); out.array(bySite.indices.filter { bySite[$0].count > 0 }) { o, g in
            o.raw("["); o.number(g == s.sites.count ? -1 : g); o.comma(); o.number(bySite[g].count); o.comma()
            o.number(bySite[g].shallowBytes); o.comma(); o.number(bySite[g].retainedBytes); o.raw("]")
        }

        // The comparison with the baseline.
        out.comma(); out.key("diff")
        if let diff, let baseline = options.baseline {
            func rows(_ entries: [DiffEntry]) -> (inout JSONBuffer, DiffEntry) -> Void {
                { o, e in
                    o.raw("["); o.string(e.key); o.comma(); o.number(e.count); o.comma(); o.number(e.countDelta); o.comma()
                    o.number(e.bytes); o.comma(); o.number(e.bytesDelta); o.raw("]")
                }
            }
            out.raw("{")
            out.key("title"); out.string(options.baselineTitle)
            out.comma(); out.key("baselineObjects"); out.number(baseline.objectCount)
            out.comma(); out.key("baselineBytes"); out.number(baseline.totalBytes)
            out.comma(); out.key("newCount"); out.number(diff.newObjects.count)
            out.comma(); out.key("newBytes"); out.number(s.bytes(of: diff.newObjects))
            out.comma(); out.key("freedCount"); out.number(diff.freedObjects.count)
            out.comma(); out.key("freedBytes"); out.number(baseline.bytes(of: diff.freedObjects))
            out.comma(); out.key("byType"); out.array(diff.byType, rows(diff.byType))
            out.comma(); out.key("bySite"); out.array(diff.bySite, rows(diff.bySite))
            let newest = diff.newObjects.sorted {
                dominators.retainedSizes[$0] != dominators.retainedSizes[$1] ? dominators.retainedSizes[$0] > dominators.retainedSizes[$1] : $0 < $1
            }
            out.comma(); out.key("newTop"); out.array(newest.prefix(50)) { $0.number(selection.localNumber(of: $1) ?? -2) }
            out.raw("}")
        } else {
            out.raw("null")
        }

        // The name tables the columns above refer to, last (they were filled while writing).
        out.comma(); out.key("labels"); out.array(labels.used) { $0.string(s.labels[$1]) }
        out.comma(); out.key("fields"); out.array(fields.used) { $0.string(s.fieldNames[$1]) }
        out.comma(); out.key("rootNames"); out.array(rootNames) { $0.string($1) }
        out.raw("}")
        json = String(decoding: out.bytes, as: UTF8.self)
    }
}

/// A name table reduced to the entries used, in order of first use.
private struct Remap {
    private var newIndex: [Int32]
    private(set) var used: [Int] = []

    init(count: Int) { newIndex = [Int32](repeating: -1, count: count) }

    mutating func index(_ old: Int) -> Int {
        if newIndex[old] < 0 {
            newIndex[old] = Int32(used.count)
            used.append(old)
        }
        return Int(newIndex[old])
    }

    /// A field name column value: -1 for an unnamed reference.
    mutating func field(_ old: UInt32) -> Int {
        old == HeapSnapshot.none ? -1 : index(Int(old))
    }
}
