// Stele's BLS benchmark, @noble/curves side. Usage: node bench.mjs <fixture-dir> <aggregate-subset>
// Reads the fixture written by `stele bench bls` and runs the same operations on the same bytes, on request,
// so the two sides are measured alternately, seconds apart (the machine's load moves both alike).
// Protocol, one line each way: "warm <operation>" → {"ok":true}; "run <operation>" → {"wallMs","cpuMs"}
// (per call, scaled to the full count where noted); "notes" → {"<operation>": note}. EOF ends it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bls12_381 } from '@noble/curves/bls12-381.js';

const [dir, subsetArg] = process.argv.slice(2);
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

const scale = count / n;
// name → [calls per run, scale to the full count, note, fn(i)]
const ops = {
  'sign': [10, 1, 'hash + sign', () => bls.sign(bls.hash(msg, DST), sk)],
  'verify': [10, 1, 'hash + verify', () => { if (!bls.verify(sig, bls.hash(msg, DST), pk)) throw new Error('verify failed'); }],
  'batch-verify 64': [1, 1, '64 separate verifies (noble has no batch verification)', () => { for (const s of batch) if (!bls.verify(s.sig, bls.hash(s.msg, DST), s.pk)) throw new Error('batch'); }],
  [`aggregate ${count} sigs, compressed`]: [1, scale, `measured on ${n}, scaled x${scale}`, () => bls.aggregateSignatures(sigBytes)],
  [`aggregate ${count} sigs, uncompressed`]: [1, scale, `measured on ${n}, scaled x${scale}`, () => { let acc = G2.ZERO; for (const b of sigBytesU) acc = acc.add(G2.fromBytes(b)); return acc; }],
  [`aggregate ${count} public keys`]: [1, 1, `all ${count} keys, point objects on both sides`, () => bls.aggregatePublicKeys(pkPoints)],
  [`FastAggregateVerify ${count} signers`]: [1, 1, `all ${count} keys: aggregate + hash + verify`, () => { if (!bls.verify(aggSig, bls.hash(msg, DST), bls.aggregatePublicKeys(pkPoints))) throw new Error('fav failed'); }],
  'decompress G1 + subgroup check': [g1Samples.length, 1, '', (i) => G1.fromBytes(g1Samples[i % g1Samples.length])],
  'decompress G2 + subgroup check': [g2Samples.length, 1, '', (i) => G2.fromBytes(g2Samples[i % g2Samples.length])],
};

// Warm-up: at least one full run, 2 s of wall time and 2 s of CPU time (the same rule as the Stele side).
function warm([inner, , , fn]) {
  const warmCpu = process.cpuUsage();
  const warmStart = performance.now();
  for (let i = 0; ; i++) {
    fn(i % inner);
    if (i + 1 < inner || performance.now() - warmStart < 2000) continue;
    const d = process.cpuUsage(warmCpu);
    if ((d.user + d.system) / 1000 >= 2000) break;
  }
}

function runOnce([inner, scale, , fn]) {
  const c = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < inner; i++) fn(i);
  const wallMs = (performance.now() - t) / inner * scale;
  const d = process.cpuUsage(c);
  return { wallMs, cpuMs: (d.user + d.system) / 1000 / inner * scale };
}

const lines = createInterface({ input: process.stdin, terminal: false });
for await (const line of lines) {
  const space = line.indexOf(' ');
  const verb = space < 0 ? line : line.slice(0, space);
  const op = ops[line.slice(space + 1)];
  let reply;
  if (verb === 'notes') reply = Object.fromEntries(Object.entries(ops).map(([k, v]) => [k, v[2]]));
  else if (!op) reply = { error: `unknown operation: ${line}` };
  else if (verb === 'warm') { warm(op); reply = { ok: true }; }
  else if (verb === 'run') reply = runOnce(op);
  else reply = { error: `unknown request: ${line}` };
  process.stdout.write(JSON.stringify(reply) + '\n');
}
