export { percentEncode } from './percent-encode';
export { baseStringUri, formEncode, normalizeParameters, parseFormEncoded, signatureBaseString, type ParamList } from './base-string';
export {
  hmacSha1Sign,
  makeNonce,
  rsaSha1Sign,
  signRequest,
  signedParameters,
  type OAuth1Credentials,
  type OAuth1Request,
  type SignatureMethod,
  type SignedRequest,
} from './sign';
