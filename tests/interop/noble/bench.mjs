// Stele's BLS benchmark, @noble/curves side. Usage: node bench.mjs <fixture-dir> <runs> <aggregate-subset>
// Reads the fixture written by `stele bench bls`, runs the same operations on the same bytes, and prints
// one JSON object: { "<operation>": { "medianMs": number, "note": string } }.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bls12_381 } from '@noble/curves/bls12-381.js';

const [dir, runsArg, subsetArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const subset = Number(subsetArg ?? 2048);
const fx = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8'));
const bls = bls12_381.longSignatures;
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const hex = (s) => Uint8Array.from(Buffer.from(s, 'hex'));
const chunks = (buf, size, n) => Array.from({ length: n }, (_, i) => Uint8Array.from(buf.subarray(i * size, (i + 1) * size)));

const count = fx.count;
const n = Math.min(subset, count);
// All `count` keys (65,536 by default) were validated by Stele; full noble validation of each (subgroup
// check) would take minutes of set-up, so noble gets them uncompressed and builds the points directly
// (noble's aggregatePublicKeys treats point instances as already validated, like Stele's proven keys).
// Public-key aggregation and FastAggregateVerify therefore run at full size on both sides.
const pkBytes = chunks(readFileSync(join(dir, 'pks_u.bin')), 96, count);
const toBig = (b) => BigInt('0x' + Buffer.from(b).toString('hex'));
const trustedPoint = (b) => new G1(toBig(b.subarray(0, 48)), toBig(b.subarray(48, 96)), 1n);
const sigBytes = chunks(readFileSync(join(dir, 'sigs.bin')), 96, n);
const sigBytesU = chunks(readFileSync(join(dir, 'sigs_u.bin')), 192, n);
const pkPoints = pkBytes.map(trustedPoint);
for (const i of [0, count - 1]) if (!pkPoints[i].equals(G1.fromBytes(pkBytes[i]))) throw new Error('trusted key disagrees with noble');
const msg = hex(fx.message);
const sk = hex(fx.secretKey);
const pk = G1.fromBytes(hex(fx.publicKey));
const sig = G2.fromBytes(hex(fx.signature));
const aggSig = G2.fromBytes(hex(fx.aggregateSignature));
const batch = fx.batch.map((s) => ({ pk: G1.fromBytes(hex(s.publicKey)), msg: hex(s.message), sig: G2.fromBytes(hex(s.signature)) }));
const g1Samples = fx.g1Samples.map(hex);
const g2Samples = fx.g2Samples.map(hex);

function median(xs) { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; }
// Runs fn `inner` times per run after a warm-up of at least one full run, 1 s of wall time and 0.5 s
// of CPU time (the same rule as the Stele side); returns median wall and CPU ms per call.
let lastCpu = 0;
function measure(inner, fn) {
  const warmCpu = process.cpuUsage();
  const warmStart = performance.now();
  for (let i = 0; ; i++) {
    fn(i % inner);
    if (i + 1 < inner || performance.now() - warmStart < 1000) continue;
    const d = process.cpuUsage(warmCpu);
    if ((d.user + d.system) / 1000 >= 500) break;
  }
  const wall = [], cpu = [];
  for (let r = 0; r < runs; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < inner; i++) fn(i);
    wall.push((performance.now() - t) / inner);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000 / inner);
  }
  lastCpu = median(cpu);
  return median(wall);
}

const out = {};
const scale = count / n;
out['sign'] = { ...(() => { const w =  measure(10, () => bls.sign(bls.hash(msg, DST), sk)); return { medianMs: w, cpuMs: lastCpu }; })(), note: 'hash + sign' };
out['verify'] = { ...(() => { const w =  measure(10, () => { if (!bls.verify(sig, bls.hash(msg, DST), pk)) throw new Error('verify failed'); }); return { medianMs: w, cpuMs: lastCpu }; })(), note: 'hash + verify' };
out['batch-verify 64'] = { ...(() => { const w =  measure(1, () => { for (const s of batch) if (!bls.verify(s.sig, bls.hash(s.msg, DST), s.pk)) throw new Error('batch'); }); return { medianMs: w, cpuMs: lastCpu }; })(), note: '64 separate verifies (noble has no batch verification)' };
out[`aggregate ${count} sigs, compressed`] = { ...(() => { const w =  measure(1, () => bls.aggregateSignatures(sigBytes)) * scale; return { medianMs: w, cpuMs: lastCpu * scale }; })(), note: `measured on ${n}, scaled x${scale}` };
out[`aggregate ${count} sigs, uncompressed`] = { ...(() => { const w =  measure(1, () => { let acc = G2.ZERO; for (const b of sigBytesU) acc = acc.add(G2.fromBytes(b)); return acc; }) * scale; return { medianMs: w, cpuMs: lastCpu * scale }; })(), note: `measured on ${n}, scaled x${scale}` };
out[`aggregate ${count} public keys`] = { ...(() => { const w =  measure(1, () => bls.aggregatePublicKeys(pkPoints)); return { medianMs: w, cpuMs: lastCpu }; })(), note: `all ${count} keys, point objects on both sides` };
out[`FastAggregateVerify ${count} signers`] = { ...(() => { const w =  measure(1, () => { if (!bls.verify(aggSig, bls.hash(msg, DST), bls.aggregatePublicKeys(pkPoints))) throw new Error('fav failed'); }); return { medianMs: w, cpuMs: lastCpu }; })(), note: `all ${count} keys: aggregate + hash + verify` };
out['decompress G1 + subgroup check'] = { ...(() => { const w =  measure(g1Samples.length, (i) => G1.fromBytes(g1Samples[i % g1Samples.length])); return { medianMs: w, cpuMs: lastCpu }; })(), note: '' };
out['decompress G2 + subgroup check'] = { ...(() => { const w =  measure(g2Samples.length, (i) => G2.fromBytes(g2Samples[i % g2Samples.length])); return { medianMs: w, cpuMs: lastCpu }; })(), note: '' };
process.stdout.write(JSON.stringify(out));
