// Verifies one credential the way wallets and verifiers in the field do: each verifier resolves the issuer's keys
// with its own stock resolvers (did:web, did:key), fetching the documents from the issuer under test. Nothing here
// knows the issuer's layout. Reads one JSON request on stdin ({credential, documents}), writes one JSON answer.
//
// Offline harness, the only liberty taken: https URLs of loopback hosts (https://127.0.0.1:<port>/...) are fetched
// over http from the test's server, which has no certificate; the contexts in `documents` are answered from
// memory (the very pinned copies rexvet reads); anything else is refused. did:web itself is resolved unchanged.
import {readFileSync} from 'node:fs';

// The libraries log to stdout (verifier-core's schema check, for one): stdout carries only the answer.
console.log = (...args) => console.error(...args);

const request = JSON.parse(readFileSync(0, 'utf8'));
const documents = request.documents || {};
const fetched = [];
const realFetch = globalThis.fetch;

globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : (input.url || String(input));
  const parsed = new URL(url);
  if(parsed.protocol === 'https:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) {
    fetched.push(url);
    parsed.protocol = 'http:';
    const headers = new Headers(init?.headers || (typeof input === 'object' ? input.headers : undefined));
    return realFetch(parsed.toString(), {method: 'GET', headers});
  }
  if(url in documents) {
    return new Response(JSON.stringify(documents[url]), {headers: {'content-type': 'application/ld+json'}});
  }
  throw new TypeError(`offline: ${url} is not served by the issuer under test`);
};

// Imported only now: the libraries must see the fetch above.
const verifierCore = await import('@digitalcredentials/verifier-core');
const vc = await import('@digitalbazaar/vc');
const {DataIntegrityProof} = await import('@digitalbazaar/data-integrity');
const {cryptosuite: eddsaRdfc2022CryptoSuite} = await import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const Ed25519Multikey = await import('@digitalbazaar/ed25519-multikey');
const {CachedResolver} = await import('@digitalbazaar/did-io');
const didWeb = await import('@digitalbazaar/did-method-web');
const didKey = await import('@digitalbazaar/did-method-key');
const {checkStatus} = await import('@digitalbazaar/vc-bitstring-status-list');

function errorText(error) {
  if(!error) {
    return null;
  }
  const errors = Array.isArray(error) ? error : (error.errors || [error]);
  return errors.map(e => e.message || String(e)).join('; ');
}

async function withVerifierCore(credential) {
  // Its own document loader (security-document-loader: did:web, did:key, bundled contexts, https fetching).
  const result = await verifierCore.verifyCredential({credential, knownDIDRegistries: []});
  return {
    errors: (result.errors || []).map(e => ({name: e.name, message: e.message})),
    log: (result.log || []).map(step => ({id: step.id, valid: step.valid, error: step.error?.message ?? null}))
  };
}

async function withDigitalBazaar(credential) {
  // Digital Bazaar's stock resolvers behind a plain loader: did:web and did:key, contexts by URL, https status lists.
  const resolver = new CachedResolver();
  const webDriver = didWeb.driver();
  webDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
  const keyDriver = didKey.driver();
  keyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});
  resolver.use(webDriver);
  resolver.use(keyDriver);
  const documentLoader = async url => {
    if(url.startsWith('did:')) {
      return {contextUrl: null, documentUrl: url, document: await resolver.get({url})};
    }
    const response = await globalThis.fetch(url, {headers: {accept: 'application/ld+json, application/json'}});
    if(!response.ok) {
      throw new Error(`${url} answered ${response.status}`);
    }
    return {contextUrl: null, documentUrl: url, document: await response.json()};
  };
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  return {
    verified: result.verified,
    error: errorText(result.error),
    statuses: (result.statusResult?.results || []).map(r => ({purpose: r.credentialStatus.statusPurpose, status: r.status}))
  };
}

try {
  const credential = request.credential;
  const answer = {
    verifierCore: await withVerifierCore(credential),
    digitalBazaar: await withDigitalBazaar(credential)
  };
  answer.fetched = [...new Set(fetched)];
  process.stdout.write(JSON.stringify(answer));
} catch(e) {
  process.stdout.write(JSON.stringify({exception: e.message, stack: e.stack}));
  process.exitCode = 3;
}
