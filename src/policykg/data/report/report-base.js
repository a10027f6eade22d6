/* policykg report, part 1: the data, DOM helpers and date formatting shared by the other parts.
   Every text from the data goes into the page as a text node (textContent), never as markup. */
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('policykg-data').textContent);
  const facts = new Map(data.facts.map((fact) => [fact.iri, fact]));
  const actors = new Map(data.actors.map((actor) => [actor.iri, actor]));
  const documents = new Map(data.documents.map((doc) => [doc.iri, doc]));

  const KINDS = ['event', 'statement', 'stance', 'claim', 'relation'];
  const KIND_NAMES = {
    event: ['event', 'events'],
    statement: ['statement', 'statements'],
    stance: ['stance', 'stances'],
    claim: ['claim', 'claims'],
    relation: ['relation', 'relations'],
  };
  /** Polarity colours, shared by the graph, its legend and the detail panel. */
  const POLARITY_COLOURS = {
    supports: '#15803d',
    'open-to': '#0369a1',
    'conditionally-open': '#0e7490',
    opposes: '#c2410c',
    'rules-out': '#7f1d1d',
  };
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
    'September', 'October', 'November', 'December'];

  /** A DOM element: props are text, className, dataset, style (CSSOM), on* listeners, attributes. */
  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'className') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key === 'style') for (const [name, v] of Object.entries(value)) node.style.setProperty(name, v);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of [].concat(children === undefined ? [] : children)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function localName(iri) {
    return String(iri).replace(/[/#]$/, '').split(/[/#]/).pop();
  }

  function nameOf(iri) {
    if (!iri) return '';
    const known = actors.get(iri) || facts.get(iri);
    return known ? known.label : (data.names[iri] || localName(iri));
  }

  function plural(count, kind) {
    return count + ' ' + KIND_NAMES[kind][count === 1 ? 0 : 1];
  }

  /** Milliseconds of an xsd:dateTime without time zone, read as UTC (no locale involved). */
  function ms(lexical) {
    const m = /^(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/.exec(lexical || '');
    if (!m) return null;
    const date = new Date(0);
    date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
    return date.getTime();
  }

  function formatDay(lexical, short) {
    return formatInstant({ value: lexical.slice(0, 10), precision: 'day' }, short);
  }

  /** A range or relative date by its own bounds ("9–30 April 2015"), or by the one bound known
      ("after 2 April 2015"); with no bound of its own, by where it was placed. */
  function formatRange(instant, short) {
    let [first, last] = [instant.earliest, instant.latest];
    if (!first && !last) [first, last] = instant.placedEarliest ? [instant.placedEarliest, null] : [null, instant.placedLatest];
    if (!first) return 'before ' + formatDay(last, short);
    if (!last) return 'after ' + formatDay(first, short);
    const [a, b] = [first.slice(0, 10), last.slice(0, 10)];
    if (a === b) return formatDay(a, short);
    const [, startMonth, startDay] = a.split('-');
    if (a.slice(0, 7) === b.slice(0, 7)) return Number(startDay) + '–' + formatDay(b, short);
    if (a.slice(0, 4) === b.slice(0, 4)) {
      const name = MONTHS[Number(startMonth) - 1];
      return Number(startDay) + ' ' + (short ? name.slice(0, 3) : name) + ' – ' + formatDay(b, short);
    }
    return formatDay(a, short) + ' – ' + formatDay(b, short);
  }

  function formatInstant(instant, short) {
    if (!instant) return '';
    if (instant.precision === 'range') return formatRange(instant, short);
    const value = instant.value || (instant.earliest || '').slice(0, 10);
    const [year, month, day] = value.split('-');
    const monthName = month ? MONTHS[Number(month) - 1] : '';
    const shown = short ? monthName.slice(0, 3) : monthName;
    if (instant.precision === 'year' || !month) return year;
    if (instant.precision === 'month' || !day) return shown + ' ' + year;
    return Number(day) + ' ' + shown + ' ' + year;
  }

  function formatTime(time, short) {
    if (!time) return '';
    if (time.kind === 'instant') return formatInstant(time, short);
    if (time.begin && time.end) {
      return formatInstant(time.begin, short) + ' – ' + formatInstant(time.end, short);
    }
    if (time.begin) return 'since ' + formatInstant(time.begin, short) + (short ? '' : ', open-ended');
    return 'until ' + formatInstant(time.end, short) + (short ? '' : ', start open');
  }

  /** Where an instant is placed: a range by its tightened bounds, a date by its own. */
  function earliestOf(instant) {
    return instant.precision === 'range' ? instant.placedEarliest : instant.earliest;
  }

  function latestOf(instant) {
    return instant.precision === 'range' ? instant.placedLatest : instant.latest;
  }

  /** The earliest moment a time may be at, for sorting (undated last). */
  function startOf(time) {
    if (!time) return Infinity;
    const first = time.kind === 'instant' ? time : time.begin || time.end;
    const at = first ? ms(earliestOf(first) || latestOf(first)) : null;
    return at === null ? Infinity : at;
  }

  function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function compareFacts(a, b) {
    return KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind)
      || startOf(a.time) - startOf(b.time)
      || compareText(a.label, b.label)
      || compareText(a.iri, b.iri);
  }

  /** Handlers that other parts register: select(iri) is called with a fact's or actor's IRI. */
  const listeners = [];

  window.policykgReport = {
    data, facts, actors, documents, KINDS, KIND_NAMES, MONTHS, POLARITY_COLOURS,
    el, localName, nameOf, plural, ms, formatInstant, formatTime, earliestOf, latestOf, startOf, compareText, compareFacts,
    listeners,
    selected: null,
    selectedGroup: null, // the IRIs of a timeline row of several facts, when that was clicked
    select(iri) {
      this.selected = iri;
      this.selectedGroup = null;
      for (const listener of listeners) listener(iri);
    },
  };
})();
