import {
  DEFAULT_JIRA_USER,
  OAUTH_PROBLEM_STATUS,
  startJiraSimulator,
  type JiraSimulator,
  type JiraSimulatorOptions,
  type JiraSimulatorRequest,
  type JiraUser,
} from '../../src/simulators/jira';
import { crossCheckSignature } from './signature-check';

/**
 * The loopback JIRA (Server / Data Center) used by tests: the simulator that ships with the
 * package (src/simulators/jira/), with every signature also checked by an implementation we did
 * not write (python3-oauthlib, else the oauth npm package: see signature-check.ts). When the two
 * disagree the request fails with 500.
 */
export type JiraPeerUser = JiraUser;
export type JiraPeerRequest = JiraSimulatorRequest;
export type JiraPeerOptions = Omit<JiraSimulatorOptions, 'consumers' | 'checkSignature'> & {
  consumers: NonNullable<JiraSimulatorOptions['consumers']>;
};
export type JiraPeer = JiraSimulator;

export const DEFAULT_USER: JiraPeerUser = DEFAULT_JIRA_USER;
export const PROBLEM_STATUS: Record<string, number> = OAUTH_PROBLEM_STATUS;

export async function startJiraPeer(options: JiraPeerOptions): Promise<JiraPeer> {
  return startJiraSimulator({
    ...options,
    checkSignature: async (job) => {
      const verdict = await crossCheckSignature(job);
      return { valid: verdict.valid, baseString: verdict.baseString };
    },
  });
}
