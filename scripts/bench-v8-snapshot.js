// bench-v8-snapshot.js — writes a V8 heap snapshot of at least a million nodes for scripts/bench-v8:
// records with a string, a nested object and an array each, in a Map and an array, plus a linked list.
// Usage: node scripts/bench-v8-snapshot.js OUT.heapsnapshot [RECORDS]
'use strict';
const v8 = require('v8');
const out = process.argv[2];
const records = Number(process.argv[3] || 240000);
class Record { constructor(i) { this.id = i; this.name = 'record-' + i; this.tags = [i, i + 1]; this.meta = { index: i }; this.next = null; } }
const all = [];
const byName = new Map();
let previous = null;
for (let i = 0; i < records; i++) {
  const r = new Record(i);
  all.push(r);
  if (i % 4 === 0) byName.set(r.name, r);
  if (previous) previous.next = r;
  previous = r;
}
globalThis.keep = { all, byName };
v8.writeHeapSnapshot(out);
