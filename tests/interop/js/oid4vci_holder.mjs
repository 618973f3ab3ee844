// An OpenID4VCI 1.0 (final) holder written from the specification, not from rexvet's code: it follows an offer
// link through the pre-authorized code flow with a fresh did:key and prints the credential it receives.
// Sphereon's @sphereon/oid4vci-client would be the stock client, but neither 0.19.0 nor 0.20.1 installs from the
// npm registry (each pins an @sphereon/ssi-types prerelease the registry does not have), so this holder uses
// `jose` (pinned in package.json) for the key and the proof JWT, and node's fetch for the requests.
//
// stdin: {offerLink, configuration, txCode?}; stdout: {credential, steps}.
// Offline harness, the one liberty: https URLs of loopback hosts are fetched over http (no certificate).
import {readFileSync} from 'node:fs';
import {SignJWT, exportJWK, generateKeyPair} from 'jose';

const request = JSON.parse(readFileSync(0, 'utf8'));
const steps = [];

function loopback(url) {
  const parsed = new URL(url);
  if(parsed.protocol === 'https:' && ['127.0.0.1', 'localhost'].includes(parsed.hostname)) {
    parsed.protocol = 'http:';
  }
  return parsed.toString();
}

async function call(name, url, init = {}) {
  const response = await fetch(loopback(url), init);
  const body = await response.json();
  steps.push({name, url, status: response.status});
  if(!response.ok) {
    throw Object.assign(new Error(`${name}: ${response.status} ${JSON.stringify(body)}`), {body});
  }
  return body;
}

// did:key of an Ed25519 key: multibase base58btc of the multicodec 0xed01 followed by the raw public key.
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58btc(bytes) {
  let value = 0n;
  for(const byte of bytes) {
    value = value * 256n + BigInt(byte);
  }
  let text = '';
  while(value > 0n) {
    text = ALPHABET[Number(value % 58n)] + text;
    value /= 58n;
  }
  for(const byte of bytes) {
    if(byte !== 0) {
      break;
    }
    text = '1' + text;
  }
  return 'z' + text;
}

function wellKnown(identifier, name) {
  // OpenID4VCI 1.0 section 12.2.2 / RFC 8414 section 3: the well-known name goes between host and path.
  const url = new URL(identifier);
  const path = url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/${name}${path === '/' ? '' : path}`;
}

try {
  // 1. The offer, by reference (section 4.1.3).
  const link = new URL(request.offerLink);
  if(link.protocol !== 'openid-credential-offer:') {
    throw new Error(`not a credential offer link: ${request.offerLink}`);
  }
  const offerUri = link.searchParams.get('credential_offer_uri');
  const offer = await call('offer', offerUri);
  const grant = offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'];

  // 2. The issuer's metadata, and the authorization server's (the issuer itself when it names none).
  const metadata = await call('issuer-metadata', wellKnown(offer.credential_issuer, 'openid-credential-issuer'));
  if(metadata.credential_issuer !== offer.credential_issuer) {
    throw new Error('the metadata is of another credential issuer');
  }
  const authorizationServer = (metadata.authorization_servers || [offer.credential_issuer])[0];
  const asMetadata = await call('as-metadata', wellKnown(authorizationServer, 'oauth-authorization-server'));
  const configuration = request.configuration || offer.credential_configuration_ids[0];
  if(!offer.credential_configuration_ids.includes(configuration)) {
    throw new Error(`${configuration} is not offered`);
  }
  const supported = metadata.credential_configurations_supported[configuration];

  // 3. The token request with the pre-authorized code (section 6.1).
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
    'pre-authorized_code': grant['pre-authorized_code']
  });
  if(grant.tx_code) {
    form.set('tx_code', request.txCode);
  }
  const token = await call('token', asMetadata.token_endpoint, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    body: form.toString()
  });

  // 4. A c_nonce from the nonce endpoint (section 7), and a key proof over it (section 8.2.1.1, Appendix F.1).
  const {c_nonce: nonce} = await call('nonce', metadata.nonce_endpoint, {method: 'POST'});
  const {publicKey, privateKey} = await generateKeyPair('EdDSA', {crv: 'Ed25519'});
  const jwk = await exportJWK(publicKey);
  const raw = Buffer.from(jwk.x, 'base64url');
  const multibase = base58btc(Uint8Array.from([0xed, 0x01, ...raw]));
  const did = `did:key:${multibase}`;
  const algorithms = supported.proof_types_supported.jwt.proof_signing_alg_values_supported;
  if(!algorithms.includes('EdDSA')) {
    throw new Error(`the issuer takes no EdDSA proofs: ${algorithms}`);
  }
  const proof = await new SignJWT({nonce})
    .setProtectedHeader({alg: 'EdDSA', typ: 'openid4vci-proof+jwt', kid: `${did}#${multibase}`})
    .setAudience(offer.credential_issuer)
    .setIssuedAt()
    .sign(privateKey);

  // 5. The credential request (section 8.2): credential_configuration_id and proofs.jwt.
  const answer = await call('credential', metadata.credential_endpoint, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: `${token.token_type} ${token.access_token}`},
    body: JSON.stringify({credential_configuration_id: configuration, proofs: {jwt: [proof]}})
  });
  process.stdout.write(JSON.stringify({credential: answer.credentials[0].credential, holder: did, steps}));
} catch(e) {
  process.stdout.write(JSON.stringify({error: e.message, body: e.body ?? null, steps}));
  process.exitCode = 3;
}
