export {
  verifyJiraLink,
  formatVerifyReport,
  type VerifyOptions,
  type VerifyReport,
  type VerifyStep,
  type VerifyStepName,
} from './verify-link';
export { diagnoseOAuthAnswer, type SentRequest } from './diagnose';
export { parseOAuthProblem, parseWwwAuthenticate, type OAuthProblemAnswer } from './parse-problem';
export { diffBaseStrings, type BaseStringDifference } from './base-string-diff';
export { buildRequestTokenRequest, buildAccessTokenRequest, parseTokenResponse } from './token-requests';
export { startCallbackListener } from './callback-listener';
