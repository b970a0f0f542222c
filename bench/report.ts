import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderChart } from './chart';
import type { GatewayKind } from './gateways';
import type { ScenarioResult } from './rounds';
import { fmt, ratio, type Summary } from './stats';

/** What one bench run writes to `bench/results/<stem>.json`. */
export interface BenchReport {
  startedAt: string;
  durationSeconds: number;
  mode: string;
  machine: Record<string, unknown>;
  /** Label of each gateway of the run, in the run's order (ours first). */
  gateways: Record<string, string>;
  before?: { ref?: string; commit: string; subject: string };
  settings: Record<string, unknown>;
  scenarios: ScenarioResult[];
}

/** Writes the JSON, the chart and the Markdown table of a run; returns the table. */
export function writeReport(outDir: string, stem: string, report: BenchReport): string {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, `${stem}.json`), `${JSON.stringify(report, null, 2)}\n`);
  return renderFiles(outDir, stem, report);
}

/** Rewrites the chart and the table from the JSON of a run (`npm run bench -- --render`). */
export function renderReport(outDir: string, stem: string): string {
  const report = JSON.parse(readFileSync(path.join(outDir, `${stem}.json`), 'utf8')) as BenchReport;
  return renderFiles(outDir, stem, report);
}

function renderFiles(outDir: string, stem: string, report: BenchReport): string {
  const kinds = Object.keys(report.gateways) as GatewayKind[];
  writeFileSync(path.join(outDir, `${stem}.svg`), renderChart(report.scenarios, kinds));
  const table = renderTable(report.scenarios, report.gateways);
  writeFileSync(path.join(outDir, `${stem}.md`), table);
  return table;
}

function cell(value: Summary | number | string | undefined, digits = 1): string {
  if (value === undefined) return '–';
  if (typeof value === 'number') return fmt(value, digits);
  if (typeof value === 'string') return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return `${fmt(value.median, digits)} (${fmt(value.min, digits)}–${fmt(value.max, digits)})`;
}

function median(value: Summary | number | string | undefined): number {
  return typeof value === 'object' ? value.median : typeof value === 'number' ? value : NaN;
}

/**
 * Markdown: median (min–max over rounds) per target, and ours ÷ each other gateway of the
 * scenario. A text measure nobody filled in (no failure to show) is left out.
 */
export function renderTable(results: ScenarioResult[], labels: Record<string, string>): string {
  const lines: string[] = [];
  for (const scenario of results) {
    const targets = Object.keys(scenario.rows);
    const others = Object.keys(labels).filter((kind) => kind !== 'ours' && targets.includes(kind));
    const measureNames = Object.keys(Object.values(scenario.rows)[0] ?? {}).filter((name) =>
      targets.some((target) => scenario.rows[target][name] !== ''),
    );
    lines.push(`### ${scenario.id}. ${scenario.title}`, '', `${scenario.measures}. Median (min–max over rounds).`, '');
    lines.push(`| measure | ${targets.map((t) => labels[t] ?? t).join(' | ')} | ${others.map((k) => `ours ÷ ${k}`).join(' | ')} |`);
    lines.push(`|${' --- |'.repeat(1 + targets.length + others.length)}`);
    for (const measureName of measureNames) {
      const ratios = others.map((k) => fmt(ratio(median(scenario.rows.ours?.[measureName]), median(scenario.rows[k]?.[measureName])), 2));
      lines.push(`| ${measureName} | ${targets.map((t) => cell(scenario.rows[t][measureName])).join(' | ')} | ${ratios.join(' | ')} |`);
    }
    for (const note of scenario.notes) lines.push('', `Note: ${note}`);
    lines.push('');
  }
  return lines.join('\n');
}
