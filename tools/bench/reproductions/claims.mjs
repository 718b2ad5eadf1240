// The seed reproductions' groups and the papers' claims they test, with the test itself: each claim
// is compared with what the runs measured and gets a verdict (holds / does not hold), never a
// hard-coded one. Claims and figures come from the digests in shared/reference/digests
// (hpsgd-and-adpsgd.md, slowmo-review-and-abstracts.md).

/** Configs of groups (a)–(c), run on every network. */
export const ALGORITHM_CONFIGS = ['full-sgd', 'local-sgd-p8', 'adpsgd', 'slowmo', 'hpsgd'];

/** Group (d): every compressor of @syncopate/compression on full SGD (perBucket, a router, left out). */
export const COMPRESSOR_CONFIGS = [
  'compressor-fp16',
  'compressor-bf16',
  'compressor-min-max-8bit',
  'compressor-qsgd',
  'compressor-terngrad',
  'compressor-natural-compression',
  'compressor-scaled-sign',
  'compressor-ef-sign-sgd',
  'compressor-sign-sgd-majority-vote',
  'compressor-one-bit-sgd',
  'compressor-random-k',
  'compressor-top-k',
  'compressor-threshold',
  'compressor-dgc',
  'compressor-gtop-k',
  'compressor-power-sgd',
  'compressor-count-sketch',
];

/** The four comparisons of issue #9. */
export const GROUPS = {
  a: {
    title: 'Full SGD vs constant-period averaging (p = 8) vs ADPSGD',
    paper: 'Jiang & Agrawal, "Adaptive Periodic Averaging" (ADPSGD)',
    configs: ['full-sgd', 'local-sgd-p8', 'adpsgd'],
  },
  b: {
    title: 'Local SGD vs SlowMo vs AllReduce SGD',
    paper: 'Wang, Tantia, Ballas & Rabbat, "SlowMo" (ICLR 2020)',
    configs: ['local-sgd-p8', 'slowmo', 'full-sgd'],
  },
  c: {
    title: 'HPSGD vs local SGD vs synchronous SGD',
    paper: 'Zhou, Ye, Zhang & Lv, "HPSGD: Hierarchical Parallel SGD With Stale Gradients Featuring"',
    configs: ['hpsgd', 'local-sgd-p8', 'full-sgd'],
  },
  d: {
    title: "Every compressor's bytes per step against accuracy (on full SGD)",
    paper: 'the compressors\' papers, via the survey; ADPSGD\'s claim against QSGD',
    configs: ['full-sgd', ...COMPRESSOR_CONFIGS],
  },
};

const pct = (x) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(2)} %`);
const times = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : `${x.toFixed(2)}x`);
const sec = (ms) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const verdict = (ok) => (ok === undefined ? 'not measured' : ok ? 'holds' : 'does not hold');

/**
 * Each claim next to our figures. `groups[id].nets[net]` are the rows run.mjs built.
 * @returns {{ paper: string, claim: string, net: string | null, ours: string, verdict: string }[]}
 */
export function compareClaims(groups, nets) {
  const claims = [];
  const row = (id, net, name) => groups[id]?.nets[net]?.find((r) => r.name === name);
  for (const net of nets) {
    const full = row('a', net, 'full-sgd');
    const cp = row('a', net, 'local-sgd-p8');
    const ad = row('a', net, 'adpsgd');
    if (full && ad) {
      claims.push({
        paper: 'ADPSGD',
        claim: 'speedup over full SGD in total training time: 1.14x-1.27x at 100 Gbps, 1.46x-1.95x at 10 Gbps (GoogLeNet, VGG16 on CIFAR-10, 8 nodes)',
        net,
        ours: `${times(ad.speedupVsFullSgd)} (${sec(ad.trainingMs)} vs ${sec(full.trainingMs)} training time; constant period p = 8: ${times(cp?.speedupVsFullSgd)})`,
        verdict: verdict(ad.speedupVsFullSgd > 1),
      });
    }
    if (cp && ad) {
      claims.push({
        paper: 'ADPSGD',
        claim: 'test accuracy at least that of constant-period averaging (p = 8), with no more synchronisations (paper: 498 syncs vs 500 of 4000 steps)',
        net,
        ours: `ADPSGD ${pct(ad.testAccuracy)} with ${ad.syncCount} syncs; p = 8 ${pct(cp.testAccuracy)} with ${cp.syncCount} syncs`,
        verdict: verdict(ad.testAccuracy >= cp.testAccuracy && ad.syncCount <= cp.syncCount),
      });
    }
    if (full && ad) {
      claims.push({
        paper: 'ADPSGD',
        claim: 'test accuracy about that of full SGD (Table I: 93.49 % vs 92.94 % GoogLeNet, 92.17 % vs 92.10 % VGG16)',
        net,
        ours: `ADPSGD ${pct(ad.testAccuracy)}, full SGD ${pct(full.testAccuracy)}`,
        // "About": within one percentage point, or better.
        verdict: verdict(ad.testAccuracy >= full.testAccuracy - 0.01),
      });
    }
    const local = row('b', net, 'local-sgd-p8');
    const slowmo = row('b', net, 'slowmo');
    const ar = row('b', net, 'full-sgd');
    if (local && slowmo) {
      claims.push({
        paper: 'SlowMo',
        claim: "SlowMo lifts local SGD's accuracy (Table 1, CIFAR-10, tau = 12: 91.73 % -> 93.20 %; ImageNet: 69.94 % -> 73.24 %) at the same communication",
        net,
        ours: `local SGD ${pct(local.testAccuracy)} -> SlowMo ${pct(slowmo.testAccuracy)} (${slowmo.syncCount} vs ${local.syncCount} syncs; AllReduce SGD ${pct(ar?.testAccuracy)})`,
        verdict: verdict(slowmo.testAccuracy > local.testAccuracy && slowmo.syncCount === local.syncCount),
      });
    }
    const hp = row('c', net, 'hpsgd');
    const ls = row('c', net, 'local-sgd-p8');
    const ss = row('c', net, 'full-sgd');
    if (hp && ss) {
      claims.push({
        paper: 'HPSGD',
        claim: 'accuracy at a fixed epoch budget generally identical to synchronous SGD (Fig. 4a)',
        net,
        ours: `HPSGD ${pct(hp.testAccuracy)}, SSGD ${pct(ss.testAccuracy)}, local SGD ${pct(ls?.testAccuracy)}`,
        verdict: verdict(hp.testAccuracy >= ss.testAccuracy - 0.01),
      });
      claims.push({
        paper: 'HPSGD',
        claim: 'at 4 workers, the same performance as local SGD and 133 % more than SSGD (Fig. 5a; "performance" undefined, read here as epochs per unit time)',
        net,
        ours: `mean epoch: HPSGD ${sec(hp.meanEpochMs)}, local SGD ${sec(ls?.meanEpochMs)}, SSGD ${sec(ss.meanEpochMs)}: HPSGD ${times(ss.meanEpochMs / hp.meanEpochMs)} SSGD's rate, ${times(ls ? ls.meanEpochMs / hp.meanEpochMs : null)} local SGD's`,
        // Holds when HPSGD beats SSGD's epoch rate and comes within 15 % of local SGD's.
        verdict: verdict(hp.meanEpochMs < ss.meanEpochMs && (!ls || hp.meanEpochMs <= ls.meanEpochMs * 1.15)),
      });
    }
    const qsgd = groups.d?.nets[net]?.find((r) => r.name === 'compressor-qsgd');
    if (ad && qsgd) {
      claims.push({
        paper: 'ADPSGD',
        claim: 'against QSGD (8-bit): faster convergence with only half of the communication',
        net,
        ours: `ADPSGD ${(ad.meanBytesSentPerRank / 1e6).toFixed(1)} MB per rank, ${pct(ad.testAccuracy)}, ${sec(ad.trainingMs)}; QSGD ${(qsgd.meanBytesSentPerRank / 1e6).toFixed(1)} MB, ${pct(qsgd.testAccuracy)}, ${sec(qsgd.trainingMs)}`,
        verdict: verdict(ad.meanBytesSentPerRank <= qsgd.meanBytesSentPerRank / 2 && ad.testAccuracy >= qsgd.testAccuracy),
      });
    }
  }
  return claims;
}
