// Runs Digital Bazaar's VC stack, `jose` and `@digitalbazaar/vc-bitstring-status-list` for rexvet's interop tests.
// Reads one JSON request on stdin, writes one JSON answer on stdout. Nothing is fetched: every document
// (contexts, did:key documents, status lists) comes from the request, so the test runs offline.
import {readFileSync} from 'node:fs';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {cryptosuite as ecdsaRdfc2019CryptoSuite} from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {createDiscloseCryptosuite, createSignCryptosuite, createVerifyCryptosuite} from
  '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus, createList, decodeList} from '@digitalbazaar/vc-bitstring-status-list';
import * as jose from 'jose';

const request = JSON.parse(readFileSync(0, 'utf8'));
const documents = request.documents || {};

function didKeyDocument(url) {
  // did:key (Ed25519, P-256, P-384 Multikeys): the document is derived from the identifier (did:key spec), as did-method-key does.
  const [did, fragment] = url.split('#');
  const multibase = did.slice('did:key:'.length);
  const method = {
    '@context': 'https://w3id.org/security/multikey/v1',
    id: `${did}#${multibase}`,
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: multibase
  };
  if(fragment) {
    return method;
  }
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [method],
    assertionMethod: [method.id],
    authentication: [method.id]
  };
}

async function documentLoader(url) {
  if(url in documents) {
    return {contextUrl: null, documentUrl: url, document: documents[url]};
  }
  if(url.startsWith('did:key:z')) {
    return {contextUrl: null, documentUrl: url, document: didKeyDocument(url)};
  }
  throw new Error(`document not available offline: ${url}`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});

async function ecdsaDidKey(curve) {
  const generated = await EcdsaMultikey.generate({curve});
  const multibase = generated.publicKeyMultibase;
  const controller = `did:key:${multibase}`;
  return EcdsaMultikey.from({...(await generated.export({publicKey: true, secretKey: true, includeContext: true})),
    id: `${controller}#${multibase}`, controller});
}

function errorText(error) {
  if(!error) {
    return null;
  }
  const errors = Array.isArray(error) ? error : (error.errors || [error]);
  return errors.map(e => e.message || String(e)).join('; ');
}

async function handle() {
  switch(request.op) {
    case 'di-sign': {
      const key = await Ed25519Multikey.from(request.key);
      const signer = new DataIntegrityProof({signer: key.signer(), cryptosuite: eddsaRdfc2022CryptoSuite});
      const signed = await vc.issue({credential: request.credential, suite: signer, documentLoader});
      return {credential: signed};
    }
    case 'di-verify': {
      const result = await vc.verifyCredential({
        credential: request.credential, suite, documentLoader, checkStatus: async () => ({verified: true})
      });
      return {verified: result.verified, error: errorText(result.error)};
    }
    case 'ecdsa-sign': {
      // an ecdsa-rdfc-2019 proof by a fresh did:key of the curve asked for; the credential's issuer becomes it
      const key = await ecdsaDidKey(request.curve);
      const credential = {...request.credential, issuer: {...request.credential.issuer, id: key.controller}};
      const signer = new DataIntegrityProof({signer: key.signer(), cryptosuite: ecdsaRdfc2019CryptoSuite});
      const signed = await vc.issue({credential, suite: signer, documentLoader});
      const verified = await vc.verifyCredential({
        credential: signed, suite: new DataIntegrityProof({cryptosuite: ecdsaRdfc2019CryptoSuite}), documentLoader,
        checkStatus: async () => ({verified: true})
      });
      return {credential: signed, verifiedByDigitalBazaar: verified.verified};
    }
    case 'ecdsa-sd-derive': {
      // an ecdsa-sd-2023 base proof (mandatory pointers) and the proof a holder derives from it (selective ones)
      const key = await ecdsaDidKey(request.curve || 'P-256');
      const credential = {...request.credential, issuer: {...request.credential.issuer, id: key.controller}};
      const signer = new DataIntegrityProof({
        signer: key.signer(), cryptosuite: createSignCryptosuite({mandatoryPointers: request.mandatoryPointers})
      });
      const base = await vc.issue({credential, suite: signer, documentLoader});
      const derived = await vc.derive({
        verifiableCredential: base, documentLoader,
        suite: new DataIntegrityProof({
          cryptosuite: createDiscloseCryptosuite({selectivePointers: request.selectivePointers})
        })
      });
      const verified = await vc.verifyCredential({
        credential: derived, suite: new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()}), documentLoader,
        checkStatus: async () => ({verified: true})
      });
      return {base, derived, verifiedByDigitalBazaar: verified.verified, error: errorText(verified.error)};
    }
    case 'jwt-sign': {
      const key = await jose.importJWK(request.privateJwk, request.alg);
      const header = {alg: request.alg, typ: 'JWT'};
      if(request.kid) {
        header.kid = request.kid;
      }
      const token = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(request.payload)))
        .setProtectedHeader(header).sign(key);
      return {token};
    }
    case 'jwt-verify': {
      const key = await jose.importJWK(request.publicJwk, request.alg);
      try {
        const {payload, protectedHeader} = await jose.compactVerify(request.token, key, {algorithms: [request.alg]});
        return {verified: true, header: protectedHeader, payload: JSON.parse(new TextDecoder().decode(payload))};
      } catch(e) {
        return {verified: false, error: e.code || e.message};
      }
    }
    case 'status-check': {
      const result = await checkStatus({credential: request.credential, documentLoader, suite});
      return {
        verified: result.verified,
        error: errorText(result.error),
        statuses: (result.results || []).map(r => ({purpose: r.credentialStatus.statusPurpose, status: r.status}))
      };
    }
    case 'status-decode': {
      const list = await decodeList({encodedList: request.encodedList});
      return {length: list.length, set: request.indexes.filter(i => list.getStatus(i))};
    }
    case 'status-encode': {
      const list = await createList({length: request.length});
      for(const index of request.indexes) {
        list.setStatus(index, true);
      }
      return {encodedList: await list.encode()};
    }
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

try {
  process.stdout.write(JSON.stringify(await handle()));
} catch(e) {
  process.stdout.write(JSON.stringify({exception: e.message, stack: e.stack}));
  process.exitCode = 3;
}
