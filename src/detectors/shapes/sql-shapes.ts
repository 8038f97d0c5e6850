/**
 * SQL injection shapes in tool-call arguments configured as queries (issue 4, "shell/SQL injection shapes —
 * applied to tools whose arguments are … queries, configurable per tool").
 *
 * Contract: `findSqlShapes(value)` returns the shapes found, each with a severity and reason. A query tool's
 * argument is often a whole legitimate statement, so the shapes are the ones ordinary queries do not
 * contain: tautologies (`OR 1=1`, `OR 'a'='a'`), a quote closed and followed by a comment (`admin'--`),
 * stacked destructive statements (`; DROP TABLE`), UNION SELECT used to enumerate (NULL padding, catalog
 * tables, after a closing quote), time-based probes and file/command functions. A bare `UNION SELECT` or
 * `DELETE` as the statement itself is not reported. Regexes are case-insensitive with bounded quantifiers.
 */
import type { Severity } from '../../core/index.js';

export interface SqlShape {
  severity: Severity;
  reason: string;
  match: string;
}

interface SqlRule {
  severity: Severity;
  reason: string;
  regex: RegExp;
}

const SQL_RULES: readonly SqlRule[] = [
  {
    severity: 'high',
    reason: 'tautology (OR 1=1)',
    regex: /\b(?:or|\|\|)\s{1,10}(?:(['"]?)(\w{1,20})\1\s{0,10}(?:=|like)\s{0,10}\1\2\b|true\b|not\s{1,10}false\b)/i,
  },
  { severity: 'high', reason: 'quote closed then comment (truncation)', regex: /['"]\s{0,5}\){0,3}\s{0,5}(?:--|#|\/\*)/ },
  {
    severity: 'high',
    reason: 'stacked destructive statement',
    regex: /;\s{0,20}(?:drop|truncate|alter|grant|revoke|shutdown|exec(?:ute)?|create\s{1,5}user|delete\s{1,5}from|update\s{1,5}\w{1,64}\s{1,5}set|insert\s{1,5}into)\b/i,
  },
  {
    severity: 'high',
    reason: 'UNION SELECT enumeration',
    regex: /['")]\s{0,10}union\s{1,10}(?:all\s{1,10})?select\b|\bunion\s{1,10}(?:all\s{1,10})?select\s{1,10}(?:null\s{0,5},\s{0,5}){1,20}null\b|\bunion\s{1,10}(?:all\s{1,10})?select\b[^;]{0,300}\b(?:information_schema|pg_catalog|pg_shadow|sqlite_master|mysql\.user|sys\.objects|all_tables)\b/i,
  },
  {
    severity: 'high',
    reason: 'file or command access from SQL',
    regex: /\b(?:xp_cmdshell|sp_oacreate|load_file\s{0,5}\(|into\s{1,5}(?:out|dump)file\b|copy\s{1,5}\(?[^;]{0,200}\)?\s{1,5}(?:from|to)\s{1,5}program\b|lo_import\s{0,5}\(|utl_http\.)/i,
  },
  {
    severity: 'medium',
    reason: 'time-based probe',
    regex: /\b(?:sleep\s{0,5}\(\s{0,5}\d|pg_sleep\s{0,5}\(|benchmark\s{0,5}\(\s{0,5}\d|waitfor\s{1,5}delay\b|dbms_lock\.sleep)/i,
  },
];

/** Every SQL injection shape in the value, in rule order. */
export function findSqlShapes(value: string): SqlShape[] {
  const shapes: SqlShape[] = [];
  for (const rule of SQL_RULES) {
    const m = rule.regex.exec(value);
    if (m !== null) shapes.push({ severity: rule.severity, reason: rule.reason, match: m[0] });
  }
  return shapes;
}
