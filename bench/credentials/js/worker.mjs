// Benchmark worker: Digital Bazaar's stack (@digitalbazaar/vc + eddsa-rdfc-2022-cryptosuite), driven by
// bench/credentials/bench.py over line-delimited JSON on stdin/stdout, so both stacks run in one invocation.
import {createInterface} from 'node:readline';
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const setup = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const documents = new Map(Object.entries(setup.documents));  // the same pinned contexts rexvet uses

const keyPair = await Ed25519Multikey.from({
  id: setup.key.id, controller: setup.key.controller,
  publicKeyMultibase: setup.key.publicKeyMultibase, secretKeyMultibase: setup.key.secretKeyMultibase,
});
const verificationMethod = {
  '@context': 'https://w3id.org/security/multikey/v1', id: setup.key.id, type: 'Multikey',
  controller: setup.key.controller, publicKeyMultibase: setup.key.publicKeyMultibase,
};
const didDocument = {
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
  id: setup.key.controller, verificationMethod: [verificationMethod],
  assertionMethod: [setup.key.id], authentication: [setup.key.id],
};

// offline loader: pinned contexts and the did:key document only (did:key resolves locally, as in rexvet)
const documentLoader = async url => {
  if(documents.has(url)) {
    return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  }
  if(url === setup.key.id) {
    return {contextUrl: null, documentUrl: url, document: verificationMethod};
  }
  if(url === setup.key.controller) {
    return {contextUrl: null, documentUrl: url, document: didDocument};
  }
  throw new Error(`document not available offline: ${url}`);
};

async function sign(unsignedText) {
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022, date: setup.created});
  return vc.issue({credential: JSON.parse(unsignedText), suite, documentLoader});
}

async function verify(signedText) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({credential: JSON.parse(signedText), suite, documentLoader});
  if(!result.verified) {
    throw new Error('verification failed: ' + JSON.stringify(result.error || result, null, 1).slice(0, 2000));
  }
  return result;
}

const ops = {
  async sign({n}) {
    const times = [];
    let out;
    for(let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      out = await sign(setup.unsigned);
      times.push(Number(process.hrtime.bigint() - t0) / 1e3);
    }
    return {times, signed: out};
  },
  async verify({n, signed}) {
    const text = signed || setup.signed;
    const times = [];
    for(let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      await verify(text);
      times.push(Number(process.hrtime.bigint() - t0) / 1e3);
    }
    return {times};
  },
};

const lines = createInterface({input: process.stdin});
for await (const line of lines) {
  const request = JSON.parse(line);
  try {
    process.stdout.write(JSON.stringify(await ops[request.op](request)) + '\n');
  } catch(e) {
    process.stdout.write(JSON.stringify({error: String(e.stack || e)}) + '\n');
  }
}
