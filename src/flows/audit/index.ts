export { runAudit, auditError, AUDIT_CONCURRENCY, type AuditOptions, type TenantReader } from './run-audit';
export { managementReader, AUDIT_SCOPES, type TenantReaderOptions } from './tenant-reader';
export { formatAuditReport, formatAuditConnection } from './report-text';
export { auditJUnit, auditJUnitError, type AuditStartFailure } from './report-junit';
export type {
  AuditCheck,
  AuditCheckName,
  AuditReport,
  AuditSummary,
  CheckOutcome,
  ConnectionAudit,
  ConnectionKind,
  ConnectionOutcome,
  OtherConnection,
} from './types';
