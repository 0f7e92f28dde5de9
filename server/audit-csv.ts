/**
 * CSV export of the audit trail (RFC 4180). Every data cell is quoted, so no separator inside a cell splits
 * it, whatever separator the spreadsheet picks (Dutch Excel splits on ';', not ','). A formula starter
 * (= + - @, tab, CR, LF) at the start of a cell or right after a separator-like character (, ; tab CR LF)
 * gets an apostrophe before it: a spreadsheet that splits the cell anyway still finds no formula in any part.
 * Tickets and details are free text written by technicians and customers.
 */
import type { AuditEvent } from '../lib/protocol/api';

const FORMULA_AFTER_SEPARATOR = /(^|[,;\t\r\n])(?=[=+\-@\t\r\n])/g;

export function csvCell(value: string | number | null): string {
  const text = (value === null ? '' : String(value)).replace(FORMULA_AFTER_SEPARATOR, "$1'");
  return `"${text.replace(/"/g, '""')}"`;
}

export function auditCsv(events: AuditEvent[]): string {
  const header = ['time', 'session', 'ticket', 'technician', 'kind', 'detail', 'actor'];
  const lines = [header.join(',')];
  for (const e of events) {
    lines.push([e.at, e.sessionId, e.ticket, e.technician, e.kind, e.detail, e.actor].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
