/**
 * Spreadsheet formula injection guard, shared by the exporter and the importer so round trips are exact.
 *
 * Rule: a cell is escaped when it starts with any number of apostrophes followed by one of
 * = + - @ TAB CR (the characters Excel, LibreOffice and Google Sheets read as the start of a formula),
 * and it is not a plain number (so "-1" and "+3.5" stay numbers). Escaping prepends ONE apostrophe,
 * which spreadsheets show as a text marker and hide.
 *
 * The importer removes one leading apostrophe from every cell that starts with one or more apostrophes
 * followed by a trigger character. This is exactly the image of the escape: a cell of that shape can only
 * come out of the exporter by escaping (the exporter escapes every such cell), so
 * unescape(escape(x)) === x for every string x, including strings that already began with "'=".
 */
const NEEDS_ESCAPE = /^'*[=+\-@\t\r]/;
const ESCAPED = /^'+[=+\-@\t\r]/;
const APOSTROPHE = 0x27;
const PLAIN_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function escapeFormula(cell: string): string {
  return NEEDS_ESCAPE.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

export function unescapeFormula(cell: string): string {
  return cell.charCodeAt(0) === APOSTROPHE && ESCAPED.test(cell) ? cell.slice(1) : cell;
}
