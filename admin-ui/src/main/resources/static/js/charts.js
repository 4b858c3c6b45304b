/*
 * The console's charts over time. Every figure.chart names where its history is (data-source: the console's
 * /charts/... JSON, which is the gateway's GET /v1/.../history) and which series to draw (data-metrics). Figures of one
 * source share one request; every data-refresh-ms the history is asked again and the plots get the new points.
 * A figure says what it shows in its status line and in data-points (the instants drawn), data-latest (the newest
 * value of its first series) and data-peak (that series' highest), so a person, and a browser test, can read it
 * without looking at the canvas.
 */
(function () {
    'use strict';

    const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
    const plots = new Map();

    function label(series, byMetric) {
        if (byMetric) {
            return series.metric.replace(/_seconds$/, '').replace(/_/g, ' ');
        }
        if (series.node_id != null) {
            return 'node ' + series.node_id;
        }
        if (series.partition == null) {
            return 'all partitions';
        }
        return (series.topic ? series.topic + '-' : 'partition ') + series.partition;
    }

    /** The series as uPlot's columns: every instant any of them has (seconds), each series null where it has none. */
    function columns(series) {
        const instants = [...new Set(series.flatMap(s => s.times))].sort((a, b) => a - b);
        const data = [instants.map(t => t / 1000)];
        for (const s of series) {
            const byTime = new Map(s.times.map((t, i) => [t, s.values[i]]));
            data.push(instants.map(t => byTime.has(t) ? byTime.get(t) : null));
        }
        return data;
    }

    function format(value, unit) {
        if (value === null || value === undefined) {
            return '—';
        }
        if (unit === 'bytes') {
            const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
            let scaled = value;
            let i = 0;
            while (scaled >= 1024 && i < units.length - 1) {
                scaled /= 1024;
                i++;
            }
            return (i === 0 ? scaled : scaled.toFixed(1)) + ' ' + units[i];
        }
        if (unit === 'seconds') {
            return value < 1 ? (value * 1000).toFixed(1) + ' ms' : value.toFixed(2) + ' s';
        }
        return (Math.round(value * 100) / 100) + ' ' + unit;
    }

    const COMPACT = new Intl.NumberFormat('en', {notation: 'compact', maximumFractionDigits: 1});

    /** An axis tick: bytes and seconds in their units, counts and rates as compact numbers (the unit is in the title). */
    function tick(value, unit) {
        return unit === 'bytes' || unit === 'seconds' ? format(value, unit) : COMPACT.format(value);
    }

    function draw(figure, history) {
        const metrics = figure.dataset.metrics.split(',');
        const series = history.series.filter(s => metrics.includes(s.metric) && s.times.length > 0);
        const status = figure.querySelector('.chart-status');
        const holder = figure.querySelector('.plot');
        if (series.length === 0) {
            status.textContent = 'No points yet: the gateway takes one every ' + history.interval_ms / 1000 + ' s.';
            figure.dataset.points = '0';
            return;
        }
        const data = columns(series);
        const first = series[0];
        const latest = first.values[first.values.length - 1];
        figure.dataset.points = String(data[0].length);
        const peak = Math.max(...first.values);
        figure.dataset.latest = String(latest);
        figure.dataset.peak = String(peak);
        status.textContent = data[0].length + ' points over the last ' + Math.round(history.window_ms / 60000)
            + ' min; ' + label(first, metrics.length > 1) + ': latest ' + format(latest, first.unit) + ', peak '
            + format(peak, first.unit);

        const key = series.map(s => label(s, metrics.length > 1)).join('|');
        const existing = plots.get(figure);
        if (existing && existing.key === key) {
            existing.plot.setData(data);
            return;
        }
        if (existing) {
            existing.plot.destroy();
        }
        const options = {
            width: Math.max(320, holder.clientWidth || 640),
            height: 200,
            scales: {x: {time: true}},
            axes: [{}, {size: 64, values: (u, values) => values.map(v => tick(v, first.unit))}],
            series: [{}].concat(series.map((s, i) => ({
                label: label(s, metrics.length > 1),
                stroke: COLOURS[i % COLOURS.length],
                width: s.partition == null && s.node_id == null && metrics.length === 1 ? 2.5 : 1.5,
                spanGaps: true,
                points: {show: data[0].length < 60},
                value: (u, v) => format(v, s.unit)
            })))
        };
        plots.set(figure, {key: key, plot: new uPlot(options, data, holder)});
    }

    function refusal(figure, answer) {
        figure.querySelector('.chart-status').textContent = answer && answer.detail
            ? answer.detail + ' (' + answer.error_code + ')' : 'The console did not answer.';
    }

    function load(source, figures) {
        fetch(source, {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
            .then(response => response.json().then(body => ({ok: response.ok, body: body})))
            .then(answer => figures.forEach(f => answer.ok ? draw(f, answer.body) : refusal(f, answer.body)))
            .catch(() => figures.forEach(f => refusal(f, null)));
    }

    document.addEventListener('DOMContentLoaded', () => {
        const bySource = new Map();
        document.querySelectorAll('figure.chart').forEach(figure => {
            const source = figure.dataset.source;
            bySource.set(source, (bySource.get(source) || []).concat([figure]));
        });
        bySource.forEach((figures, source) => {
            load(source, figures);
            const every = Number(figures[0].dataset.refreshMs) || 5000;
            setInterval(() => load(source, figures), every);
        });
    });
})();
