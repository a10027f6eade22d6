/* policykg report, part 4: the masthead, the list of facts, the validation verdict, and the panel
   that shows the selected fact with its quotes highlighted in the source text. */
(function () {
  'use strict';

  const R = window.policykgReport;
  const { el, data } = R;
  const codePoints = new Map(); // document IRI → its text as an array of code points
  const CONTEXT_NOTE = 'The graph holds each quote with up to 32 characters of context on either side'
    + ' (its TextQuoteSelector); the full text is not in this report. Run policykg report with'
    + ' --facts to read the quotes in the full text.';

  // -- masthead --------------------------------------------------------------------------------

  function masthead() {
    const docs = data.documents;
    document.getElementById('doc-title').textContent = docs.length === 1
      ? docs[0].title : docs.length + ' documents';
    const meta = document.getElementById('doc-meta');
    docs.forEach((doc, index) => {
      if (index) meta.append(el('br'));
      if (docs.length > 1) meta.append(el('b', { text: doc.title }), ' · ');
      const parts = [];
      if (doc.publisher) parts.push(R.nameOf(doc.publisher));
      if (doc.published) parts.push('published ' + R.formatInstant({ value: doc.published, precision: 'day' }));
      const first = doc.firstPublished;
      if (first && first.date) {
        parts.push('first published ' + (first.publisher ? 'by ' + R.nameOf(first.publisher) + ' ' : '')
          + 'on ' + R.formatInstant({ value: first.date, precision: 'day' }));
      }
      meta.append(parts.join(' · '));
      if (doc.url) meta.append(' · ', el('a', { href: doc.url, rel: 'noopener noreferrer', text: doc.url }));
    });
    const counts = R.KINDS.map((kind) => [R.KIND_NAMES[kind][1], data.facts.filter((f) => f.kind === kind).length]);
    counts.push(['actors', data.actors.length], ['triples', data.tripleCount]);
    document.getElementById('stats').replaceChildren(...counts.map(([name, n]) => el('li', {}, [el('b', { text: n }), name])));
    const verdict = document.getElementById('verdict');
    const v = data.validation;
    verdict.className = 'verdict ' + (v.conforms ? 'ok' : 'bad');
    verdict.textContent = v.conforms ? '✓ Conforms to the shapes'
      : '✗ ' + v.violations.length + ' validation result' + (v.violations.length === 1 ? '' : 's');
  }

  // -- facts list -----------------------------------------------------------------------------

  let filter = 'all';

  function whoLine(fact) {
    const mode = fact.mode ? fact.mode.label : '';
    const by = fact.assertedBy ? R.nameOf(fact.assertedBy) : '';
    return by ? mode + ' · ' + by : mode;
  }

  function factList() {
    const list = document.getElementById('fact-list');
    const shown = data.facts.filter((f) => filter === 'all' || f.kind === filter).sort(R.compareFacts);
    list.replaceChildren(...shown.map((fact) => el('li', {}, el('button', {
      type: 'button', className: 'fact-row', dataset: { fact: fact.iri, kind: fact.kind },
      onclick: () => R.select(fact.iri),
    }, [
      el('span', {}, el('span', { className: 'badge ' + fact.kind, text: fact.kind })),
      el('span', { className: 'label' }, [fact.label, ...factualityMarks(fact)]),
      el('span', { className: 'who', text: whoLine(fact) }),
      el('span', { className: 'when', text: R.formatTime(fact.time, true) }),
    ]))));
    markSelected(R.selected);
  }

  /** Badges for a claim that is hedged or negated ("probable", "not"); none for certain and
      positive, the default. */
  function factualityMarks(fact) {
    const marks = [];
    if (fact.factualPolarity && fact.factualPolarity.code === 'negative') {
      marks.push(el('span', { className: 'badge factuality negative', text: fact.kind === 'statement' ? 'did not say' : 'not', title: fact.factualPolarity.definition || '' }));
    }
    if (fact.certainty) {
      marks.push(el('span', { className: 'badge factuality', text: fact.certainty.label, title: fact.certainty.definition || '' }));
    }
    return marks.map((mark) => [' ', mark]).flat();
  }

  /** A value of factuality in words: "probable, hedged by “is likely to”", "did not say it". */
  function factualityText(value, kind) {
    const parts = [];
    if (value.certainty) parts.push(value.certainty.label);
    const polarity = value.factualPolarity ? value.factualPolarity.code : 'positive';
    if (polarity === 'negative') parts.push(kind === 'statement' ? 'did not say it' : 'not so');
    else if (polarity === 'unknown') parts.push('whether it holds is unknown');
    if (value.hedges && value.hedges.length) parts.push('hedged by ' + value.hedges.map((w) => '“' + w + '”').join(', '));
    return parts.join(', ');
  }

  function filters() {
    const chips = [['all', 'All', data.facts.length]].concat(R.KINDS.map((kind) => [
      kind, R.KIND_NAMES[kind][1][0].toUpperCase() + R.KIND_NAMES[kind][1].slice(1),
      data.facts.filter((f) => f.kind === kind).length,
    ]));
    const holder = document.getElementById('fact-filters');
    const buttons = chips.map(([kind, name, count]) => el('button', {
      type: 'button', className: 'chip', 'aria-pressed': String(kind === filter),
      onclick: () => {
        filter = kind;
        for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.kind === kind));
        factList();
      },
      dataset: { kind },
    }, name + ' ' + count));
    holder.replaceChildren(...buttons);
  }

  function actorList() {
    const sorted = [...data.actors].sort((a, b) => R.compareText(a.label, b.label));
    document.getElementById('actor-list').replaceChildren(...sorted.map((actor) => el('li', {}, el('button', {
      type: 'button', dataset: { actor: actor.iri }, onclick: () => R.select(actor.iri),
    }, [actor.label + ' ', el('small', { text: actor.kind })]))));
  }

  function markSelected(iri) {
    for (const node of document.querySelectorAll('[data-fact].fact-row, #actor-list [data-actor]')) {
      node.classList.toggle('selected', Boolean(iri) && (node.dataset.fact || node.dataset.actor) === iri);
    }
  }

  // -- validation -----------------------------------------------------------------------------

  function validation() {
    const body = document.getElementById('validation-body');
    const v = data.validation;
    if (v.conforms) {
      body.replaceChildren(el('p', { className: 'conforms', text: '✓ The graph conforms to policykg\'s SHACL shapes: no violations.' }));
      return;
    }
    const head = el('tr', {}, ['Severity', 'Message', 'Shape', 'Focus node', 'Facts line'].map((h) => el('th', { text: h })));
    const rows = v.violations.map((x) => el('tr', {}, [
      el('td', { text: x.severity }),
      el('td', {}, [x.message, x.value ? el('div', { className: 'quote-meta', text: 'value: ' + x.value }) : null]),
      el('td', {}, el('code', { text: x.shape + (x.path ? ' ' + x.path : '') })),
      el('td', {}, [R.nameOf(x.focusNode), el('div', {}, el('code', { text: x.focusNode }))]),
      el('td', {}, x.origin ? el('code', { text: x.origin }) : '—'),
    ]));
    body.replaceChildren(
      el('p', { className: 'warning', text: 'The graph does not conform: ' + v.violations.length + ' result(s).' }),
      el('table', { className: 'violations' }, [el('thead', {}, head), el('tbody', {}, rows)]),
    );
  }

  // -- the detail panel ------------------------------------------------------------------------

  const detail = document.getElementById('detail');

  function empty() {
    detail.replaceChildren(
      el('h2', { text: 'Read a fact' }),
      el('p', { className: 'detail-empty', text: 'Click a row of the timeline, a node of the graph or a fact in the list: its quotes appear here, highlighted in the source text, with who asserts it.' }),
    );
  }

  function link(iri) {
    if (!iri) return null;
    if (!R.facts.has(iri) && !R.actors.has(iri)) return el('span', { text: R.nameOf(iri) });
    return el('button', { type: 'button', className: 'link', text: R.nameOf(iri), onclick: () => R.select(iri) });
  }

  function links(iris) {
    if (iris.length < 2) return iris.map(link);
    return el('ul', { className: 'plain' }, iris.map((iri) => el('li', {}, link(iri))));
  }

  function table(rows) {
    const dl = el('dl', { className: 'facts-table' });
    for (const [name, value] of rows) {
      if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) continue;
      dl.append(el('dt', { text: name }), el('dd', {}, value));
    }
    return dl;
  }

  function whoAsserts(fact) {
    if (!fact.mode) return null;
    const parts = [el('b', { text: fact.mode.label, title: fact.mode.definition || '' })];
    if (fact.assertedBy) parts.push(' by ', link(fact.assertedBy));
    if (fact.source) parts.push(' from ', el('a', { href: fact.source, rel: 'noopener noreferrer', text: fact.source }));
    if (fact.mode.definition) parts.push(el('div', { className: 'quote-meta', text: fact.mode.definition }));
    return parts;
  }

  function dateParts(time) {
    if (!time) return null;
    const instants = time.kind === 'instant' ? [time] : [time.begin, time.end].filter(Boolean);
    const notes = instants.map((instant) => {
      const bits = [instant.precision === 'range' ? 'a range: the day is not known' : 'known to the ' + instant.precision];
      if (instant.weekday) bits.push(instant.weekday);
      if (instant.basis) bits.push(instant.basis.label);
      if (instant.note) bits.push(instant.note);
      return bits.join(' · ');
    });
    return [R.formatTime(time), el('div', { className: 'quote-meta', text: notes.join(' / ') })];
  }

  /** The rows that say who holds what, toward whom, when: shown above the quotes. */
  function mainRows(fact) {
    const position = fact.polarity
      ? fact.polarity.label + (fact.condition ? ', if ' + fact.condition : '') : null;
    return [
      ['Who asserts it', whoAsserts(fact)],
      ['Link', fact.relationType ? el('b', { text: fact.relationType.label, title: fact.relationType.definition || '' }) : null],
      ['From', fact.from ? links(fact.from) : null],
      ['To', link(fact.to)],
      ['Speaker', link(fact.speaker)],
      ['Holder', fact.unattributed ? el('i', { text: 'holder not named' }) : link(fact.holder)],
      ['Factuality', fact.kind !== 'event' && (fact.certainty || fact.factualPolarity) ? factualityText(fact, fact.kind) : null],
      ['According to others', (fact.sources || []).map((s) => el('div', {}, [link(s.source), ': ' + (factualityText(s, fact.kind) || 'certain')]))],
      ['Reading of', link(fact.readingOf)],
      ['According to', link(fact.accordingTo)],
      ['Position', position],
      ['Toward', link(fact.target)],
      ['Event type', fact.eventType ? fact.eventType.label : null],
      ['Date', dateParts(fact.time)],
      ['Readings', (fact.readings || []).map(readingLine)],
    ];
  }

  /** A source's reading of a shared event: its link, its document and its dating. */
  function readingLine(iri) {
    const reading = R.facts.get(iri);
    if (!reading) return el('div', {}, link(iri));
    return el('div', {}, [
      link(iri),
      el('span', { className: 'quote-meta', text: [reading.accordingTo ? 'in ' + R.nameOf(reading.accordingTo) : '', R.formatTime(reading.time)].filter(Boolean).join(' · ') }),
    ]);
  }

  /** Everything else the graph says about the fact: shown below the quotes. */
  function moreRows(fact) {
    return [
      ['About', fact.about ? links(fact.about) : null],
      ['Topics', fact.topics ? fact.topics.map((t) => t.label).join(', ') : null],
      ['Words', fact.words && fact.words.length ? fact.words.map((w) => '“' + w + '”').join(' · ') : null],
      ['Actors', fact.actors ? links(fact.actors) : null],
      ['Roles', fact.roles ? roleList(fact.roles, (r) => link(r.actor)) : null],
      ['Place', link(fact.place)],
      ['Part of', link(fact.partOf)],
      ['Commemorates', fact.commemorates ? [link(fact.commemorates), fact.anniversary ? ' (anniversary ' + fact.anniversary + ')' : ''] : null],
      ['Stated at', link(fact.statedAt)],
      ['In office', fact.inOffice ? R.nameOf(fact.inOffice) : null],
      ['Based on', fact.basedOn ? links(fact.basedOn) : null],
      ['Refers to', fact.references ? links(fact.references) : null],
      ['Linked by', linkedBy(fact)],
      ['Forecast', fact.forecast ? 'yes: the author expects it' : null],
      ['Note', fact.note],
      ['IRI', el('code', { className: 'quote-meta', text: fact.iri })],
    ];
  }

  function showFact(fact) {
    const head = el('div', { className: 'detail-kind' }, [el('span', { className: 'badge ' + fact.kind, text: fact.kind })]);
    if (fact.polarity) head.append(el('span', { className: 'badge polarity', style: { background: polarityColour(fact.polarity.code) }, text: fact.polarity.label }));
    if (fact.forecast) head.append(el('span', { className: 'badge', text: 'forecast' }));
    head.append(...factualityMarks(fact));
    detail.replaceChildren(
      head, el('h2', { text: fact.label }), table(mainRows(fact)), ...evidence(fact.quotes, fact),
      el('div', { className: 'evidence-head' }, el('h3', { text: 'Details' })), table(moreRows(fact)),
    );
    scrollToMarks();
  }

  function polarityColour(code) {
    return R.POLARITY_COLOURS[code] || '#475569';
  }

  /** The relations that have the fact at one of their ends: "type other end", each a link. */
  function linkedBy(fact) {
    return data.facts.filter((r) => r.kind === 'relation' && (r.to === fact.iri || (r.from || []).includes(fact.iri)))
      .sort(R.compareFacts).map((r) => el('div', {}, [
        r.to === fact.iri ? [links(r.from.filter((f) => f !== fact.iri)), ' '] : null,
        el('button', { type: 'button', className: 'link', text: r.relationType ? r.relationType.label : 'relation', onclick: () => R.select(r.iri) }),
        r.to === fact.iri ? ' this' : [' ', link(r.to)],
      ]));
  }

  /** Roles as "who (role, according to document)" items; *who* draws the one who has the role. */
  function roleList(roles, who) {
    return roles.map((r) => el('div', {}, [
      who(r), ' ', el('span', { className: 'badge role', text: r.role ? r.role.label : '?', title: r.role && r.role.definition ? r.role.definition : '' }),
      r.document ? el('span', { className: 'quote-meta', text: ' according to ' + R.nameOf(r.document) }) : null,
    ]));
  }

  function showActor(actor) {
    const involved = data.facts.filter((f) => [f.speaker, f.holder, f.target, f.assertedBy].includes(actor.iri)
      || (f.about || []).includes(actor.iri) || (f.actors || []).includes(actor.iri)
      || (f.roles || []).some((r) => r.actor === actor.iri)).sort(R.compareFacts);
    const wikidata = actor.sameAs.filter((iri) => iri.startsWith('http://www.wikidata.org/entity/'));
    detail.replaceChildren(
      el('div', { className: 'detail-kind' }, [el('span', { className: 'badge actor', text: actor.kind })]),
      el('h2', { text: actor.label }),
      table([
        ['Also called', actor.altLabels.join(' · ')],
        ['Members', links(actor.members)],
        ['Roles', roleList(actor.roles || [], (r) => ['in ', link(r.in)])],
        ['Wikidata', wikidata.map((iri) => el('a', { href: 'https://www.wikidata.org/wiki/' + R.localName(iri), rel: 'noopener noreferrer', text: R.localName(iri) }))],
        ['Source', actor.source ? el('a', { href: actor.source, rel: 'noopener noreferrer', text: actor.source }) : null],
        ['Note', actor.note],
        ['IRI', el('code', { className: 'quote-meta', text: actor.iri })],
      ]),
      ...evidence(actor.quotes, actor),
      el('div', { className: 'evidence-head' }, el('h3', { text: 'In ' + involved.length + ' fact' + (involved.length === 1 ? '' : 's') })),
      el('ol', { className: 'related' }, involved.map((f) => el('li', {}, [el('span', { className: 'badge ' + f.kind, text: f.kind }), ' ', link(f.iri)]))),
    );
    scrollToMarks();
  }

  R.showGroup = function showGroup(title, iris) {
    R.select(null);
    R.selectedGroup = iris.join(' ');
    for (const listener of R.listeners) if (listener !== show) listener(null);
    detail.replaceChildren(
      el('h2', { text: title }),
      el('ol', { className: 'related' }, iris.map((iri) => {
        const fact = R.facts.get(iri);
        return el('li', {}, [el('span', { className: 'badge ' + fact.kind, text: fact.kind }), ' ', link(iri)]);
      })),
    );
  };

  // -- evidence --------------------------------------------------------------------------------

  function evidence(quotes, item) {
    const heading = el('div', { className: 'evidence-head' }, el('h3', { text: quotes.length ? 'Evidence: ' + quotes.length + ' quote' + (quotes.length === 1 ? '' : 's') : 'Evidence' }));
    if (!quotes.length) {
      const why = item.mode && item.mode.code === 'curator'
        ? 'No quote: the curator added this from another source' + (item.source ? ' (above).' : '.')
        : 'No quote in the graph for this item.';
      return [heading, el('p', { className: 'evidence-note', text: why })];
    }
    const byDocument = new Map();
    for (const quote of quotes) {
      if (!byDocument.has(quote.document)) byDocument.set(quote.document, []);
      byDocument.get(quote.document).push(quote);
    }
    const parts = [heading];
    for (const [iri, docQuotes] of byDocument) {
      const doc = R.documents.get(iri);
      if (doc && doc.text !== null) {
        parts.push(el('p', { className: 'evidence-note', text: 'Highlighted in the full text of “' + doc.title + '” (from the facts files).' }));
        const text = fullText(doc, docQuotes);
        if (docQuotes.length > 1) parts.push(quoteButtons(text, docQuotes));
        parts.push(text);
      } else {
        parts.push(el('p', { className: 'evidence-note', text: CONTEXT_NOTE }));
        for (const quote of docQuotes) parts.push(inContext(quote, doc));
      }
    }
    return parts;
  }

  function positionNote(quote, doc) {
    const where = quote.start !== null ? 'characters ' + quote.start + '–' + quote.end : '';
    return [doc && R.documents.size > 1 ? doc.title : '', where].filter(Boolean).join(' · ');
  }

  function inContext(quote, doc) {
    return el('blockquote', { className: 'quote-context' }, [
      el('span', { className: 'context', text: (quote.prefix ? '…' + quote.prefix : '') }),
      el('mark', { text: quote.exact }),
      el('span', { className: 'context', text: (quote.suffix ? quote.suffix + '…' : '') }),
      el('span', { className: 'quote-meta', text: positionNote(quote, doc) }),
    ]);
  }

  function fullText(doc, quotes) {
    if (!codePoints.has(doc.iri)) codePoints.set(doc.iri, Array.from(doc.text));
    const chars = codePoints.get(doc.iri);
    const spans = quotes.map((quote, index) => ({ ...quote, index }))
      .filter((q) => q.start !== null).sort((a, b) => a.start - b.start || a.index - b.index);
    const box = el('div', { className: 'source-text', tabindex: '0', 'aria-label': 'Source text' });
    const mismatches = [];
    let at = 0;
    for (const quote of spans) {
      const start = Math.max(quote.start, at);
      if (quote.end <= start) continue;
      box.append(chars.slice(at, start).join(''));
      const exact = chars.slice(start, quote.end).join('');
      if (start === quote.start && exact !== quote.exact) mismatches.push(quote);
      box.append(el('mark', { title: 'characters ' + quote.start + '–' + quote.end, dataset: { quote: quote.index }, text: exact }));
      at = quote.end;
    }
    box.append(chars.slice(at).join(''));
    const parts = [box];
    for (const quote of mismatches) {
      parts.push(el('p', { className: 'warning', text: 'The text at characters ' + quote.start + '–' + quote.end + ' differs from the quote “' + quote.exact + '”.' }));
    }
    return parts.length === 1 ? box : el('div', {}, parts);
  }

  /** One button per quote that scrolls the text to it. */
  function quoteButtons(text, quotes) {
    const box = text.classList.contains('source-text') ? text : text.querySelector('.source-text');
    return el('div', { className: 'quote-nav' }, ['Go to quote: ', ...quotes.map((quote, index) => el('button', {
      type: 'button', className: 'chip', title: quote.exact,
      onclick: () => {
        const mark = box.querySelector('mark[data-quote="' + index + '"]');
        if (!mark) return;
        for (const m of box.querySelectorAll('mark')) m.classList.toggle('current', m === mark);
        box.scrollTop = Math.max(0, mark.offsetTop - 48);
      },
    }, String(index + 1)))]);
  }

  function scrollToMarks() {
    for (const box of detail.querySelectorAll('.source-text')) {
      const mark = box.querySelector('mark');
      if (mark) box.scrollTop = Math.max(0, mark.offsetTop - 48);
    }
  }

  // -- selection ------------------------------------------------------------------------------

  function show(iri) {
    markSelected(iri);
    if (!iri) { empty(); return; }
    if (R.facts.has(iri)) showFact(R.facts.get(iri));
    else if (R.actors.has(iri)) showActor(R.actors.get(iri));
  }

  masthead();
  filters();
  factList();
  actorList();
  validation();
  empty();
  R.listeners.push(show);
  R.ready = true; // the last script has run: the page is drawn
})();
