/* policykg report, part 3: the graph of actors and positions, drawn by cytoscape.js.
   Each stance is a node coloured by its polarity, between the actor who holds it (left) and the
   actor it is toward (solid arrow) or about (dashed arrow). */
(function () {
  'use strict';

  const R = window.policykgReport;
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  const POLARITY_COLOURS = R.POLARITY_COLOURS;
  const measure = document.createElement('canvas').getContext('2d');

  const MAX_LINE = 170; // px: longer labels wrap at word boundaries

  /** The label wrapped to MAX_LINE and the node size that holds it (cytoscape cannot size to text). */
  function sized(text, weight, fontSize) {
    measure.font = weight + ' ' + fontSize + 'px ' + FONT;
    const lines = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(' ')) {
        const candidate = line ? line + ' ' + word : word;
        if (line && measure.measureText(candidate).width > MAX_LINE) {
          lines.push(line);
          line = word;
        } else line = candidate;
      }
      lines.push(line);
    }
    const width = Math.max(...lines.map((line) => measure.measureText(line).width));
    return { label: lines.join('\n'), w: Math.ceil(width) + 22, h: lines.length * Math.round(fontSize * 1.3) + 12 };
  }

  function stanceLabel(stance) {
    const polarity = stance.polarity ? stance.polarity.label : 'position';
    const topics = stance.topics.map((t) => t.label);
    const shown = topics.slice(0, 2).join(', ') + (topics.length > 2 ? ' +' + (topics.length - 2) : '');
    return shown ? polarity + '\n' + shown : polarity;
  }

  function elements() {
    const nodes = new Map();
    const edges = [];
    const stances = R.data.facts.filter((fact) => fact.kind === 'stance').sort(R.compareFacts);
    const addActor = (iri) => {
      if (nodes.has(iri) || !R.actors.has(iri)) return;
      const name = R.nameOf(iri);
      nodes.set(iri, { data: { id: iri, kind: 'actor', actorKind: R.actors.get(iri).kind, ...sized(name, 600, 12.5) } });
    };
    const link = (source, target, role) => {
      edges.push({ data: { id: source + ' → ' + target + ' (' + role + ')', source, target, role } });
    };
    for (const stance of stances) {
      const label = stanceLabel(stance);
      const code = stance.polarity ? stance.polarity.code : '';
      nodes.set(stance.iri, { data: { id: stance.iri, kind: 'stance', polarity: code, colour: POLARITY_COLOURS[code] || '#475569', ...sized(label, 600, 11.5) } });
      if (stance.holder && R.actors.has(stance.holder)) {
        addActor(stance.holder);
        link(stance.holder, stance.iri, 'holder');
      }
      if (stance.target && R.actors.has(stance.target)) {
        addActor(stance.target);
        link(stance.iri, stance.target, 'target');
      }
      for (const about of stance.about) {
        if (!R.actors.has(about) || about === stance.target || about === stance.holder) continue;
        addActor(about);
        link(stance.iri, about, 'about');
      }
    }
    const sortedNodes = [...nodes.values()].sort((a, b) => R.compareText(a.data.id, b.data.id));
    return { nodes: sortedNodes, edges: edges.sort((a, b) => R.compareText(a.data.id, b.data.id)) };
  }

  const STYLE = [
    { selector: 'node', style: {
      label: 'data(label)', 'font-family': FONT, 'font-size': 12.5, 'font-weight': 600,
      'text-valign': 'center', 'text-halign': 'center', 'text-wrap': 'wrap',
      width: 'data(w)', height: 'data(h)', shape: 'round-rectangle',
      'overlay-opacity': 0, 'underlay-opacity': 0, 'underlay-padding': 5,
      'underlay-color': '#1d4ed8', 'underlay-shape': 'round-rectangle',
      'transition-property': 'opacity', 'transition-duration': 120,
    } },
    { selector: 'node[kind = "actor"]', style: {
      'background-color': '#ffffff', 'border-width': 1.5, 'border-color': '#334155', color: '#0f172a',
    } },
    { selector: 'node[actorKind = "state"]', style: { 'background-color': '#eef2ff', 'border-color': '#3730a3' } },
    { selector: 'node[actorKind = "group"]', style: { 'border-style': 'dashed' } },
    { selector: 'node[kind = "stance"]', style: {
      'background-color': 'data(colour)', color: '#ffffff', 'font-size': 11.5, 'border-width': 0,
      'line-height': 1.3,
    } },
    { selector: 'edge', style: {
      width: 1.5, 'line-color': '#94a3b8', 'target-arrow-color': '#94a3b8',
      'target-arrow-shape': 'triangle', 'arrow-scale': 0.9, 'curve-style': 'bezier',
      'overlay-opacity': 0, 'transition-property': 'opacity', 'transition-duration': 120,
    } },
    { selector: 'edge[role = "holder"]', style: { 'line-color': '#64748b', 'target-arrow-color': '#64748b' } },
    { selector: 'edge[role = "about"]', style: { 'line-style': 'dashed', 'line-dash-pattern': [5, 4] } },
    { selector: 'node:selected', style: { 'underlay-opacity': 0.3 } },
    { selector: '.faded', style: { opacity: 0.35 } },
  ];

  /** breadthfirst stacks its levels top to bottom; turn the result so that holders stand on
      the left, positions in the middle and what they are toward on the right, and stretch the
      levels to the width of the box. */
  function layOut(cy, roots, container) {
    const height = Math.max(container.clientHeight, 320) - 48;
    cy.layout({
      name: 'breadthfirst', directed: true, roots, avoidOverlap: false, animate: false, fit: false,
      boundingBox: { x1: 0, y1: 0, w: height, h: 1000 },
    }).run();
    const nodes = cy.nodes();
    const levels = nodes.map((n) => n.position('y'));
    const top = Math.min(...levels);
    const span = Math.max(...levels) - top || 1;
    const widest = Math.max(...nodes.map((n) => n.data('w')));
    const width = Math.max(container.clientWidth - widest - 48, 240);
    nodes.positions((n) => ({ x: (n.position('y') - top) / span * width, y: n.position('x') }));
    cy.fit(undefined, 24);
  }

  function focus(cy, iri) {
    cy.elements().removeClass('faded');
    cy.elements().unselect();
    const node = iri ? cy.getElementById(iri) : null;
    if (!node || node.empty()) return;
    node.select();
    let keep = node.closedNeighborhood();
    if (node.data('kind') === 'actor') keep = keep.union(keep.nodes('[kind = "stance"]').closedNeighborhood());
    cy.elements().difference(keep).addClass('faded');
  }

  function render() {
    const container = document.getElementById('graph');
    const { nodes, edges } = elements();
    if (!nodes.length) {
      container.replaceWith(R.el('p', { className: 'detail-empty', text: 'The graph holds no stances.' }));
      document.getElementById('graph-fit').remove();
      return;
    }
    const stanceCount = nodes.filter((n) => n.data.kind === 'stance').length;
    container.style.setProperty('height', Math.max(420, stanceCount * 70 + 40) + 'px');
    const holders = [...new Set(R.data.facts.filter((f) => f.kind === 'stance' && f.holder).map((f) => f.holder))]
      .filter((iri) => R.actors.has(iri)).sort();
    const cy = window.cytoscape({
      container,
      elements: [...nodes, ...edges],
      style: STYLE,
      layout: { name: 'preset' },
      minZoom: 0.25,
      maxZoom: 3,
      boxSelectionEnabled: false,
      autoungrabify: false,
    });
    layOut(cy, holders, container);
    cy.on('tap', 'node', (event) => R.select(event.target.id()));
    cy.on('tap', (event) => { if (event.target === cy) R.select(null); });
    document.getElementById('graph-fit').addEventListener('click', () => cy.fit(undefined, 24));
    R.listeners.push((iri) => focus(cy, iri));
    R.cy = cy;
    renderLegend();
  }

  function renderLegend() {
    const used = new Map();
    for (const fact of R.data.facts) {
      if (fact.kind === 'stance' && fact.polarity) used.set(fact.polarity.code, fact.polarity.label);
    }
    const items = [...used.entries()].sort((a, b) => R.compareText(a[0], b[0]))
      .map(([code, label]) => R.el('span', {}, [R.el('span', { className: 'swatch node', style: { background: POLARITY_COLOURS[code] || '#475569' } }), label]));
    items.push(
      R.el('span', {}, [R.el('span', { className: 'swatch line' }), 'toward']),
      R.el('span', {}, [R.el('span', { className: 'swatch line dashed' }), 'about']),
    );
    document.getElementById('graph-legend').replaceChildren(...items);
  }

  render();
})();
