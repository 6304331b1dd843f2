// The RingSwitch dashboard: polls status.json (a node's status, or a lab's statuses) every second
// and redraws the ring by hand in SVG. No libraries, no requests but to its own server; every value
// from the status goes into the page as text (textContent), never as markup.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const RADIUS = 360;
const KINDS = ['udp', 'tcp', 'relay'];
/** Byte counters of each directed link at the previous poll: "from>to" -> {t, bytesIn, bytesOut, rates}. */
const previous = new Map();
/** The pair of nodes whose link the pointer is on, so that its tooltip follows each redraw; null when none. */
let hovered = null;

/** The fraction of the way round the ring of a 160-bit address (40 hex digits), from its first 48 bits. */
function ringFraction(address) {
  const head = parseInt((address || '0').slice(0, 12), 16);
  return Number.isFinite(head) ? head / 2 ** 48 : 0;
}

/**
 * Where each node is drawn: at its ring address, but nodes closer than MIN_GAP of the way round
 * are pushed apart (in ring order) so that their labels do not overlap; the table keeps the true
 * addresses.
 */
const MIN_GAP = 0.05;
function placements(nodes) {
  const order = nodes.map(n => ({node: n, f: ringFraction(n.address)})).sort((a, b) => a.f - b.f);
  if (order.length * MIN_GAP >= 1) {
    order.forEach((o, i) => { o.f = i / order.length; });
  } else if (order.length > 1) {
    // Positions stay unwrapped while they move (the pair across the top compares the first with
    // the last plus a whole turn), so that a node pushed past the top does not seem to jump round.
    for (let pass = 0; pass < 10; pass++) {
      for (let i = 1; i <= order.length; i++) {
        const prev = order[i - 1];
        const cur = order[i % order.length];
        const turn = i === order.length ? 1 : 0;
        const gap = cur.f + turn - prev.f;
        if (gap < MIN_GAP) {
          const push = (MIN_GAP - gap) / 2;
          prev.f -= push;
          cur.f += push;
        }
      }
    }
  }
  return new Map(order.map(o => [o.node, ((o.f % 1) + 1) % 1]));
}

function point(fraction, radius) {
  const angle = fraction * 2 * Math.PI - Math.PI / 2;
  return [Math.cos(angle) * radius, Math.sin(angle) * radius];
}

/**
 * Both shapes of status.json as one: a lab's ({lab, sites: [{site, edge, up, why, status}]}) or a
 * node's NodeStatus, whose peers become nodes known only by address.
 */
function normalise(data) {
  if (Array.isArray(data.sites)) {
    const nodes = data.sites.map(s => ({
      label: 'site ' + s.site, name: s.status ? s.status.name : '', address: s.status ? s.status.address : '',
      up: s.up, why: s.why, edge: s.edge, status: s.status, peer: false,
    }));
    return {title: 'lab ' + data.lab, nodes};
  }
  const self = {label: data.name, name: data.name, address: data.address, up: true, why: '', status: data, peer: false};
  const nodes = [self];
  for (const link of data.links || []) {
    if (!nodes.some(n => n.address === link.address)) {
      nodes.push({label: link.address.slice(0, 8), name: '', address: link.address, up: true, why: '', status: null, peer: true});
    }
  }
  return {title: 'node ' + data.name, nodes};
}

function nodeOf(nodes, address) {
  return nodes.find(n => n.address && address && n.address.startsWith(address));
}

/** The relay's address (or the start of it) in a path "relay:VIA>PEER"; empty for other paths. */
function relayAddress(path) {
  const m = /^relay:([0-9a-fA-F]+)>/.exec(path || '');
  return m ? m[1] : '';
}

/** The relay of a path "relay:VIA>PEER", named by node where the page knows it. */
function relayVia(nodes, path) {
  const address = relayAddress(path);
  const via = address ? nodeOf(nodes, address) : null;
  return via ? via.label : address;
}

function present(v) {
  return v !== undefined && v !== null;
}

function bits(rate) {
  if (!present(rate)) {
    return 'n/a';
  }
  const units = [['Gbit/s', 1e9], ['Mbit/s', 1e6], ['kbit/s', 1e3]];
  for (const [unit, size] of units) {
    if (rate >= size) {
      return (rate / size).toFixed(1) + ' ' + unit;
    }
  }
  return rate.toFixed(0) + ' bit/s';
}

function num(v) {
  return present(v) ? String(v) : 'n/a';
}

function sum(map) {
  return map ? Object.values(map).reduce((a, b) => a + b, 0) : 0;
}

/**
 * Every link each node reports, with its throughput from the change in its byte counters since
 * the last poll (bits a second), null where the status carries no counters.
 */
function directedLinks(nodes) {
  const out = [];
  for (const node of nodes) {
    if (!node.status || !node.up) {
      continue;
    }
    const t = node.status.writtenAtMillis;
    for (const link of node.status.links || []) {
      const key = node.address + '>' + link.address;
      const before = previous.get(key);
      let rateIn = null;
      let rateOut = null;
      if (present(link.bytesIn) && present(link.bytesOut)) {
        if (before && t > before.t) {
          const seconds = (t - before.t) / 1000;
          rateIn = Math.max(0, link.bytesIn - before.bytesIn) * 8 / seconds;
          rateOut = Math.max(0, link.bytesOut - before.bytesOut) * 8 / seconds;
          previous.set(key, {t, bytesIn: link.bytesIn, bytesOut: link.bytesOut, rateIn, rateOut});
        } else if (before && t === before.t) {
          rateIn = before.rateIn;
          rateOut = before.rateOut;
        } else {
          previous.set(key, {t, bytesIn: link.bytesIn, bytesOut: link.bytesOut, rateIn: null, rateOut: null});
        }
      }
      out.push({from: node, to: nodeOf(nodes, link.address), link, rateIn, rateOut});
    }
  }
  return out;
}

/** One line per pair of nodes, with both ends' views of it (a pair may be linked one way for a moment). */
function pairs(directed) {
  const byPair = new Map();
  for (const d of directed) {
    if (!d.to) {
      continue;
    }
    const key = [d.from.address, d.to.address].sort().join('|');
    if (!byPair.has(key)) {
      byPair.set(key, {a: d.from, b: d.to, kind: d.link.kind, views: []});
    }
    byPair.get(key).views.push(d);
  }
  return [...byPair.values()];
}

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) {
    e.setAttribute(k, v);
  }
  if (parent) {
    parent.appendChild(e);
  }
  return e;
}

function describe(nodes, pair) {
  const lines = [pair.a.label + ' \u2194 ' + pair.b.label];
  for (const v of pair.views) {
    const via = v.link.kind === 'relay' ? ' via ' + relayVia(nodes, v.link.path) : '';
    lines.push(v.from.label + ' \u2192 ' + v.to.label + ': ' + v.link.kind + via + ' (' + v.link.path + ')');
    lines.push('  RTT ' + (v.link.rttMillis >= 0 ? v.link.rttMillis + ' ms' : 'n/a')
      + ', throughput in ' + bits(v.rateIn) + ', out ' + bits(v.rateOut));
  }
  return lines.join('\n');
}

function drawRing(view, linkPairs) {
  const svg = document.getElementById('ring');
  const tooltip = document.getElementById('tooltip');
  svg.replaceChildren();
  // Redrawn every second: the link under a pointer that does not move is a new element, so the
  // tooltip is kept by the pair's key and refreshed, and hidden once the pointer leaves the links.
  svg.onmousemove = e => {
    if (!e.target.classList.contains('link')) {
      hovered = null;
      tooltip.hidden = true;
    }
  };
  svg.onmouseleave = () => {
    hovered = null;
    tooltip.hidden = true;
  };
  let stillHovered = false;
  el('circle', {class: 'ring-circle', cx: 0, cy: 0, r: RADIUS}, svg);
  const links = el('g', {id: 'ring-links'}, svg);
  const placed = placements(view.nodes);
  for (const pair of linkPairs) {
    const kind = KINDS.includes(pair.kind) ? pair.kind : 'other';
    // A relayed link is drawn through its relay; each leg is a chord bent towards the centre, so
    // that links between neighbours stay off the ring's circle, a relay's legs bent further than
    // the direct links they run beside.
    const via = pair.kind === 'relay' ? nodeOf(view.nodes, relayAddress(pair.views[0].link.path)) : null;
    const stops = [pair.a, via, pair.b].filter(n => n).map(n => point(placed.get(n), RADIUS));
    let d = `M ${stops[0][0]} ${stops[0][1]}`;
    for (let i = 1; i < stops.length; i++) {
      const [[xa, ya], [xb, yb]] = [stops[i - 1], stops[i]];
      const bend = via ? 0.1 : 0.5;
      d += ` Q ${(xa + xb) / 2 * bend} ${(ya + yb) / 2 * bend} ${xb} ${yb}`;
    }
    const path = el('path', {
      class: 'link kind-' + kind, d,
      'data-kind': pair.kind, 'data-a': pair.a.label, 'data-b': pair.b.label,
    }, links);
    const text = describe(view.nodes, pair);
    const key = pair.a.address + '|' + pair.b.address;
    path.setAttribute('aria-label', text);
    path.addEventListener('mousemove', e => {
      const box = svg.parentElement.getBoundingClientRect();
      hovered = key;
      tooltip.textContent = text;
      tooltip.style.left = (e.clientX - box.left + 12) + 'px';
      tooltip.style.top = (e.clientY - box.top + 12) + 'px';
      tooltip.hidden = false;
    });
    if (hovered === key) {
      tooltip.textContent = text;
      stillHovered = true;
    }
  }
  if (hovered !== null && !stillHovered) {
    hovered = null;
    tooltip.hidden = true;
  }
  const group = el('g', {id: 'ring-nodes'}, svg);
  for (const node of view.nodes) {
    const f = placed.get(node);
    const [x, y] = point(f, RADIUS);
    const state = !node.up ? 'down' : node.status && !node.status.connected ? 'not-joined' : node.peer ? 'peer' : 'up';
    const g = el('g', {class: 'node ' + state, 'data-label': node.label}, group);
    el('circle', {cx: x, cy: y, r: 16}, g);
    const [lx, ly] = point(f, RADIUS + 34);
    const anchor = Math.abs(lx) < 40 ? 'middle' : lx > 0 ? 'start' : 'end';
    el('text', {x: lx, y: ly, 'text-anchor': anchor}, g).textContent = node.label;
    el('text', {x: lx, y: ly + 18, 'text-anchor': anchor, class: 'addr'}, g).textContent =
      (node.address || '').slice(0, 8) + (node.up ? '' : ' (down)');
    el('title', {}, g).textContent = node.label + (node.name ? ' (' + node.name + ')' : '') + ' ' + (node.address || '')
      + (node.up ? '' : '\ndown: ' + node.why);
  }
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) {
    td.className = cls;
  }
  return td;
}

function drawNodes(view, directed) {
  const body = document.querySelector('#nodes tbody');
  body.replaceChildren();
  for (const node of view.nodes.filter(n => !n.peer)) {
    const row = body.insertRow();
    row.dataset.node = node.label;
    const s = node.status;
    const plain = x => (x || '').replace(/\s/g, '');
    cell(row, node.label + (node.name && plain(node.name) !== plain(node.label) ? ' (' + node.name + ')' : ''));
    cell(row, (node.address || '').slice(0, 8), 'text');
    cell(row, !node.up ? 'down: ' + node.why : s.connected ? 'joined' : 'not joined', node.up ? 'text' : 'text down');
    if (!s) {
      continue;
    }
    const mine = directed.filter(d => d.from === node);
    cell(row, KINDS.map(k => mine.filter(d => d.link.kind === k).length).join('/'));
    cell(row, num(s.ring && s.ring.sent)).className = 'ring-sent';
    cell(row, s.frames ? s.frames.fromPort + '/' + s.frames.toPort : 'n/a');
    cell(row, s.dhtRecords ? (s.dhtRecords.signed ? 'signed' : 'plaintext') : 'n/a', 'text');
    cell(row, s.dhtRecords ? String(sum(s.dhtRecords.refused) + s.dhtRecords.replicaDisagreements) : 'n/a');
    cell(row, num(s.security && s.security.sessions));
    cell(row, num(s.security && s.security.handshakes));
    const refused = cell(row, s.security ? String(sum(s.security.refused)) : 'n/a');
    refused.title = s.security ? JSON.stringify(s.security.refused) : '';
    cell(row, String(sum(s.rejects)));
    cell(row, new Date(s.writtenAtMillis).toLocaleTimeString(), 'written');
  }
}

function drawLinks(view, directed) {
  const body = document.querySelector('#links tbody');
  body.replaceChildren();
  for (const d of directed) {
    const row = body.insertRow();
    const l = d.link;
    cell(row, d.from.label);
    cell(row, d.to ? d.to.label : l.address.slice(0, 8), 'text');
    cell(row, l.kind + (l.kind === 'relay' ? ' via ' + relayVia(view.nodes, l.path) : ''), 'text kind');
    cell(row, l.path, 'text');
    cell(row, l.rttMillis >= 0 ? l.rttMillis + ' ms' : 'n/a');
    cell(row, present(l.ageSeconds) ? l.ageSeconds + ' s' : 'n/a');
    cell(row, present(l.bytesIn) ? l.bytesIn + '/' + l.bytesOut : 'n/a');
    cell(row, present(l.recordsIn) ? l.recordsIn + '/' + l.recordsOut : 'n/a');
    cell(row, present(l.bytesIn) ? bits(d.rateIn) + ' / ' + bits(d.rateOut) : 'n/a', 'throughput');
  }
}

function render(data) {
  const view = normalise(data);
  const directed = directedLinks(view.nodes);
  const linkPairs = pairs(directed);
  document.getElementById('title').textContent = view.title;
  document.getElementById('count-nodes').textContent = view.nodes.filter(n => !n.peer).length;
  document.getElementById('count-up').textContent = view.nodes.filter(n => !n.peer && n.up).length;
  for (const k of KINDS) {
    document.getElementById('count-' + k).textContent = linkPairs.filter(p => p.kind === k).length;
  }
  drawRing(view, linkPairs);
  drawNodes(view, directed);
  drawLinks(view, directed);
  const newest = Math.max(...view.nodes.filter(n => n.status).map(n => n.status.writtenAtMillis), 0);
  document.getElementById('updated').textContent = 'status of ' + new Date(newest).toLocaleTimeString();
}

async function poll() {
  const error = document.getElementById('error');
  try {
    const answer = await fetch('status.json', {cache: 'no-store'});
    if (!answer.ok) {
      throw new Error('status.json answered ' + answer.status);
    }
    render(await answer.json());
    error.hidden = true;
  } catch (e) {
    error.textContent = 'cannot read the status: ' + e.message;
    error.hidden = false;
  } finally {
    setTimeout(poll, 1000);
  }
}

poll();
