// Stele <-> @noble/curves interop for BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_.
// Usage: node interop.mjs <request.json>; prints one JSON object on stdout.
//   { "mode": "make", "count": n, "messages": [hex...] }
//      -> noble generates n keys and, for each, signs messages[i] and proves possession:
//         { "items": [{ secretKey, publicKey, message, signature, proof }], "aggregate": { message, publicKeys, signature } }
//   { "mode": "check", "items": [{ publicKey, message, signature, proof }], "aggregate": { message, publicKeys, signature } }
//      -> noble verifies everything Stele made: { "verify": [bool], "pop": [bool], "fastAggregateVerify": bool }
import { readFileSync } from 'node:fs';
import { bls12_381 } from '@noble/curves/bls12-381.js';

const SIG_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const POP_DST = 'BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const bls = bls12_381.longSignatures;
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const toHex = (b) => Buffer.from(b).toString('hex');
const fromHex = (h) => Uint8Array.from(Buffer.from(h, 'hex'));
const sigHex = (p) => toHex(bls.Signature.toBytes(p));

function safe(fn) { try { return fn(); } catch { return false; } }

const req = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let out;
if (req.mode === 'make') {
  const items = [];
  for (let i = 0; i < req.count; i++) {
    const { secretKey, publicKey } = bls.keygen();
    const pkBytes = publicKey.toBytes(true);
    const message = fromHex(req.messages[i % req.messages.length]);
    const signature = bls.sign(bls.hash(message, SIG_DST), secretKey);
    const proof = bls.sign(bls.hash(pkBytes, POP_DST), secretKey);
    items.push({ secretKey: toHex(secretKey), publicKey: toHex(pkBytes), message: toHex(message), signature: sigHex(signature), proof: sigHex(proof) });
  }
  const common = fromHex(req.messages[0]);
  const keys = items.map((it) => fromHex(it.secretKey));
  const sigs = keys.map((sk) => bls.sign(bls.hash(common, SIG_DST), sk));
  out = { items, aggregate: { message: toHex(common), publicKeys: items.map((it) => it.publicKey), signature: sigHex(bls.aggregateSignatures(sigs)) } };
} else if (req.mode === 'check') {
  const verify = req.items.map((it) => safe(() => bls.verify(G2.fromBytes(fromHex(it.signature)), bls.hash(fromHex(it.message), SIG_DST), G1.fromBytes(fromHex(it.publicKey)))));
  const pop = req.items.map((it) => safe(() => bls.verify(G2.fromBytes(fromHex(it.proof)), bls.hash(fromHex(it.publicKey), POP_DST), G1.fromBytes(fromHex(it.publicKey)))));
  const a = req.aggregate;
  const fastAggregateVerify = safe(() => bls.verify(G2.fromBytes(fromHex(a.signature)), bls.hash(fromHex(a.message), SIG_DST), bls.aggregatePublicKeys(a.publicKeys.map((k) => G1.fromBytes(fromHex(k))))));
  out = { verify, pop, fastAggregateVerify };
} else {
  throw new Error(`unknown mode ${req.mode}`);
}
process.stdout.write(JSON.stringify(out));
