// The live throughput chart: messages per second in (appended) and out (consumed), drawn by Chart.js.

const IN_COLOR = '#2f6fde';
const OUT_COLOR = '#1e9e6a';

export function throughputChart(canvas) {
  const chart = new window.Chart(canvas, {
    type: 'line',
    data: {labels: [], datasets: [
      // Lower order is drawn on top: "out" often equals "in" and must not hide beneath it.
      {label: 'in (msg/s)', data: [], borderColor: IN_COLOR, backgroundColor: IN_COLOR + '22', fill: true,
        tension: 0, pointRadius: 0, borderWidth: 2, order: 1},
      {label: 'out (msg/s)', data: [], borderColor: OUT_COLOR, backgroundColor: OUT_COLOR + '11', fill: false,
        tension: 0, pointRadius: 0, borderWidth: 2, spanGaps: true, order: 0},
    ]},
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: {mode: 'index', intersect: false},
      scales: {
        x: {ticks: {maxTicksLimit: 8, color: '#6b7280'}, grid: {display: false}},
        y: {beginAtZero: true, ticks: {color: '#6b7280', precision: 0}, grid: {color: '#eef0f4'}},
      },
      plugins: {legend: {position: 'bottom', labels: {boxWidth: 12, sort: (a, b) => a.datasetIndex - b.datasetIndex}}},
    },
  });
  return {
    /** points: [{timeMs, inPerSecond, outPerSecond}] oldest first */
    update(points) {
      chart.data.labels = points.map(p => new Date(p.timeMs).toLocaleTimeString(undefined, {hour12: false}));
      chart.data.datasets[0].data = points.map(p => Math.round(p.inPerSecond * 10) / 10);
      const out = points.map(p => p.outPerSecond === undefined || p.outPerSecond === null ? null
        : Math.round(p.outPerSecond * 10) / 10);
      chart.data.datasets[1].data = out;
      chart.data.datasets[1].hidden = out.every(v => v === null);
      chart.update('none');
    },
    destroy() { chart.destroy(); },
  };
}
