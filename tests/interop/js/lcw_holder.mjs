// A holder that does what the Learner Credential Wallet does with a DCC deep link, by the protocol DCC documents
// (workflow-coordinator's "Wallet Exchange", VC-API exchanges, the VP Request spec's DIDAuthentication query),
// built on Digital Bazaar's libraries pinned in package.json: a fresh did:key (ed25519-multikey), the DIDAuth
// presentation created and signed by @digitalbazaar/vc with an eddsa-rdfc-2022 DataIntegrityProof.
//
// 1. parse the deep link (https://lcw.app/request.html?request={...} or dccrequest://request?request={...}) and
//    take protocols.vcapi, the exchange URL;
// 2. POST {} to it: a verifiablePresentationRequest (DIDAuthentication, challenge, domain, interact service);
// 3. POST {verifiablePresentation} (holder = the did:key, proof purpose authentication, the challenge and domain)
//    to the service endpoint the request names; the answer's presentation carries the credential.
//
// stdin: {deepLink, documents, challenge?}; stdout: {credential, holder, steps}. `challenge` replaces the one the
// request gave (to show the exchange refuses a presentation made for another exchange).
// Offline harness, the one liberty: https URLs of loopback hosts are fetched over http (no certificate); contexts
// are answered from `documents`.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const request = JSON.parse(readFileSync(0, 'utf8'));
const documents = request.documents || {};
const steps = [];

function loopback(url) {
  const parsed = new URL(url);
  if(parsed.protocol === 'https:' && ['127.0.0.1', 'localhost'].includes(parsed.hostname)) {
    parsed.protocol = 'http:';
  }
  return parsed.toString();
}

async function post(name, url, body) {
  const response = await fetch(loopback(url), {
    method: 'POST',
    headers: {'content-type': 'application/json', accept: 'application/json'},
    body: JSON.stringify(body)
  });
  const answer = await response.json();
  steps.push({name, url, status: response.status});
  if(!response.ok) {
    throw Object.assign(new Error(`${name}: ${response.status} ${JSON.stringify(answer)}`), {body: answer});
  }
  return answer;
}

const documentLoader = async url => {
  if(url in documents) {
    return {contextUrl: null, documentUrl: url, document: documents[url]};
  }
  throw new Error(`offline: ${url} is not a pinned context`);
};

try {
  const link = new URL(request.deepLink);
  const interaction = JSON.parse(link.searchParams.get('request'));
  const exchangeUrl = interaction.protocols.vcapi;

  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  key.controller = did;
  key.id = `${did}#${key.publicKeyMultibase}`;

  const {verifiablePresentationRequest: vpr} = await post('start', exchangeUrl, {});
  const query = [].concat(vpr.query);
  if(!query.some(q => q.type === 'DIDAuthentication')) {
    throw new Error('the exchange asks for something other than DIDAuth');
  }
  const challenge = request.challenge || vpr.challenge;
  const domain = vpr.domain;
  const service = (vpr.interact?.service || []).find(s => s.serviceEndpoint);
  const answerAt = service ? service.serviceEndpoint : exchangeUrl;
  const presentation = vc.createPresentation({holder: did});
  const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite: eddsaRdfc2022CryptoSuite});
  const signed = await vc.signPresentation({presentation, suite, challenge, domain, documentLoader});
  const {verifiablePresentation} = await post('didauth', answerAt, {verifiablePresentation: signed});
  process.stdout.write(JSON.stringify({credential: verifiablePresentation.verifiableCredential[0], holder: did, steps}));
} catch(e) {
  process.stdout.write(JSON.stringify({error: e.message, body: e.body ?? null, steps}));
  process.exitCode = 3;
}
