// An OpenID4VCI holder nobody here wrote: the OpenWallet Foundation's oid4vc-ts (Animo's `@openid4vc/openid4vci`
// and `@openid4vc/oauth2`, the libraries under Credo; pinned in package.json) runs the whole pre-authorized code
// flow: it resolves the offer by reference, fetches the credential issuer metadata and the authorization server
// metadata at their well-known names (and detects the version of the specification from them), sends the token
// request with the pre-authorized code (and tx_code), takes a c_nonce from the nonce endpoint, builds the key proof
// JWT (typ, aud, iat, nonce, kid) and the credential request (credential_configuration_id + proofs.jwt), and
// validates the credential response. This script only supplies what a wallet supplies: a did:key (an Ed25519 key
// named by Digital Bazaar's ed25519-multikey), the signing callback (JWS compact serialization by `jose`), random
// bytes, a hash, and a fetch. Quirks of the library's draft heritage, harmless to a 1.0 issuer (RFC 6749 section
// 3.2: unknown parameters are ignored): the token request also carries `user_pin` (draft 11's name of tx_code) and
// `resource` (RFC 8707); it reads the metadata as 1.0 (`V1`) because configurations carry `credential_metadata`.
//
// stdin: {offerLink, configuration?, txCode?, nonce?, audience?}; stdout: {credential, holder, version, steps}, or
// {error, code, steps} with exit code 3 when the library or the issuer refuses (`code`: the OAuth `error` the library
// read from the issuer's answer). `nonce` replaces the c_nonce the nonce endpoint gave and `audience` the proof's
// `aud` the library set (to show the issuer refuses such proofs, and that the library understands the refusal).
// Offline harness, the one liberty: https URLs of loopback hosts are fetched over http (no certificate); the
// library itself sees and checks https URLs only.
import {createHash, randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {CompactSign, exportJWK, generateKeyPair} from 'jose';
import {clientAuthenticationAnonymous} from '@openid4vc/oauth2';
import {Openid4vciClient} from '@openid4vc/openid4vci';

const request = JSON.parse(readFileSync(0, 'utf8'));
const steps = [];

function loopback(url) {
  const parsed = new URL(url);
  if(parsed.protocol === 'https:' && ['127.0.0.1', 'localhost'].includes(parsed.hostname)) {
    parsed.protocol = 'http:';
  }
  return parsed.toString();
}

// Every request the library makes, in order, so the test can tell which step the issuer refused.
async function recordingFetch(input, init = {}) {
  const url = typeof input === 'string' ? input : input.url ?? input.toString();
  const response = await fetch(loopback(url), init);
  steps.push({method: init.method ?? 'GET', url, status: response.status});
  return response;
}

// The wallet's key: Ed25519 by jose, named as a did:key by Digital Bazaar's multikey encoding.
const {publicKey, privateKey: signingKey} = await generateKeyPair('EdDSA', {crv: 'Ed25519'});
const publicJwk = await exportJWK(publicKey);
const key = await Ed25519Multikey.fromJwk({jwk: publicJwk});
const did = `did:key:${key.publicKeyMultibase}`;

const client = new Openid4vciClient({
  callbacks: {
    fetch: recordingFetch,
    // the holder's only secret: the JWS over the header and payload the library made
    signJwt: async (signer, {header, payload}) => {
      if(signer.method !== 'did' || signer.didUrl !== `${did}#${key.publicKeyMultibase}`) {
        throw new Error(`asked to sign for a key this holder does not have: ${JSON.stringify(signer)}`);
      }
      const claims = request.audience ? {...payload, aud: request.audience} : payload;
      const body = new TextEncoder().encode(JSON.stringify(claims));
      const jwt = await new CompactSign(body).setProtectedHeader(header).sign(signingKey);
      return {jwt, signerJwk: publicJwk};
    },
    generateRandom: length => new Uint8Array(randomBytes(length)),
    hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
    // a public client: the pre-authorized code is the grant (OpenID4VCI 1.0 section 6.1)
    clientAuthentication: clientAuthenticationAnonymous()
  }
});

try {
  const offer = await client.resolveCredentialOffer(request.offerLink);
  const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  const configuration = request.configuration || offer.credential_configuration_ids[0];
  if(!offer.credential_configuration_ids.includes(configuration)) {
    throw new Error(`${configuration} is not offered`);
  }
  const {accessTokenResponse} = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer: offer,
    issuerMetadata,
    txCode: request.txCode ?? undefined
  });
  const {c_nonce: nonce} = await client.requestNonce({issuerMetadata});
  const {jwt: proof} = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: configuration,
    signer: {method: 'did', didUrl: `${did}#${key.publicKeyMultibase}`, alg: 'EdDSA'},
    nonce: request.nonce ?? nonce
  });
  const {credentialResponse} = await client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId: configuration,
    proofs: {jwt: [proof]}
  });
  const [first] = credentialResponse.credentials;
  process.stdout.write(JSON.stringify({
    credential: first.credential ?? first,
    holder: did,
    version: issuerMetadata.originalDraftVersion,
    steps
  }));
} catch(e) {
  // the error response as the library parsed it: the token endpoint's, or the credential endpoint's
  const parsed = e.errorResponse ?? e.response?.credentialErrorResponseResult?.data;
  process.stdout.write(JSON.stringify({error: `${e.name}: ${e.message}`, code: parsed?.error ?? null, steps}));
  process.exitCode = 3;
}
