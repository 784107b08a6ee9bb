/** The Application Links client, its pure request builders and answer parsers, and the consumer helpers. */
export * from './answers';
export * from './client';
export * from './consumer';
export * from './requests';
export { applinksFailure, jiraMessage } from './refusals';
