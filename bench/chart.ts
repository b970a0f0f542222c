import type { GatewayKind } from './gateways';
import type { Summary } from './stats';

const COLORS: Record<string, string> = { ours: '#d9480f', 'ours-before': '#ffa94d', hive: '#1971c2', 'hive-rust': '#2f9e44', direct: '#868e96', floor: '#7048e8' };

interface ChartScenario {
  id: string;
  title: string;
  rows: Record<string, Record<string, Summary | number | string>>;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * One group of bars per throughput scenario: median requests/s of each gateway, scaled to the
 * fastest of the group, with the min–max of the rounds as a whisker.
 */
export function renderChart(scenarios: ChartScenario[], kinds: GatewayKind[]): string {
  const groups = scenarios.filter((scenario) => Object.values(scenario.rows).some((row) => typeof row.rps === 'object'));
  const targetsOf = (scenario: ChartScenario) => Object.keys(scenario.rows);
  const barWidth = 26;
  const gap = 46;
  const chartHeight = 220;
  const top = 60;
  let x = 60;
  const parts: string[] = [];
  for (const scenario of groups) {
    const targets = targetsOf(scenario);
    const max = Math.max(...targets.map((t) => (scenario.rows[t].rps as Summary).max || 0)) || 1;
    targets.forEach((target, i) => {
      const rps = scenario.rows[target].rps as Summary;
      const height = (rps.median / max) * chartHeight;
      const bx = x + i * (barWidth + 4);
      const y = top + chartHeight - height;
      parts.push(`<rect x="${bx}" y="${y.toFixed(1)}" width="${barWidth}" height="${height.toFixed(1)}" fill="${COLORS[target] ?? '#495057'}"/>`);
      const y1 = top + chartHeight - (rps.max / max) * chartHeight;
      const y2 = top + chartHeight - (rps.min / max) * chartHeight;
      parts.push(`<line x1="${bx + barWidth / 2}" x2="${bx + barWidth / 2}" y1="${y1.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="#212529"/>`);
      parts.push(`<text x="${bx + barWidth / 2}" y="${(y - 4).toFixed(1)}" font-size="10" text-anchor="middle">${Math.round(rps.median)}</text>`);
    });
    const groupWidth = targets.length * (barWidth + 4);
    parts.push(`<text x="${x + groupWidth / 2}" y="${top + chartHeight + 16}" font-size="11" text-anchor="middle">${escape(`#${scenario.id}`)}</text>`);
    x += groupWidth + gap;
  }
  const legendTargets = [...new Set([...kinds, ...groups.flatMap(targetsOf)])];
  legendTargets.forEach((target, i) => {
    parts.push(`<rect x="${60 + i * 150}" y="14" width="12" height="12" fill="${COLORS[target] ?? '#495057'}"/>`);
    parts.push(`<text x="${76 + i * 150}" y="24" font-size="12">${escape(target)}</text>`);
  });
  const width = Math.max(x + 20, 640);
  const height = top + chartHeight + 50;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="60" y="42" font-size="11">requests/s, median of rounds (whisker: min–max); each group scaled to its own maximum</text>`,
    ...parts,
    `<text x="60" y="${height - 10}" font-size="10">#1 dashboard · #3-N fan-out with N offers · #4 flash sale (burst) · #6 ad serving</text>`,
    `</svg>`,
    '',
  ].join('\n');
}
