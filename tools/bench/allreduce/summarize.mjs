/**
 * Statistics of the allreduce benchmark, shared by run.mjs (one run) and its --merge mode (the
 * samples of several runs pooled). A sample is one program's mean time per call at one size,
 * rank count and round.
 */

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Per rank count and size: median and best (minimum) time of each program over rounds; and for
 * each of our variants, C-time / our-time and our-time − C-time, each taken within a round (C and
 * ours ran seconds apart, so load from elsewhere hits both) and then the median over rounds.
 */
export function summarize(samples, variants) {
  const nps = [...new Set(samples.map((s) => s.np))].sort((a, b) => a - b);
  const sizes = [...new Set(samples.map((s) => s.size))].sort((a, b) => a - b);
  const programs = ['c', 'mpi4py', ...variants.map((v) => `node-${v}`)];
  const results = [];
  for (const np of nps) {
    for (const size of sizes) {
      const here = samples.filter((s) => s.np === np && s.size === size);
      const of = (name) => here.filter((s) => s.program === name).map((s) => s.seconds);
      const rounds = [...new Set(here.map((s) => s.round))];
      const inRound = (name, round) => here.find((s) => s.program === name && s.round === round)?.seconds;
      const perRound = (v, f) =>
        median(rounds.map((r) => [inRound('c', r), inRound(`node-${v}`, r)]).filter(([c, ours]) => c && ours).map(([c, ours]) => f(c, ours)));
      const entry = {
        np,
        size,
        rounds: rounds.length,
        seconds: Object.fromEntries(programs.map((p) => [p, median(of(p))])),
        bestSeconds: Object.fromEntries(programs.map((p) => [p, Math.min(...of(p))])),
        ratioCOverOurs: {},
        overheadMicros: {},
        bestRatioCOverOurs: {},
        bestOverheadMicros: {},
      };
      for (const v of variants) {
        const ours = `node-${v}`;
        entry.ratioCOverOurs[v] = perRound(v, (c, o) => c / o);
        entry.overheadMicros[v] = perRound(v, (c, o) => (o - c) * 1e6);
        entry.bestRatioCOverOurs[v] = entry.bestSeconds.c / entry.bestSeconds[ours];
        entry.bestOverheadMicros[v] = (entry.bestSeconds[ours] - entry.bestSeconds.c) * 1e6;
      }
      results.push(entry);
    }
  }
  return results;
}

const time = (s) => (s * 1e6 < 1000 ? `${(s * 1e6).toFixed(1)} µs` : `${(s * 1e3).toFixed(2)} ms`);
const floats = (n) => Number(n.toPrecision(2)).toExponential().replace('e+', 'e');

/** The results as a Markdown table: medians, ratios and overheads. */
export function markdownTable(results, variants) {
  const header = [
    'np',
    'floats',
    'C',
    'mpi4py',
    ...variants.map((v) => `ours (${v})`),
    ...variants.map((v) => `C/ours (${v})`),
    ...variants.map((v) => `overhead (${v})`),
  ];
  const rows = results.map((r) => [
    r.np,
    floats(r.size),
    time(r.seconds.c),
    time(r.seconds.mpi4py),
    ...variants.map((v) => time(r.seconds[`node-${v}`])),
    ...variants.map((v) => r.ratioCOverOurs[v].toFixed(2)),
    ...variants.map((v) => `${r.overheadMicros[v].toFixed(1)} µs`),
  ]);
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}
