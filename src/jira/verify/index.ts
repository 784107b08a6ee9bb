export {
  verifyJiraLink,
  diagnosisFacts,
  DIAGNOSIS_FACTS,
  type DiagnosisFacts,
  type VerifyOptions,
  type VerifyReport,
  type VerifyStep,
  type VerifyStepName,
  type VerifyDiagnosis,
} from './verify-link';
export { formatStepLine, formatVerifyReport, STEP_LABEL, type VerifyFormatOptions } from './verify-format';
export { concludeSteps, isStepFailure, mayRun, plannedSteps, STEP_NEEDS } from './verify-policy';
export { diagnoseOAuthAnswer, type SentRequest } from './diagnose';
export { parseOAuthProblem, parseWwwAuthenticate, type OAuthProblemAnswer } from './parse-problem';
export { diffBaseStrings, type BaseStringDifference } from './base-string-diff';
export { buildRequestTokenRequest, buildAccessTokenRequest, parseTokenResponse } from './token-requests';
export { buildAuthorizeUrl, obtainVerifier } from './authorize';
export { buildMyselfRequest, parseMyselfResponse } from './myself';
export { runJiraProfileScript, profileScriptContext } from './profile-step';
export { startCallbackListener, type CallbackListener } from './callback-listener';
export { openBrowser } from './open-browser';
