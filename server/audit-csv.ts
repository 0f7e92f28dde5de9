/**
 * CSV export of the audit trail (RFC 4180 quoting). Cells that a spreadsheet would read as a formula
 * (starting with = + - @, or a tab/CR) get a leading apostrophe, so a ticket or detail text cannot run code.
 */
import type { AuditEvent } from '../lib/protocol/api';

export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsv(events: AuditEvent[]): string {
  const header = ['time', 'session', 'ticket', 'technician', 'kind', 'detail', 'actor'];
  const lines = [header.join(',')];
  for (const e of events) {
    lines.push([e.at, e.sessionId, e.ticket, e.technician, e.kind, e.detail, e.actor].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
