// leaky.js — a small Node program with known leaks, for heapscan's V8 tests and docs/v8.md.
// It repeats an action (a listener that captures a payload, a Map cache entry, a ring of objects,
// and transient objects) and then undoes it; the undo forgets the listener, the cache entries and
// the rings (the leaks) but frees the transients. Three snapshots with v8.writeHeapSnapshot():
// baseline (before), target (after the actions), final (after the undo). It prints, as JSON, what it
// made and what it leaked, by constructor name.
// With --series it instead writes step-0 … step-N, one snapshot after each round (for `heapscan growth`).
// Usage: node leaky.js OUTDIR [--no-leak] [--rounds N] [--series]
'use strict';
const v8 = require('v8');
const path = require('path');
const { EventEmitter } = require('events');

const outDir = process.argv[2];
if (!outDir) { console.error('usage: node leaky.js OUTDIR [--no-leak] [--rounds N]'); process.exit(64); }
const leak = !process.argv.includes('--no-leak');
const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 5;
const transientsPerRound = 20;
const ringLength = 3;

class ListenerPayload { constructor(round) { this.round = round; this.data = new Array(32).fill(round); } }
class CacheEntry { constructor(round) { this.round = round; this.createdAt = round * 1000; } }
class RingNode { constructor(index) { this.index = index; this.next = null; } }
class Transient { constructor(index) { this.index = index; this.note = null; } }

const bus = new EventEmitter();
bus.setMaxListeners(0);
const cache = new Map();
const rings = [];
let transients = [];
let added = [];

/// One action: everything it makes stays reachable until `undo`.
function action(round) {
  for (let i = 0; i < transientsPerRound; i++) transients.push(new Transient(i));
  const payload = new ListenerPayload(round);
  const onTick = () => payload.round;        // captures payload: the listener leak
  bus.on('tick', onTick);
  added.push(onTick);
  cache.set(round, new CacheEntry(round));   // the cache that grows
  const ring = [];
  for (let i = 0; i < ringLength; i++) ring.push(new RingNode(i));
  for (let i = 0; i < ringLength; i++) ring[i].next = ring[(i + 1) % ringLength];
  rings.push(ring[0]);                       // a ring kept by one reference
}

/// Undoes the actions: the transients always go; the rest only without leaks.
function undo() {
  transients = [];
  if (!leak) {
    for (const listener of added) bus.off('tick', listener);
    cache.clear();
    rings.length = 0;
  }
  added = [];
}

function snapshot(name) { v8.writeHeapSnapshot(path.join(outDir, name + '.heapsnapshot')); }

// A warm-up round (fully undone) compiles the code and creates the shapes before the baseline. Each
// phase runs in its own turn of the event loop, so no stale stack slot keeps an object of the last one.
function warmUp() {
  action(-1);
  for (const listener of added) bus.off('tick', listener);
  cache.clear(); rings.length = 0; transients = []; added = [];
}
function actions() { for (let round = 0; round < rounds; round++) action(round); }
const phases = process.argv.includes('--series')
  ? [warmUp, () => snapshot('step-0'), ...Array.from({ length: rounds }, (_, r) => () => { action(r); undo(); snapshot(`step-${r + 1}`); }), report]
  : [warmUp, () => snapshot('baseline'), actions, () => snapshot('target'), undo, () => snapshot('final'), report];
(function next() { const phase = phases.shift(); if (phase) { phase(); setImmediate(next); } })();

function report() {
  const made = {
    Transient: rounds * transientsPerRound, ListenerPayload: rounds, CacheEntry: rounds, RingNode: rounds * ringLength,
  };
  const leaked = leak ? { ListenerPayload: rounds, CacheEntry: rounds, RingNode: rounds * ringLength } : {};
  process.stdout.write(JSON.stringify({ made, leaked, freed: { Transient: rounds * transientsPerRound } }) + '\n');
}
