import ts from 'typescript';
import { patientTables, type PatientTable } from './patient-tables.ts';

/**
 * Where a module queries a patient table, and on which executor. Used by the import-rule test: it reads the
 * sources as syntax (never runs them), so it stays cheap and sees every query, including raw `sql` templates.
 */
export interface TableAccess {
  readonly table: PatientTable;
  readonly line: number;
  /** How the executor the query runs on was obtained. */
  readonly executor: ExecutorOrigin;
  /** The executor as written (`trx`, `ctx.db`, `opened.db`). */
  readonly receiver: string;
}

/**
 * - `guarded`: a guard entry point handed it (`handle.db`), or the transaction it runs in called one first;
 * - `handed-in`: a parameter of the enclosing named function (the caller answers for it, under this same rule);
 * - `opened-here`: taken from the application's database (`ctx.db`, a transaction opened on it) with no guard call.
 */
export type ExecutorOrigin = 'guarded' | 'handed-in' | 'opened-here';

/** The guard's entry points: a call to one of them in a transaction makes that transaction guarded. */
export const guardEntryPoints: ReadonlySet<string> = new Set([
  'openRecord',
  'openDocument',
  'openDocumentSearch',
  'openAgenda',
  'openAppointmentChange',
  'openProfile',
  'openProfileEntry',
  'openMailbox',
  'openExport',
]);

const queryMethods = new Set([
  'selectFrom',
  'insertInto',
  'updateTable',
  'deleteFrom',
  'replaceInto',
  'mergeInto',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
]);
const tableSet: ReadonlySet<string> = new Set(patientTables);
const rawSqlTable = new RegExp(`\\b(?:from|join|into|update)\\s+"?(${patientTables.join('|')})\\b`, 'gi');

function tableOf(node: ts.Expression): PatientTable | undefined {
  if (!ts.isStringLiteralLike(node)) return undefined;
  const name = node.text.split(/\s+as\s+/)[0]!.trim();
  return tableSet.has(name) ? (name as PatientTable) : undefined;
}

/** The expression a query chain starts from: `trx` in `trx.selectFrom(…).innerJoin(…)`. */
function chainRoot(expression: ts.Expression): ts.Expression {
  let node = expression;
  for (;;) {
    if (ts.isCallExpression(node))
      node = ts.isPropertyAccessExpression(node.expression) ? node.expression.expression : node.expression;
    else if (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node)) node = node.expression;
    else if (ts.isNonNullExpression(node) || ts.isAsExpression(node)) node = node.expression;
    else return node;
  }
}

type FunctionNode = ts.FunctionLikeDeclaration;

/** A function literal passed to a call: a transaction callback, a `map`, a join builder. */
function isCallback(fn: FunctionNode): boolean {
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isCallExpression(fn.parent);
}

function callsGuard(body: ts.Node | undefined): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : '';
      if (guardEntryPoints.has(name)) found = true;
    }
    ts.forEachChild(node, visit);
  };
  if (body) visit(body);
  return found;
}

/** The outermost function around `fn`: the service whose body a callback belongs to. */
function serviceOf(fn: FunctionNode): FunctionNode {
  let outer = fn;
  for (let node: ts.Node | undefined = fn.parent; node; node = node.parent)
    if (ts.isFunctionLike(node)) outer = node as FunctionNode;
  return outer;
}

function parameterNames(fn: FunctionNode): Set<string> {
  const names = new Set<string>();
  for (const p of fn.parameters) if (ts.isIdentifier(p.name)) names.add(p.name.text);
  return names;
}

/** Whether `name` is bound, in some enclosing function, to the result of a guard entry point. */
function boundToGuard(from: ts.Node, name: string): boolean {
  let guarded = false;
  for (let scope: ts.Node | undefined = from; scope && !guarded; scope = scope.parent) {
    if (!ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) continue;
    const visit = (node: ts.Node): void => {
      if (guarded) return;
      if (
        ts.isVariableDeclaration(node) &&
        node.initializer &&
        (ts.isIdentifier(node.name)
          ? node.name.text === name
          : node.name.elements.some(
              (e) => ts.isBindingElement(e) && ts.isIdentifier(e.name) && e.name.text === name,
            )) &&
        callsGuard(node.initializer)
      )
        guarded = true;
      ts.forEachChild(node, visit);
    };
    visit(scope);
  }
  return guarded;
}

function originOf(node: ts.Node, root: ts.Expression): ExecutorOrigin {
  // `handle.db`, `opened.db`, `{ db } = await openX(…)`: the guard's own handle.
  if (ts.isPropertyAccessExpression(root) && ts.isIdentifier(root.expression)) {
    if (root.name.text === 'db' && boundToGuard(node, root.expression.text)) return 'guarded';
    return 'opened-here';
  }
  if (!ts.isIdentifier(root)) return 'opened-here';
  if (boundToGuard(node, root.text)) return 'guarded';
  for (let scope: ts.Node | undefined = node.parent; scope; scope = scope.parent) {
    if (!ts.isFunctionLike(scope)) continue;
    const fn = scope as FunctionNode;
    if (!parameterNames(fn).has(root.text)) continue;
    if (!isCallback(fn)) return 'handed-in';
    // A transaction's callback: guarded if it, or the service that opens it, asks the guard.
    return callsGuard(serviceOf(fn).body) ? 'guarded' : 'opened-here';
  }
  return 'opened-here';
}

/** Every query on a patient table in one source file. */
export function patientTableAccesses(fileName: string, text: string): TableAccess[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: TableAccess[] = [];
  const add = (node: ts.Node, table: PatientTable, root: ts.Expression) =>
    found.push({
      table,
      line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
      executor: originOf(node, root),
      receiver: root.getText(source),
    });
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      queryMethods.has(node.expression.name.text) &&
      node.arguments[0]
    ) {
      const table = tableOf(node.arguments[0]);
      if (table) add(node, table, chainRoot(node.expression.expression));
    }
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source) === 'sql') {
      const raw = node.template.getText(source);
      for (const match of raw.matchAll(rawSqlTable)) {
        // A raw statement is run by `.execute(executor)`: that argument is its executor.
        const run = node.parent;
        const executor =
          ts.isPropertyAccessExpression(run) && ts.isCallExpression(run.parent) && run.parent.arguments[0]
            ? run.parent.arguments[0]
            : node;
        add(node, match[1]!.toLowerCase() as PatientTable, executor);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
