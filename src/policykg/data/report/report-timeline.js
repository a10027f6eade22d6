/* policykg report, part 2: the timeline.
   Honest about precision: a date known to the day is a diamond, one known to the month or year a
   hatched bar over the whole month or year (it lies somewhere in it), an interval a solid bar, and
   an interval without an end fades out to the right. Long empty stretches are cut out of the axis
   and drawn as hatched breaks, so 1989 and 2016 fit on one line without squashing either. */
(function () {
  'use strict';

  const R = window.policykgReport;
  const { el } = R;
  const DAY = 864e5;
  const MERGE_GAP_YEARS = 2; // empty stretches longer than this become a break in the axis
  const BREAK_SHARE = 0.045; // width of one break, as a share of the track

  function yearOf(t) { return new Date(t).getUTCFullYear(); }
  function yearStart(year) { const d = new Date(0); d.setUTCFullYear(year, 0, 1); return d.getTime(); }
  function monthStart(year, month) { const d = new Date(0); d.setUTCFullYear(year, month, 1); return d.getTime(); }

  /** Where a time lies: [start, end) in ms; null ends are open. */
  function spanOf(time) {
    if (time.kind === 'instant') {
      // A range known at one end only runs from that end for a day, shown as a period.
      const start = R.ms(R.earliestOf(time));
      const end = R.ms(R.latestOf(time));
      return {
        start: start !== null ? start : end - DAY + 1000,
        end: end !== null ? end + 1000 : start + DAY,
        shape: time.precision === 'day' ? 'day' : 'period',
      };
    }
    const begin = time.begin;
    const end = time.end;
    const beginLatest = begin && R.latestOf(begin);
    const endEarliest = end && R.earliestOf(end);
    return {
      start: begin ? R.ms(R.earliestOf(begin) || beginLatest) : null,
      end: end ? R.ms(R.latestOf(end) || endEarliest) + 1000 : null,
      beginKnownFrom: begin && begin.precision !== 'day' && beginLatest ? R.ms(beginLatest) + 1000 : null,
      endKnownUntil: end && end.precision !== 'day' && endEarliest ? R.ms(endEarliest) : null,
      shape: 'interval',
    };
  }

  /** A piecewise-linear scale over whole years, with breaks for long empty stretches. */
  function makeScale(spans, points) {
    const ranges = [];
    for (const span of spans) {
      const a = span.start !== null ? span.start : span.end;
      const b = span.end !== null ? span.end : span.start;
      ranges.push([yearOf(a), yearOf(b - 1)]);
    }
    for (const point of points) ranges.push([yearOf(point), yearOf(point)]);
    ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    const merged = [];
    for (const [first, last] of ranges) {
      const current = merged[merged.length - 1];
      if (current && first - current[1] - 1 <= MERGE_GAP_YEARS) current[1] = Math.max(current[1], last);
      else merged.push([first, last]);
    }
    const segments = merged.map(([first, last]) => ({ from: yearStart(first), to: yearStart(last + 1) }));
    const total = segments.reduce((sum, s) => sum + (s.to - s.from), 0);
    const usable = 1 - BREAK_SHARE * (segments.length - 1);
    let x = 0;
    for (const segment of segments) {
      segment.x0 = x;
      segment.x1 = x + usable * (segment.to - segment.from) / total;
      x = segment.x1 + BREAK_SHARE;
    }
    function at(t) {
      if (t <= segments[0].from) return 0;
      for (let i = 0; i < segments.length; i += 1) {
        const s = segments[i];
        if (t <= s.to) {
          if (t >= s.from) return s.x0 + (s.x1 - s.x0) * (t - s.from) / (s.to - s.from);
          const previous = segments[i - 1];
          return previous.x1 + (s.x0 - previous.x1) * 0.5;
        }
      }
      return 1;
    }
    return { segments, at };
  }

  function percent(fraction) {
    return (Math.round(fraction * 100000) / 1000) + '%';
  }

  function axis(scale, width) {
    const track = el('div', { className: 'tl-track' });
    const lines = [];
    scale.segments.forEach((segment, index) => {
      const years = yearOf(segment.to - 1) - yearOf(segment.from) + 1;
      const yearWidth = width * (segment.x1 - segment.x0) / years;
      const step = yearWidth >= 44 ? 1 : yearWidth >= 12 ? 5 : 10;
      for (let year = yearOf(segment.from); year < yearOf(segment.to - 1) + 1; year += 1) {
        const x = scale.at(yearStart(year));
        lines.push(el('div', { className: 'tl-grid-line year', style: { left: percent(x) } }));
        if ((year - yearOf(segment.from)) % step === 0) {
          track.append(el('span', { className: 'tl-tick-label year', style: { left: percent(x) }, text: year }));
        }
        const monthWidth = yearWidth / 12;
        for (let month = 1; month < 12 && monthWidth >= 6; month += 1) {
          const mx = scale.at(monthStart(year, month));
          lines.push(el('div', { className: 'tl-grid-line', style: { left: percent(mx) } }));
          const labelled = monthWidth >= 30 || (monthWidth >= 11 && month % 3 === 0);
          if (labelled) {
            track.append(el('span', { className: 'tl-tick-label', style: { left: percent(scale.at(monthStart(year, month)) + (scale.at(monthStart(year, month + 1)) - mx) / 2) }, text: R.MONTHS[month].slice(0, 3) }));
          }
        }
      }
      const next = scale.segments[index + 1];
      if (next) {
        const gap = yearOf(next.from) - yearOf(segment.to);
        lines.push(el('div', { className: 'tl-break', style: { left: percent(segment.x1), width: percent(next.x0 - segment.x1) }, title: gap + ' years without dated facts, cut out' }));
        track.append(el('span', { className: 'tl-tick-label break', style: { left: percent((segment.x1 + next.x0) / 2) }, text: '⋯' }));
      }
    });
    return { row: el('div', { className: 'tl-axis', 'aria-hidden': 'true' }, [el('div'), track]), lines };
  }

  function marks(span, scale) {
    const left = span.start !== null ? scale.at(span.start) : 0;
    const right = span.end !== null ? scale.at(span.end) : 1;
    if (span.shape === 'day') return [el('div', { className: 'tl-mark day', style: { left: percent((left + right) / 2) } })];
    if (span.shape === 'period') return [el('div', { className: 'tl-mark period', style: { left: percent(left), width: percent(right - left) } })];
    const parts = [];
    let solidFrom = left;
    let solidTo = right;
    if (span.beginKnownFrom !== null && span.beginKnownFrom !== undefined) {
      solidFrom = scale.at(span.beginKnownFrom);
      parts.push(el('div', { className: 'tl-mark period', style: { left: percent(left), width: percent(solidFrom - left) } }));
    }
    if (span.endKnownUntil !== null && span.endKnownUntil !== undefined) {
      solidTo = scale.at(span.endKnownUntil);
      parts.push(el('div', { className: 'tl-mark period', style: { left: percent(solidTo), width: percent(right - solidTo) } }));
    }
    const open = span.end === null ? ' open-end' : '';
    parts.push(el('div', { className: 'tl-mark interval' + open, style: { left: percent(solidFrom), width: percent(solidTo - solidFrom) } }));
    return parts;
  }

  function row(item, scale) {
    const node = el('div', {
      className: 'tl-row' + (item.group ? ' group' : ''),
      role: 'button',
      tabindex: '0',
      title: item.title,
      dataset: item.dataset,
      onclick: item.activate,
      onkeydown: (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); item.activate(); } },
    }, [
      el('div', { className: 'tl-label' }, [
        el('span', { className: 'tl-name', text: item.name }),
        el('span', { className: 'tl-when', text: item.when }),
      ]),
      el('div', { className: 'tl-track' }, marks(item.span, scale)),
    ]);
    if (item.count) {
      const right = item.span.end !== null ? scale.at(item.span.end) : 1;
      node.lastChild.append(el('span', { className: 'tl-count', style: { left: 'calc(' + percent(right) + ' + 10px)' }, text: item.count }));
    }
    return node;
  }

  function eventItems() {
    return R.data.facts
      .filter((fact) => fact.kind === 'event' && fact.time)
      .sort((a, b) => R.startOf(a.time) - R.startOf(b.time) || R.compareText(a.label, b.label))
      .map((fact) => ({
        name: fact.label,
        when: R.formatTime(fact.time, fact.time.kind !== 'instant') + ' · ' + precisionNote(fact.time),
        title: fact.label,
        span: spanOf(fact.time),
        dataset: { fact: fact.iri, kind: 'event' },
        activate: () => R.select(fact.iri),
      }));
  }

  function precisionNote(time) {
    if (time.kind === 'instant') return time.precision === 'range' ? 'somewhere in this range' : 'known to the ' + time.precision;
    return time.end ? 'a span of time' : 'no end given';
  }

  /** Statements, stances and claims of the same date share one row: one mark, their count. */
  function claimGroups() {
    const groups = new Map();
    for (const fact of R.data.facts) {
      if (fact.kind === 'event' || !fact.time) continue;
      const t = fact.time;
      const key = JSON.stringify(t.kind !== 'instant' ? t : t.value ? [t.value, t.precision]
        : [t.earliest, t.latest, t.placedEarliest, t.placedLatest]);
      if (!groups.has(key)) groups.set(key, { time: fact.time, facts: [] });
      groups.get(key).facts.push(fact);
    }
    return [...groups.values()]
      .sort((a, b) => R.startOf(a.time) - R.startOf(b.time) || R.compareText(R.formatTime(a.time), R.formatTime(b.time)))
      .map((group) => {
        const members = group.facts.sort(R.compareFacts);
        const counts = R.KINDS.filter((kind) => kind !== 'event')
          .map((kind) => [kind, members.filter((f) => f.kind === kind).length])
          .filter(([, n]) => n > 0)
          .map(([kind, n]) => R.plural(n, kind));
        const title = R.formatTime(group.time);
        return {
          group: true,
          name: counts.join(', '),
          when: title + ' · ' + precisionNote(group.time),
          title: members.map((f) => f.label).join('\n'),
          span: spanOf(group.time),
          count: members.length > 1 ? String(members.length) : '',
          dataset: { kind: 'group', facts: members.map((f) => f.iri).join(' ') },
          activate: () => R.showGroup('Dated ' + title, members.map((f) => f.iri)),
        };
      });
  }

  function publicationPoints() {
    const points = [];
    for (const doc of R.data.documents) {
      const date = doc.published || (doc.firstPublished && doc.firstPublished.date);
      if (date) points.push({ t: R.ms(date + 'T12:00:00'), label: doc.published ? 'published' : 'first published' });
    }
    return points;
  }

  function render() {
    const container = document.getElementById('timeline');
    const events = eventItems();
    const groups = claimGroups();
    const published = publicationPoints();
    const spans = [...events, ...groups].map((item) => item.span);
    container.replaceChildren();
    if (spans.length === 0) {
      container.append(el('p', { className: 'detail-empty', text: 'No dated events or statements.' }));
      return;
    }
    const scale = makeScale(spans, published.map((p) => p.t));
    const width = Math.max(200, container.clientWidth - parseFloat(getComputedStyle(container).getPropertyValue('--label-width') || '280'));
    const { row: axisRow, lines } = axis(scale, width);
    const overlay = el('div', { className: 'tl-overlay', 'aria-hidden': 'true' }, lines);
    for (const point of published) {
      overlay.append(el('div', { className: 'tl-published', style: { left: percent(scale.at(point.t)) }, title: point.label }, el('span', { text: point.label })));
    }
    container.append(overlay, axisRow);
    container.append(el('div', { className: 'tl-group' }, [el('span', { text: 'Events' })]));
    for (const item of events) container.append(row(item, scale));
    if (groups.length) {
      container.append(el('div', { className: 'tl-group' }, [el('span', { text: 'Statements, stances and claims' })]));
      for (const item of groups) container.append(row(item, scale));
    }
    highlight(R.selected);
  }

  function renderUndated() {
    const undated = R.data.facts.filter((fact) => fact.kind === 'event' && !fact.time)
      .sort((a, b) => R.compareText(a.label, b.label));
    const holder = document.getElementById('timeline-undated');
    holder.replaceChildren();
    if (!undated.length) return;
    holder.append('Undated events (the text gives no date): ');
    undated.forEach((fact, i) => {
      if (i) holder.append(' · ');
      holder.append(el('button', { type: 'button', text: fact.label, onclick: () => R.select(fact.iri) }));
    });
  }

  function renderLegend() {
    const swatch = (className, style) => el('span', { className: 'swatch ' + className, style });
    document.getElementById('timeline-legend').replaceChildren(
      el('span', {}, [swatch('day'), 'known to the day']),
      el('span', {}, [swatch('', { background: 'repeating-linear-gradient(135deg, rgba(29,78,216,.32) 0 3px, rgba(29,78,216,.1) 3px 6px)', border: '1px solid #1d4ed8' }), 'some time in that month, year or range']),
      el('span', {}, [swatch('', { background: '#1d4ed8' }), 'lasting']),
      el('span', {}, [swatch('', { background: 'linear-gradient(90deg, #1d4ed8, rgba(29,78,216,0))' }), 'no end given']),
    );
  }

  function highlight(iri) {
    for (const node of document.querySelectorAll('#timeline .tl-row')) {
      const members = node.dataset.facts || node.dataset.fact || '';
      const chosen = iri ? members.split(' ').includes(iri) : members === R.selectedGroup;
      node.classList.toggle('selected', chosen);
    }
  }

  renderLegend();
  renderUndated();
  render();
  R.listeners.push(highlight);
  let pending = false;
  window.addEventListener('resize', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; render(); });
  });
})();
