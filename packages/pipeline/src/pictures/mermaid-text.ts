import { neutralizeUntrustedText } from "@dask-fargate-action/core/text";

/**
 * Text from a job or an engine (metric names, stop reasons) made safe for a Mermaid label: neutralised like every
 * untrusted line first, then cut to letters, digits and a few marks. Mermaid reads `:`, `#`, `;`, `%%`, quotes, brackets
 * and backticks as syntax (and three backticks would end the Markdown code block), so none of them gets through.
 */
export function mermaidLabel(text: string, max = 48): string {
  const plain = neutralizeUntrustedText(text)
    .replace(/[^A-Za-z0-9 _.\-/()+=]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return (plain.length > max ? `${plain.slice(0, max - 1)}…` : plain) || "?";
}

/** Text for a Markdown table cell: neutralised, with no markup, pipes or line breaks. */
export function markdownCell(text: string): string {
  return neutralizeUntrustedText(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "&#124;")
    .replace(/`/g, "&#96;")
    .replace(/\r?\n/g, " ");
}

/** `12.3 s`, `4 min 05 s`: a duration for people. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - m * 60)).padStart(2, "0")} s`;
}

/** The nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

/** A number for a chart or table: at most 4 significant digits, no exponent for ordinary values. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "0";
  if (value !== 0 && (Math.abs(value) >= 1e9 || Math.abs(value) < 1e-4)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/** XY charts' line colour: Mermaid's default palette starts with a pale lilac that is hard to see on white. */
export const XY_THEME =
  '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#1f6feb, #d1242f, #1a7f37"}}}}%%';
