// ReportScript — the report's only script, inline and allowed by its hash in the CSP. It reads the
// JSON data block and builds DOM nodes on demand; heap text is only ever set with textContent.
// No eval, no innerHTML, no handler attributes: listeners are attached with addEventListener.

enum ReportScript {
    static let text = #"""
        'use strict';
        (function () {
          const D = JSON.parse(document.getElementById('heap-data').textContent);
          const O = D.o;
          const N = O.id.length;
          let byId = null;

          function localOf(id) {
            if (byId === null) {
              byId = new Map();
              for (let k = 0; k < N; k++) byId.set(String(O.id[k]), k);
            }
            const k = byId.get(String(id));
            return k === undefined ? -1 : k;
          }
          function el(tag, cls, text) {
            const e = document.createElement(tag);
            if (cls) e.className = cls;
            if (text !== undefined) e.textContent = text;
            return e;
          }
          function bytes(n) {
            if (n < 1024) return n + ' B';
            const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
            let v = n / 1024, i = 0;
            while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
            return v.toFixed(1) + ' ' + units[i];
          }
          function signedBytes(n) { return (n > 0 ? '+' : n < 0 ? '−' : '') + bytes(Math.abs(n)); }
          function count(n) { return n.toLocaleString('en-US'); }
          function signedCount(n) { return (n > 0 ? '+' : n < 0 ? '−' : '') + count(Math.abs(n)); }
          function pct(n, whole) {
            const of = whole === undefined ? D.heapBytes : whole;
            if (!(of > 0)) return '—';
            const p = 100 * n / of;
            return p > 0 && p < 0.1 ? '<0.1%' : p.toFixed(1) + '%';
          }
          function fieldName(f) { return f < 0 ? '(unnamed)' : D.fields[f]; }
          function describe(k) {
            let s = D.types[O.t[k]] + ' #' + O.id[k];
            if (O.l[k] >= 0) s += ' "' + D.labels[O.l[k]] + '"';
            return s;
          }
          function link(k) {
            if (k < 0) return el('span', 'o muted', '(an object not in this report)');
            const a = el('a', 'o', describe(k));
            a.href = '#o-' + O.id[k];
            return a;
          }
          function status(k) {
            switch (O.g[k]) {
              case 0: return 'live';
              case 1: return D.garbageWord + ': nothing held from outside reaches it';
              case 2: return 'held by the root ' + D.rootNames[O.rn[k]];
              default: return 'held from outside (its refcount exceeds its referrers in the dump)';
            }
          }

          // The shortest chain of references from a root to object k, as a list of links.
          function pathTo(k) {
            const chain = [];
            let v = k;
            while (v >= 0 && chain.length <= N) {
              chain.push(v);
              if (O.pv[v] < 0) break;
              v = O.pv[v];
            }
            const top = chain[chain.length - 1];
            if (O.g[top] === 1) return el('p', 'note', 'No path from a root: ' + D.garbageWord + '.');
            const list = el('ol', 'path');
            if (O.pv[top] === -2) {
              list.append(el('li', 'muted', '… the chain continues outside this report: heapscan path DUMP ' + O.id[top]));
            } else {
              list.append(el('li', 'muted', O.g[top] === 2 ? 'root ' + D.rootNames[O.rn[top]] : 'held from outside (refcount)'));
            }
            for (let i = chain.length - 1; i >= 0; i--) {
              const item = el('li');
              if (i < chain.length - 1 || O.pv[top] === -2) item.append(el('code', 'field', '.' + fieldName(O.pf[chain[i]]) + ' → '));
              item.append(link(chain[i]));
              list.append(item);
            }
            return list;
          }

          // The object panel: facts, fields, referrers, path from a root.
          const panel = document.getElementById('panel');
          const panelBody = document.getElementById('panel-body');
          function fact(list, name, value) {
            list.append(el('dt', null, name));
            const dd = el('dd');
            if (typeof value === 'string') dd.textContent = value; else dd.append(value);
            list.append(dd);
          }
          function referenceTable(pairs, total, fieldFirst, noun) {
            const wrap = el('div');
            if (total === 0) { wrap.append(el('p', 'muted', 'none')); return wrap; }
            const t = el('table', 'data refs');
            const body = el('tbody');
            for (let i = 0; i < pairs.length; i += 2) {
              const tr = el('tr');
              const target = fieldFirst ? pairs[i + 1] : pairs[i];
              const f = fieldFirst ? pairs[i] : pairs[i + 1];
              tr.append(el('td', 'name', fieldName(f)));
              const cell = el('td');
              cell.append(link(target));
              tr.append(cell);
              body.append(tr);
            }
            t.append(body);
            wrap.append(t);
            if (total > pairs.length / 2) wrap.append(el('p', 'muted', '… ' + count(total - pairs.length / 2) + ' more ' + noun));
            return wrap;
          }
          function openObject(k) {
            panelBody.replaceChildren();
            panelBody.append(el('h2', null, describe(k)));
            const facts = el('dl', 'facts');
            fact(facts, 'type', D.types[O.t[k]]);
            fact(facts, 'id', String(O.id[k]));
            fact(facts, 'shallow size', bytes(O.s[k]));
            if (O.g[k] !== 1) fact(facts, 'retained size', bytes(O.r[k]) + ' (' + pct(O.r[k]) + ' of the heap)');
            if (O.st[k] >= 0) fact(facts, 'allocated at', D.sites[O.st[k]]);
            if (O.l[k] >= 0) fact(facts, 'label', D.labels[O.l[k]]);
            fact(facts, 'status', status(k));
            panelBody.append(facts);
            if (k < D.detailed) {
              const x = D.x[k];
              panelBody.append(el('h3', null, 'Fields (' + count(x[0]) + ')'));
              panelBody.append(referenceTable(x[1], x[0], true, 'fields'));
              panelBody.append(el('h3', null, 'Referrers (' + count(x[2]) + ')'));
              panelBody.append(referenceTable(x[3], x[2], false, 'referrers'));
              if (x[4] > 0) {
                panelBody.append(el('h3', null, 'Non-retaining references (' + count(x[4]) + ')'));
                const weak = [];
                for (let i = 0; i < x[5].length; i += 3) weak.push(x[5][i], x[5][i + 1]);
                panelBody.append(referenceTable(weak, x[4], true, 'non-retaining references'));
              }
            } else {
              panelBody.append(el('p', 'note', 'This object\'s fields and referrers are not in this report (it embeds the details of ' +
                count(D.detailed) + ' of ' + count(D.objectCount) + ' objects); heapscan graph DUMP ' + O.id[k] + ' draws them.'));
            }
            panelBody.append(el('h3', null, 'Path from a root'));
            panelBody.append(pathTo(k));
            panel.hidden = false;
            panel.scrollTop = 0;
          }
          function fromHash() {
            const h = location.hash;
            if (h.indexOf('#o-') !== 0) return;
            const k = localOf(h.slice(3));
            if (k >= 0) openObject(k);
          }
          document.getElementById('panel-close').addEventListener('click', function () { panel.hidden = true; });
          window.addEventListener('hashchange', fromHash);
          document.addEventListener('click', function (event) {
            const a = event.target.closest ? event.target.closest('a.o') : null;
            if (a && a.hash === location.hash) { event.preventDefault(); fromHash(); }
          });

          // Leak suspects.
          function suspects() {
            const box = document.getElementById('suspects-content');
            if (!box) return;
            if (D.suspects.length === 0) { box.append(el('p', 'muted', 'None: no object retains that share of the live heap.')); return; }
            for (const s of D.suspects) {
              const card = el('div', 'suspect');
              const head = el('p');
              head.append(link(s[0]), el('span', null, ' retains ' + bytes(s[1]) + ' (' + (100 * s[2]).toFixed(1) + '% of the live heap)'));
              card.append(head);
              const acc = el('p');
              acc.append(el('span', 'muted', 'Accumulation point: '), link(s[3]), el('span', null, ' (' + bytes(s[4]) + ')'));
              card.append(acc);
              if (s[6] > 1) {
                const chain = el('p');
                chain.append(el('span', 'muted', 'Dominator chain (' + count(s[6]) + ' objects): '));
                s[5].forEach(function (k, i) {
                  if (i > 0) chain.append(el('span', 'muted', ' → '));
                  chain.append(k === -3 ? el('span', 'muted', '… ' + count(s[6] - (s[5].length - 1)) + ' more') : link(k));
                });
                card.append(chain);
              }
              card.append(el('p', 'muted', 'Path from a root:'));
              if (s[0] >= 0) card.append(pathTo(s[0]));
              box.append(card);
            }
          }

          // The dominator tree, built a level at a time when a node is expanded.
          function domItem(k) {
            const li = el('li', 'dom-node');
            li.dataset.k = String(k);
            const row = el('div', 'row');
            const kids = O.dn[k];
            const toggle = el('button', 'toggle', kids > 0 ? '▸' : '·');
            toggle.type = 'button';
            toggle.disabled = kids === 0;
            toggle.setAttribute('aria-expanded', 'false');
            toggle.setAttribute('aria-label', kids > 0 ? 'expand' : 'no children');
            row.append(toggle, el('span', 'num', bytes(O.r[k])), el('span', 'num pct', pct(O.r[k])), el('span', 'num muted', bytes(O.s[k])), link(k));
            if (kids > 0) row.append(el('span', 'muted', count(kids) + (kids === 1 ? ' child' : ' children')));
            li.append(row);
            return li;
          }
          // One level of the tree: the first 200 children, then a button for the next 200.
          function domLevel(children, more, notEmbedded) {
            const ul = el('ul', 'tree-level');
            let next = 0;
            function page() {
              const end = Math.min(next + 200, children.length);
              const items = [];
              for (; next < end; next++) items.push(domItem(children[next]));
              return items;
            }
            ul.append.apply(ul, page());
            if (next < children.length) {
              const li = el('li', 'more');
              const b = el('button', 'show-more', 'show ' + Math.min(200, children.length - next) + ' more of ' + count(children.length - next));
              b.type = 'button';
              b.addEventListener('click', function () {
                li.before.apply(li, page());
                if (next >= children.length) li.remove(); else b.textContent = 'show ' + Math.min(200, children.length - next) + ' more of ' + count(children.length - next);
              });
              li.append(b);
              ul.append(li);
            }
            if (more && more[0] > 0) ul.append(el('li', 'more', '… ' + count(more[0]) + ' smaller, not in this report (' + bytes(more[1]) + ' together)'));
            if (notEmbedded > 0) ul.append(el('li', 'more', count(notEmbedded) + ' children, not in this report'));
            return ul;
          }
          function toggleNode(button) {
            const li = button.closest('li');
            const k = Number(li.dataset.k);
            let ul = li.querySelector(':scope > ul');
            if (ul === null) {
              const kids = D.dk[k];
              ul = kids === 0 ? domLevel([], 0, O.dn[k]) : domLevel(kids, D.dm[k], 0);
              li.append(ul);
            } else {
              ul.hidden = !ul.hidden;
            }
            button.textContent = ul.hidden ? '▸' : '▾';
            button.setAttribute('aria-expanded', ul.hidden ? 'false' : 'true');
          }
          function dominators() {
            const box = document.getElementById('dominators-content');
            if (!box) return;
            box.append(domLevel(D.droot, D.drootMore, 0));
            box.addEventListener('click', function (event) {
              const b = event.target.closest('button.toggle');
              if (b && !b.disabled) toggleNode(b);
            });
          }

          // A sortable table with a filter box on its first column; shows at most 500 rows at a time.
          function dataTable(box, columns, rows, sortColumn) {
            const limit = 500;
            const bar = el('div', 'bar');
            const filter = el('input', 'filter');
            filter.type = 'search';
            filter.placeholder = 'filter by ' + columns[0].label;
            filter.setAttribute('aria-label', 'filter by ' + columns[0].label);
            const info = el('span', 'muted');
            bar.append(filter, el('span', null, ' '), info);
            const table = el('table', 'data');
            const head = el('tr');
            let sort = sortColumn, descending = true;
            const headers = columns.map(function (c, i) {
              const th = el('th', c.num ? 'num' : null);
              const b = el('button', 'sort', c.label);
              b.type = 'button';
              b.addEventListener('click', function () {
                if (sort === i) descending = !descending; else { sort = i; descending = !!c.num; }
                render();
              });
              th.append(b);
              head.append(th);
              return th;
            });
            const thead = el('thead');
            thead.append(head);
            const tbody = el('tbody');
            table.append(thead, tbody);
            box.append(bar, table);
            function render() {
              const q = filter.value.toLowerCase();
              const shown = q ? rows.filter(function (r) { return String(r[0]).toLowerCase().indexOf(q) >= 0; }) : rows.slice();
              shown.sort(function (a, b) {
                const x = a[sort], y = b[sort];
                const order = typeof x === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
                return descending ? -order : order;
              });
              headers.forEach(function (th, i) { th.setAttribute('aria-sort', i === sort ? (descending ? 'descending' : 'ascending') : 'none'); });
              const rowsOut = [];
              for (const r of shown.slice(0, limit)) {
                const tr = el('tr');
                columns.forEach(function (c, i) { tr.append(el('td', c.num ? 'num' : 'name', c.format ? c.format(r[i]) : String(r[i]))); });
                rowsOut.push(tr);
              }
              tbody.replaceChildren.apply(tbody, rowsOut);
              info.textContent = count(shown.length) + (shown.length === 1 ? ' row' : ' rows') +
                (shown.length > limit ? ', the first ' + limit + ' shown: refine the filter' : '');
            }
            filter.addEventListener('input', render);
            render();
          }
          const countColumn = function (label) { return { label: label, num: true, format: count }; };
          const bytesColumn = function (label) { return { label: label, num: true, format: bytes }; };
          function tables() {
            const types = document.getElementById('types-content');
            if (types) {
              dataTable(types, [{ label: 'type' }, countColumn('objects'), bytesColumn('shallow'), bytesColumn('retained')],
                D.typeRows.map(function (r) { return [D.types[r[0]], r[1], r[2], r[3]]; }), 3);
            }
            const sites = document.getElementById('sites-content');
            if (sites) {
              dataTable(sites, [{ label: 'site' }, countColumn('objects'), bytesColumn('shallow'), bytesColumn('retained')],
                D.siteRows.map(function (r) { return [r[0] < 0 ? '(no site recorded)' : D.sites[r[0]], r[1], r[2], r[3]]; }), 3);
            }
          }
          function comparison() {
            const box = document.getElementById('comparison-content');
            if (!box || !D.diff) return;
            const d = D.diff;
            box.append(el('p', null, 'Against ' + d.title + ' (' + count(d.baselineObjects) + ' objects, ' + bytes(d.baselineBytes) + '): ' +
              count(d.newCount) + ' new objects (' + bytes(d.newBytes) + '), ' + count(d.freedCount) + ' freed (' + bytes(d.freedBytes) + ').'));
            const columns = function (name) {
              return [{ label: name }, countColumn('objects'), { label: 'change', num: true, format: signedCount },
                bytesColumn('bytes'), { label: 'bytes change', num: true, format: signedBytes }];
            };
            box.append(el('h3', null, 'By type'));
            const byType = el('div');
            box.append(byType);
            dataTable(byType, columns('type'), d.byType, 4);
            box.append(el('h3', null, 'By allocation site'));
            const bySite = el('div');
            box.append(bySite);
            dataTable(bySite, columns('site'), d.bySite, 4);
            if (d.newTop.length > 0) {
              box.append(el('h3', null, 'Largest new objects'));
              const list = el('ol');
              for (const k of d.newTop) {
                const li = el('li');
                li.append(link(k));
                if (k >= 0) li.append(el('span', 'muted', ' retains ' + bytes(O.r[k])));
                list.append(li);
              }
              box.append(list);
            }
          }

          suspects();
          dominators();
          tables();
          comparison();
          fromHash();
          // The first frame after the page is built: what the benchmark times.
          requestAnimationFrame(function () {
            setTimeout(function () {
              performance.mark('heapscan-painted');
              document.documentElement.dataset.painted = String(performance.now());
            }, 0);
          });
        })();
        """#
}
