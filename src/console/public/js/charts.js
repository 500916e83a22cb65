/** uPlot charts of per-minute delivery counts and latency (uPlot is loaded as a classic script: window.uPlot). */
const colors = { delivered: '#1a7f37', retried: '#bc4c00', dead: '#cf222e', avg: '#3b5bdb', max: '#9775fa' };

function size(element) {
  return { width: Math.max(320, element.clientWidth), height: 220 };
}

/** Each value covers its whole minute, so the x range runs to the end of the last minute. */
const minuteRange = (_u, min, max) => [min, max + 60];

/** Counts per minute as steps: a value holds for its minute, and a minute with nothing sits at zero. */
function countsOptions(element) {
  const stepped = window.uPlot.paths.stepped({ align: 1 });
  const line = (label, stroke, fill) => ({ label, stroke, fill, width: 2, paths: stepped, points: { show: false } });
  return {
    ...size(element),
    scales: { x: { time: true, range: minuteRange }, y: { range: (_u, _min, max) => [0, Math.max(4, max * 1.1)] } },
    axes: [{}, { label: 'messages / min', size: 56 }],
    series: [{}, line('delivered', colors.delivered, 'rgba(26,127,55,.18)'), line('retried', colors.retried), line('dead', colors.dead, 'rgba(207,34,46,.12)')],
  };
}

/** Latency only exists in minutes with deliveries: points, joined where minutes follow each other. */
function latencyOptions(element) {
  return {
    ...size(element),
    scales: { x: { time: true, range: minuteRange }, y: { range: (_u, _min, max) => [0, Math.max(100, (max ?? 0) * 1.1)] } },
    axes: [{}, { label: 'ms', size: 56 }],
    series: [
      {},
      { label: 'mean', stroke: colors.avg, width: 2, points: { show: true, size: 6, fill: colors.avg } },
      { label: 'max', stroke: colors.max, width: 1, dash: [4, 4], points: { show: true, size: 5, fill: colors.max } },
    ],
  };
}

/** A chart that keeps its uPlot instance across refreshes and follows its container's width. */
function chart(element, options) {
  let plot = null;
  const resize = () => plot?.setSize(size(element));
  window.addEventListener('resize', resize);
  return {
    update(data) {
      if (plot === null) plot = new window.uPlot(options(element), data, element);
      else plot.setData(data);
    },
    dispose() {
      window.removeEventListener('resize', resize);
      plot?.destroy();
    },
  };
}

export function countsChart(element) {
  const c = chart(element, countsOptions);
  return { ...c, show: (seconds, series) => c.update([seconds, series.delivered, series.retried, series.dead]) };
}

export function latencyChart(element) {
  const c = chart(element, latencyOptions);
  return { ...c, show: (seconds, series) => c.update([seconds, series.latencyAvgMs, series.latencyMaxMs]) };
}
